import { SmtpMailbox } from '../../bench/common/smtp-mailbox';
import { HttpClient } from './http-client';

export { SmtpMailbox as Mailbox } from '../../bench/common/smtp-mailbox';

let shared: Promise<SmtpMailbox> | undefined;
let sharedUrl: string | undefined;

/**
 * The real SMTP server of this Jest worker, shared by every app it starts (any app's queue worker
 * may deliver a mail).
 */
export function testMailbox(): Promise<SmtpMailbox> {
  shared ??= SmtpMailbox.start().then((mailbox) => {
    sharedUrl = mailbox.url;
    return mailbox;
  });
  return shared;
}

/** The SMTP URL of this worker's mailbox once started, for app processes a test spawns. */
export function startedMailboxUrl(): string | undefined {
  return sharedUrl;
}

const mailboxes = new WeakMap<HttpClient, SmtpMailbox>();

export function registerMailbox(api: HttpClient, mailbox: SmtpMailbox): void {
  mailboxes.set(api, mailbox);
}

/** The mailbox the app behind `api` sends to. */
export function mailboxOf(api: HttpClient): SmtpMailbox {
  const mailbox = mailboxes.get(api);
  if (!mailbox) throw new Error(`no mailbox registered for ${api.baseUrl}`);
  return mailbox;
}
