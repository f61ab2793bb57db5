import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { forkServer } from './child-server';
import { SmtpMailbox } from './smtp-mailbox';
import type { PreviousBuild } from './previous-build';
import { ChildSettings } from './tenantry-child';

export interface TenantryProcess {
  url: string;
  pid: number;
  jwtSecret: string;
  /** What it started with: another process of the same deployment starts with the same (see previous-build.ts). */
  settings: ChildSettings;
  /** Where the app's mails (invitations of the bench's people) arrive. */
  mailbox: SmtpMailbox;
  stop(): Promise<void>;
}

/**
 * Starts Tenantry (compiled, from dist/) in a child process, mailing to a mailbox of the parent's, and waits until it listens.
 * Its JWT secret and key ring are new unless given. With `build`, it is that other checkout's build on its own node
 * (see previous-build.ts).
 */
export async function startTenantry(
  options: Omit<ChildSettings, 'jwtSecret' | 'secretsKeys'> & Partial<Pick<ChildSettings, 'jwtSecret' | 'secretsKeys'>>,
  build?: PreviousBuild,
): Promise<TenantryProcess> {
  const mailbox = await SmtpMailbox.start();
  const settings: ChildSettings = {
    jwtSecret: randomBytes(32).toString('base64url'),
    secretsKeys: `bench:${randomBytes(32).toString('base64')}`,
    ...options,
    env: { ...options.env, SMTP_URL: mailbox.url },
  };
  const entry = build ? join(build.checkout, 'dist', 'bench', 'common', 'tenantry-child.js') : join(__dirname, 'tenantry-child.js');
  const server = await forkServer(entry, { TENANTRY_BENCH_CHILD: JSON.stringify(settings) }, build?.node);
  return {
    url: server.url,
    pid: server.pid,
    jwtSecret: settings.jwtSecret,
    settings,
    mailbox,
    stop: async () => {
      await server.stop();
      await mailbox.close();
    },
  };
}
