import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { forkServer } from './child-server';
import { ChildSettings } from './tenantry-child';

export interface TenantryProcess {
  url: string;
  jwtSecret: string;
  stop(): Promise<void>;
}

/** Starts Tenantry (compiled, from dist/) in a child process and waits until it listens. */
export async function startTenantry(options: Omit<ChildSettings, 'jwtSecret' | 'secretsKeys'>): Promise<TenantryProcess> {
  const settings: ChildSettings = {
    ...options,
    jwtSecret: randomBytes(32).toString('base64url'),
    secretsKeys: `bench:${randomBytes(32).toString('base64')}`,
  };
  const server = await forkServer(join(__dirname, 'tenantry-child.js'), { TENANTRY_BENCH_CHILD: JSON.stringify(settings) });
  return { ...server, jwtSecret: settings.jwtSecret };
}
