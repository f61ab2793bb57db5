import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { HttpClient } from './http-client';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * A real SMTP server (the smtp-server package) on loopback that keeps what it receives, so tests
 * read invitations and reset links the way a person would: from the mail. One per Jest worker,
 * shared by every app it starts (any app's queue worker may deliver a mail).
 */
export class Mailbox {
  private readonly received: ReceivedMail[] = [];

  constructor(readonly url: string) {}

  accept(mail: ReceivedMail): void {
    this.received.push(mail);
  }

  /** Takes the oldest mail to `to` not taken yet (whose subject matches, if given), waiting for it to arrive. */
  async take(to: string, subject?: RegExp, timeoutMs = 20_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex((mail) => mail.to === to.toLowerCase() && (!subject || subject.test(mail.subject)));
      if (index >= 0) return this.received.splice(index, 1)[0];
      if (Date.now() > deadline) throw new Error(`no mail to ${to}${subject ? ` matching ${subject}` : ''} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Whether a mail to `to` has arrived and not been taken. */
  has(to: string): boolean {
    return this.received.some((mail) => mail.to === to.toLowerCase());
  }

  /** The one-time token of a mailed link. */
  static tokenIn(mail: ReceivedMail): string {
    const token = /token=([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
    if (!token) throw new Error(`no token in the mail "${mail.subject}": ${mail.text}`);
    return token;
  }
}

let shared: Promise<Mailbox> | undefined;
let sharedUrl: string | undefined;

/** The SMTP URL of this worker's mailbox once started, for app processes a test spawns. */
export function startedMailboxUrl(): string | undefined {
  return sharedUrl;
}

export function testMailbox(): Promise<Mailbox> {
  shared ??= startMailbox();
  return shared;
}

async function startMailbox(): Promise<Mailbox> {
  let mailbox: Mailbox | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          for (const recipient of session.envelope.rcptTo) {
            mailbox!.accept({ to: recipient.address.toLowerCase(), subject: parsed.subject ?? '', text: parsed.text ?? '' });
          }
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // The server must not keep a finished Jest worker alive.
  server.server.unref();
  const { port } = server.server.address() as { port: number };
  mailbox = new Mailbox(`smtp://127.0.0.1:${port}`);
  sharedUrl = mailbox.url;
  return mailbox;
}

const mailboxes = new WeakMap<HttpClient, Mailbox>();

export function registerMailbox(api: HttpClient, mailbox: Mailbox): void {
  mailboxes.set(api, mailbox);
}

/** The mailbox the app behind `api` sends to. */
export function mailboxOf(api: HttpClient): Mailbox {
  const mailbox = mailboxes.get(api);
  if (!mailbox) throw new Error(`no mailbox registered for ${api.baseUrl}`);
  return mailbox;
}
