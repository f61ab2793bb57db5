import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * A real SMTP server (the smtp-server package) on loopback that keeps what it receives, so tests
 * and benchmarks read invitations and links the way a person would: from the mail.
 */
export class SmtpMailbox {
  private readonly received: ReceivedMail[] = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly url: string,
  ) {}

  static async start(): Promise<SmtpMailbox> {
    let mailbox: SmtpMailbox | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            for (const recipient of session.envelope.rcptTo) {
              mailbox!.received.push({ to: recipient.address.toLowerCase(), subject: parsed.subject ?? '', text: parsed.text ?? '' });
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
    // The server must not keep a finished test worker or benchmark alive.
    server.server.unref();
    const { port } = server.server.address() as { port: number };
    mailbox = new SmtpMailbox(server, `smtp://127.0.0.1:${port}`);
    return mailbox;
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

  /** The one-time token of a mailed link. */
  static tokenIn(mail: ReceivedMail): string {
    const token = /token=([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
    if (!token) throw new Error(`no token in the mail "${mail.subject}": ${mail.text}`);
    return token;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
