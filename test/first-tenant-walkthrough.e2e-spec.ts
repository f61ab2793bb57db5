import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invitationTokenFor } from './support/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './support/test-app';

/**
 * README.md's "First tenant" section, run as written: every `curl` command of its bash blocks, in
 * order, with the same method, path, headers and body, its `jq -r .field` applied to the answer.
 * A trailing `# prints: x` is asserted; `# repeat until it prints: x` is polled for. The section's
 * settings (where the API is, the admin's credentials, the token from the invitation mail) are
 * this test's own. Change the README and this test follows it.
 */

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

function walkthroughSection(): string {
  const start = README.indexOf('\n## First tenant\n');
  if (start < 0) throw new Error('README.md has no "## First tenant" section');
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The commands of the section's bash blocks, one per logical line (continuations joined). */
function walkthroughLines(section: string): string[] {
  const blocks = [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]);
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
}

interface Word {
  text: string;
  /** Whether any part was quoted (a quoted `#` or `|` is literal). */
  quoted: boolean;
}

/**
 * Splits a line into shell words the way bash does for what the README uses: single quotes,
 * double quotes with $VAR expansion, bare $VAR, `|` between commands and `#` comments.
 */
function shellWords(line: string, variables: Map<string, string>): { words: Word[]; comment?: string } {
  const words: Word[] = [];
  let current: Word | undefined;
  const append = (text: string, quoted = false) => {
    current ??= { text: '', quoted: false };
    current.text += text;
    current.quoted ||= quoted;
  };
  const expand = (name: string) => {
    if (!variables.has(name)) throw new Error(`$${name} is used before the walkthrough sets it`);
    return variables.get(name)!;
  };
  for (let i = 0; i < line.length;) {
    const char = line[i];
    if (char === ' ') {
      if (current) words.push(current);
      current = undefined;
      i += 1;
    } else if (char === '#' && !current) {
      return { words, comment: line.slice(i + 1).trim() };
    } else if (char === "'") {
      const end = line.indexOf("'", i + 1);
      append(line.slice(i + 1, end), true);
      i = end + 1;
    } else if (char === '"') {
      const end = line.indexOf('"', i + 1);
      append(
        line.slice(i + 1, end).replace(/\$(\w+)/g, (_, name: string) => expand(name)),
        true,
      );
      i = end + 1;
    } else if (char === '$') {
      const name = /^\$(\w+)/.exec(line.slice(i))![1];
      append(expand(name));
      i += name.length + 1;
    } else {
      append(char);
      i += 1;
    }
  }
  if (current) words.push(current);
  return { words };
}

interface Answer {
  status: number;
  output: string;
}

/** Runs `curl -s [-X method] url [-H header]… [-d body] [| jq …]` against the test app. */
async function runCurl(words: Word[]): Promise<Answer> {
  const pipe = words.findIndex((word) => word.text === '|' && !word.quoted);
  const curl = pipe < 0 ? words : words.slice(0, pipe);
  const jq = pipe < 0 ? [] : words.slice(pipe + 1).map((word) => word.text);
  if (curl[0]?.text !== 'curl') throw new Error(`not a curl command: ${words.map((word) => word.text).join(' ')}`);
  let method: string | undefined;
  let url: string | undefined;
  let body: string | undefined;
  const headers: Record<string, string> = {};
  for (let i = 1; i < curl.length; i += 1) {
    const word = curl[i].text;
    if (word === '-s') continue;
    else if (word === '-X') method = curl[++i].text;
    else if (word === '-H') {
      const [name, ...value] = curl[++i].text.split(':');
      headers[name.trim()] = value.join(':').trim();
    } else if (word === '-d') body = curl[++i].text;
    else if (/^https?:\/\//.test(word)) url = word;
    else throw new Error(`curl option the walkthrough test does not know: ${word}`);
  }
  const response = await fetch(url!, { method: method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await response.text();
  return { status: response.status, output: jq.length > 0 ? applyJq(jq, text) : text };
}

/** `jq -r .a.b` picks a field; any other filter leaves the answer as it is (its status is still checked). */
function applyJq(args: string[], json: string): string {
  const [command, flag, filter] = args;
  if (command !== 'jq') throw new Error(`unknown command after |: ${args.join(' ')}`);
  if (flag !== '-r' || !/^(\.\w+)+$/.test(filter)) return json;
  const value = filter
    .split('.')
    .slice(1)
    .reduce<unknown>((object, key) => (object as Record<string, unknown> | undefined)?.[key], JSON.parse(json));
  return value === undefined || value === null ? 'null' : typeof value === 'string' ? value : JSON.stringify(value);
}

describe('README "First tenant" walkthrough', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('takes a fresh platform from the admin signing in to a tenant invoice paid in full, with the README commands as written', async () => {
    const section = walkthroughSection();
    const ownerEmail = /"admin":\{"email":"([^"]+)"\}/.exec(section)![1];
    // The section's settings are the reader's; these are the test app's.
    const settings: Record<string, () => Promise<string>> = {
      API: async () => t.api.baseUrl.replace(/\/$/, ''),
      ADMIN_EMAIL: async () => TEST_ADMIN.email,
      ADMIN_PASSWORD: async () => TEST_ADMIN.password,
      INVITATION: () => invitationTokenFor(t.api, ownerEmail),
    };
    const variables = new Map<string, string>();
    const checked: string[] = [];

    for (const line of walkthroughLines(section)) {
      const setting = /^(\w+)=(?!\$\()/.exec(line);
      if (setting) {
        if (!settings[setting[1]]) throw new Error(`the walkthrough sets ${setting[1]}, which this test does not provide`);
        variables.set(setting[1], await settings[setting[1]]());
        continue;
      }
      const assignment = /^(\w+)=\$\((.*)\)(\s+#.*)?$/.exec(line);
      const command = assignment ? assignment[2] : line;
      const { words, comment } = shellWords(assignment ? `${command}${assignment[3] ?? ''}` : command, variables);
      const repeatUntil = /^repeat until it prints: (.+)$/.exec(comment ?? '')?.[1];
      const expected = /^prints: (.+)$/.exec(comment ?? '')?.[1];

      let answer = await runCurl(words);
      const deadline = Date.now() + 60_000;
      while (repeatUntil !== undefined && answer.output !== repeatUntil && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        answer = await runCurl(words);
      }
      const step = command.slice(0, 80);
      expect({ step, ok: answer.status >= 200 && answer.status < 300 }).toEqual({ step, ok: true });
      if (repeatUntil !== undefined) expect({ step, output: answer.output }).toEqual({ step, output: repeatUntil });
      if (expected !== undefined) expect({ step, output: answer.output }).toEqual({ step, output: expected });
      if (assignment) {
        expect({ step, output: answer.output }).toEqual({ step, output: expect.not.stringMatching(/^(null|)$/) });
        variables.set(assignment[1], answer.output);
      }
      checked.push(step);
    }

    // It went all the way: the last command is the one that prints the invoice paid.
    expect(checked.at(-1)).toMatch(/^curl -s \$API\/api\/invoices\/\$INVOICE /);
  }, 180_000);
});
