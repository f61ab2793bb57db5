/**
 * What a column's catalog text says it can hold: the members of a MySQL/MariaDB ENUM or SET, and
 * the values a simple CHECK constraint allows. Only forms read without doubt are understood
 * (`col IN ('a', 'b')`, `col = ANY (ARRAY['a', 'b'])`, `col = 'a'`, with casts and grouping
 * parentheses); anything else — other operators, functions, OR/AND, numbers, a backslash in a
 * literal (whose escaping differs between servers) — yields nothing rather than a guess.
 */

type Token = { kind: 'word' | 'identifier' | 'literal' | 'number' | 'symbol'; text: string };

/** The members of a MySQL `enum('a','b')` or `set('a','b')` column type; undefined for any other type. */
export function mysqlTypeMembers(columnType: string): { from: 'enum' | 'set'; members: string[] } | undefined {
  const match = /^(enum|set)\((.*)\)$/is.exec(columnType.trim());
  if (!match) return undefined;
  const tokens = tokenize(match[2]);
  const members = tokens && listOfLiterals(tokens);
  return members ? { from: match[1].toLowerCase() as 'enum' | 'set', members } : undefined;
}

/**
 * The column a CHECK expression limits to a fixed list, with that list; undefined when the
 * expression is anything else. `expression` is the constraint's text as the catalog gives it
 * (PostgreSQL's pg_get_expr, MariaDB/MySQL's CHECK_CLAUSE).
 */
export function checkedValues(expression: string): { column: string; members: string[] } | undefined {
  const tokens = tokenize(expression);
  if (!tokens) return undefined;
  const plain = withoutGrouping(withoutCasts(tokens));
  if (!plain || plain.length < 3 || plain[0].kind !== 'identifier') return undefined;
  const [column, operator, ...rest] = plain;
  const keyword = (token: Token | undefined, word: string) => token?.kind === 'word' && token.text.toUpperCase() === word;
  let list: Token[];
  if (keyword(operator, 'IN')) list = rest;
  else if (operator.text === '=' && keyword(rest[0], 'ANY') && keyword(rest[1], 'ARRAY')) list = rest.slice(2);
  else if (operator.text === '=' && rest.length === 1) list = rest;
  else return undefined;
  const members = listOfLiterals(list);
  return members && members.length > 0 ? { column: column.text, members } : undefined;
}

/** `'a', 'b', …` (with optional charset introducers such as MySQL's `_utf8mb4'a'`) as the strings; undefined otherwise. */
function listOfLiterals(tokens: Token[]): string[] | undefined {
  const members: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    if (index % 2 === 1) {
      if (tokens[index].text !== ',') return undefined;
      continue;
    }
    if (tokens[index].kind !== 'literal') return undefined;
    members.push(tokens[index].text);
  }
  return members.length > 0 && tokens.length % 2 === 1 ? members : undefined;
}

/** Drops `::type` casts (`::text`, `::character varying(10)`, `::text[]`), which do not change the values listed. */
function withoutCasts(tokens: Token[]): Token[] {
  const kept: Token[] = [];
  for (let index = 0; index < tokens.length; index++) {
    if (tokens[index].text !== '::') {
      kept.push(tokens[index]);
      continue;
    }
    index++;
    while (tokens[index]?.kind === 'identifier') index++;
    if (tokens[index]?.text === '(' && tokens[index + 1]?.kind === 'number' && tokens[index + 2]?.text === ')') index += 3;
    while (tokens[index]?.text === '[' && tokens[index + 1]?.text === ']') index += 2;
    index--;
  }
  return kept;
}

/**
 * Drops parentheses and brackets once they balance: in the strict forms accepted afterwards
 * (one column, one operator, a list of literals) they can only group, never change a meaning.
 */
function withoutGrouping(tokens: Token[]): Token[] | undefined {
  let depth = 0;
  for (const token of tokens) {
    if (token.text === '(' || token.text === '[') depth++;
    if (token.text === ')' || token.text === ']') depth--;
    if (depth < 0) return undefined;
  }
  return depth === 0 ? tokens.filter((token) => !['(', ')', '[', ']'].includes(token.text)) : undefined;
}

/** SQL text as tokens; undefined for anything outside the small grammar above. */
function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (/\s/.test(char)) {
      index++;
    } else if (char === "'" || (char === '_' && /^_[a-z0-9]+'/i.test(text.slice(index)))) {
      const start = text.indexOf("'", index);
      const literal = quoted(text, start, "'");
      if (!literal || literal.value.includes('\\')) return undefined;
      tokens.push({ kind: 'literal', text: literal.value });
      index = literal.end;
    } else if (char === '"' || char === '`') {
      const identifier = quoted(text, index, char);
      if (!identifier) return undefined;
      tokens.push({ kind: 'identifier', text: identifier.value });
      index = identifier.end;
    } else if (/[a-z_]/i.test(char)) {
      const word = /^[a-z_][a-z0-9_$]*/i.exec(text.slice(index))![0];
      // The accepted forms' keywords are words; anything else names a column (or a type, after ::).
      tokens.push({ kind: /^(in|any|array)$/i.test(word) ? 'word' : 'identifier', text: word });
      index += word.length;
    } else if (/[0-9]/.test(char)) {
      const number = /^[0-9]+/.exec(text.slice(index))![0];
      tokens.push({ kind: 'number', text: number });
      index += number.length;
    } else if (text.startsWith('::', index)) {
      tokens.push({ kind: 'symbol', text: '::' });
      index += 2;
    } else if ('(),[]='.includes(char)) {
      tokens.push({ kind: 'symbol', text: char });
      index++;
    } else {
      return undefined;
    }
  }
  return tokens;
}

/** A `quote`-delimited run starting at `start`, a doubled quote standing for one. */
function quoted(text: string, start: number, quote: string): { value: string; end: number } | undefined {
  let value = '';
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] !== quote) {
      value += text[index];
    } else if (text[index + 1] === quote) {
      value += quote;
      index++;
    } else {
      return { value, end: index + 1 };
    }
  }
  return undefined;
}
