import { randomBytes } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { TENANT_MIGRATIONS } from '../migrations/tenant';
import { addMember, adminToken, createTenant, loginAs, tenantAdminSession, tenantWithUsers } from './support/factories';
import { HttpClient } from './support/http-client';
import { startTestApp, TestApp } from './support/test-app';

/** A release's new tenant migration, so a tenant of the previous release is behind until the fleet runs. */
class NoteColour1799100000000 implements MigrationInterface {
  name = 'NoteColour1799100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notes ADD COLUMN colour varchar(16)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notes DROP COLUMN colour`);
  }
}

/** Far longer than any wait below: whatever another process learns in time, it learned by push, not by expiry. */
const CACHE_FOR_A_MINUTE = { TENANT_CACHE_TTL_SECONDS: '60' };
const PUSH_WITHIN_MS = 1_000;

/** How long until `path` answers `status` (polled), or null if it did not within `withinMs`. */
async function msUntilStatus(api: HttpClient, path: string, token: string, status: number, withinMs = PUSH_WITHIN_MS) {
  const started = Date.now();
  while (Date.now() - started <= withinMs) {
    if ((await api.get(path, { token })).status === status) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return null;
}

describe('control-plane changes reach every process by push', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: string;
  /** A tenant of the previous release: behind the schema A and B serve. */
  let behind: { slug: string; token: string };
  /** B connects to the control plane as a role of its own, so a test can keep B alone from connecting. */
  const roleOfB = `tenantry_b_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    const previous = await startTestApp();
    const tenant = await createTenant(previous.api, await adminToken(previous.api), { placement: 'dedicated' });
    behind = { slug: tenant.slug, token: (await loginAs(previous.api, tenant.admin.email, tenant.admin.password)).accessToken };
    await previous.stop();
    const tenantMigrations = [...TENANT_MIGRATIONS, NoteColour1799100000000];
    const release = { databaseUrl: previous.databaseUrl, tenantMigrations, env: CACHE_FOR_A_MINUTE };
    a = await startTestApp(release);
    // B runs no jobs: the fleet run (a job) happens on A, so B can only learn of it from A.
    await a.sql(`CREATE ROLE ${roleOfB} LOGIN SUPERUSER PASSWORD 'b'`);
    const urlOfB = new URL(previous.databaseUrl);
    [urlOfB.username, urlOfB.password] = [roleOfB, 'b'];
    b = await startTestApp({ ...release, databaseUrl: urlOfB.toString(), env: { ...CACHE_FOR_A_MINUTE, QUEUE_WORKER: 'false' } });
    admin = await adminToken(a.api);
  }, 120_000);

  afterAll(async () => {
    await b?.stop();
    await a?.sql(`DROP OWNED BY ${roleOfB}`);
    await a?.sql(`DROP ROLE ${roleOfB}`);
    await a?.close();
  });

  it('refuses a suspended tenant on the other process at once', async () => {
    const { tenant, token } = await tenantAdminSession(a.api, admin, { placement: 'dedicated' });
    // An API key: its tenant's status comes from the tenant cache (a session would be refused by its revocation).
    const { key } = (await a.api.post('/api/api-keys', { name: 'push', permissions: ['notes.read'] }, { token })).body;
    expect((await b.api.get('/api/notes', { token: key })).status).toBe(200);
    await a.api.post(`/control/tenants/${tenant.id}/suspend`, undefined, { token: admin });
    expect(await msUntilStatus(b.api, '/api/notes', key, 401)).not.toBeNull();
    expect((await b.api.get('/api/notes', { token: key })).body.message).toBe('The API key’s tenant is not active');
  });

  it('applies a member’s new role on the other process at once', async () => {
    const { tenant, member } = await tenantWithUsers(a.api, admin, { placement: 'dedicated' });
    const token = (await loginAs(a.api, member.email, member.password)).accessToken;
    expect((await b.api.get('/api/roles', { token })).status).toBe(403);
    await addMember(a.api, admin, tenant.id, member.email, 'tenant_admin');
    expect(await msUntilStatus(b.api, '/api/roles', token, 200)).not.toBeNull();
  });

  it('serves a tenant on the other process as soon as the fleet migrated it, without "being upgraded" 503s', async () => {
    const before = await b.api.get('/api/notes', { token: behind.token });
    expect(before.status).toBe(503);
    expect(before.body.message).toMatch(/is being upgraded/);
    const started = await a.api.post('/control/migrations', { tenant: behind.slug }, { token: admin });
    expect(started.status).toBe(202);
    let run: { status: string };
    do {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = (await a.api.get(`/control/migrations/${started.body.id}`, { token: admin })).body;
    } while (['queued', 'running'].includes(run.status));
    expect(run.status).toBe('succeeded');
    expect(await msUntilStatus(b.api, '/api/notes', behind.token, 200)).not.toBeNull();
  });

  it('forgets every cached tenant when its listening connection comes back, so a change made while it was down is not missed', async () => {
    const { tenant, token } = await tenantAdminSession(a.api, admin, { placement: 'dedicated' });
    const { key } = (await a.api.post('/api/api-keys', { name: 'resync', permissions: ['notes.read'] }, { token })).body;
    expect((await b.api.get('/api/notes', { token: key })).status).toBe(200);
    // B's listener is cut and kept from reconnecting, so the suspension's NOTIFY is lost to B for sure.
    await a.sql(`ALTER ROLE ${roleOfB} NOLOGIN`);
    await a.sql(
      `SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE usename = $1 AND application_name = 'tenantry-change-feed'`,
      [roleOfB],
    );
    await a.api.post(`/control/tenants/${tenant.id}/suspend`, undefined, { token: admin });
    await a.sql(`ALTER ROLE ${roleOfB} LOGIN`);
    // Its reconnect backs off (0.1 s, doubling while refused); the wait bounds that, not a TTL (a minute).
    expect(await msUntilStatus(b.api, '/api/notes', key, 401, 5_000)).not.toBeNull();
  });
});
