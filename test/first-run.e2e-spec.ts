import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import { killHard, startAppProcess } from './support/app-process';
import { adminToken, registerTenant, waitForProvisioning } from './support/factories';
import { HttpClient } from './support/http-client';

/**
 * The compose path of a first start: Tenantry on DATABASE_URL, connecting as the least-privilege
 * role docker/postgres/create-api-role.sql creates (not the superuser), registers its own server
 * and a pooled database on it, so the first tenants (pooled and dedicated) provision.
 */

const ROOT = join(__dirname, '..');

function superuserUrl(database = 'postgres'): string {
  const url = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
  url.pathname = `/${database}`;
  return url.toString();
}

async function asSuperuser<T>(action: (client: Client) => Promise<T>, database = 'postgres'): Promise<T> {
  const client = new Client({ connectionString: superuserUrl(database) });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

/**
 * Runs the compose init script as the postgres image does (psql, as the superuser), its \getenv
 * variables taken from `variables`: the role and database the API then connects with.
 */
async function runApiRoleScript(variables: Record<string, string>): Promise<void> {
  const script = await readFile(join(ROOT, 'docker/postgres/create-api-role.sql'), 'utf8');
  const psqlVariables = new Map<string, string>();
  const statements: string[] = [];
  for (const line of script.split('\n')) {
    const getenv = /^\\getenv (\w+) (\w+)$/.exec(line.trim());
    if (getenv) psqlVariables.set(getenv[1], variables[getenv[2]]);
    else if (line.trim() && !line.startsWith('--')) statements.push(line);
  }
  const sql = statements
    .join('\n')
    .replace(/:"(\w+)"/g, (_, name: string) => escapeIdentifier(psqlVariables.get(name)!))
    .replace(/:'(\w+)'/g, (_, name: string) => escapeLiteral(psqlVariables.get(name)!));
  await asSuperuser(async (client) => {
    // CREATE DATABASE cannot run in a multi-statement query: one statement at a time, as psql sends them.
    for (const statement of sql.split(/;\s*\n/).filter((text) => text.trim())) await client.query(statement);
  });
}

interface ApiRole {
  role: string;
  /** DATABASE_URL of a fresh control-plane database owned by the role. */
  url(database: string): string;
  createDatabase(database: string): Promise<void>;
}

async function createApiRole(): Promise<ApiRole & { database: string }> {
  const suffix = randomBytes(5).toString('hex');
  const role = `tenantry_e2e_api_${suffix}`;
  const password = randomBytes(18).toString('base64url');
  const database = `tenantry_e2e_first_${suffix}`;
  await runApiRoleScript({ TENANTRY_DB_USER: role, TENANTRY_DB_PASSWORD: password, TENANTRY_DB_NAME: database });
  const url = (name: string) => {
    const parsed = new URL(superuserUrl(name));
    parsed.username = role;
    parsed.password = password;
    return parsed.toString();
  };
  return {
    role,
    database,
    url,
    createDatabase: (name) =>
      asSuperuser((client) => client.query(`CREATE DATABASE ${escapeIdentifier(name)} OWNER ${escapeIdentifier(role)}`)).then(
        () => undefined,
      ),
  };
}

/** Drops what the role's control planes created (databases it owns, roles carrying their marks), then the role. */
async function dropApiRole(role: string): Promise<void> {
  await asSuperuser(async (client) => {
    const { rows: planes } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = $1) AND datname LIKE $2',
      [role, 'tenantry_e2e_first_%'],
    );
    const controlPlaneIds: string[] = [];
    for (const { datname } of planes) {
      const ids = await asSuperuser(
        (plane) => plane.query<{ id: string }>('SELECT id FROM control_plane_identity').catch(() => ({ rows: [] })),
        datname,
      );
      controlPlaneIds.push(...ids.rows.map((row) => row.id));
    }
    const { rows: databases } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = $1)',
      [role],
    );
    for (const { datname } of databases) await client.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(datname)} WITH (FORCE)`);
    for (const id of controlPlaneIds) {
      const { rows: roles } = await client.query<{ rolname: string }>(
        "SELECT rolname FROM pg_roles WHERE starts_with(coalesce(shobj_description(oid, 'pg_authid'), ''), $1)",
        [`tenantry:${id}:`],
      );
      for (const { rolname } of roles) await client.query(`DROP ROLE IF EXISTS ${escapeIdentifier(rolname)}`);
    }
    await client.query(`DROP ROLE IF EXISTS ${escapeIdentifier(role)}`);
  });
}

interface RunningApp {
  child: ChildProcess;
  api: HttpClient;
  output(): string;
}

/** Every process a test started, killed after it whether or not it came up. */
const children: ChildProcess[] = [];

async function killAll(): Promise<void> {
  await Promise.all(children.splice(0).map((child) => killHard(child)));
}

/** Starts src/main.ts and waits for its banner; small pools, the server is shared. */
async function startApp(databaseUrl: string, env: Record<string, string> = {}, cwd?: string): Promise<RunningApp> {
  const child = startAppProcess(
    databaseUrl,
    { DATABASE_POOL_SIZE: '3', PROVISIONING_CONCURRENCY: '1', LOG_LEVEL: 'info', ...env },
    { cwd, captureOutput: true },
  );
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 90 s:\n${output}`)), 90_000);
    const check = () => {
      const listening = /Tenantry is listening on (\S+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(listening[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before listening:\n${output}`));
    });
  });
  return { child, api: new HttpClient(base), output: () => output };
}

async function waitForOutput(app: RunningApp, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = pattern.exec(app.output());
    if (found) return found[0];
    if (Date.now() > deadline) throw new Error(`${pattern} not printed within ${timeoutMs} ms:\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const onControlPlane = <T>(database: string, text: string, params: unknown[] = []) =>
  asSuperuser((client) => client.query(text, params).then((result) => result.rows as T[]), database);

describe('first start on DATABASE_URL', () => {
  let apiRole: Awaited<ReturnType<typeof createApiRole>>;

  beforeAll(async () => {
    apiRole = await createApiRole();
  });

  afterEach(killAll);

  afterAll(async () => {
    if (apiRole) await dropApiRole(apiRole.role);
  });

  it("registers the control plane's server and one default pool when two processes start at once, as a role that is not superuser", async () => {
    const started = await Promise.all([startApp(apiRole.url(apiRole.database)), startApp(apiRole.url(apiRole.database))]);

    const servers = await onControlPlane<{ name: string; admin_user: string }>(
      apiRole.database,
      'SELECT name, admin_user FROM database_servers',
    );
    expect(servers).toEqual([{ name: 'control-plane', admin_user: apiRole.role }]);
    const pools = await onControlPlane<{ name: string; database_name: string }>(
      apiRole.database,
      'SELECT name, database_name FROM tenant_pools',
    );
    expect(pools).toHaveLength(1);
    const [{ rolsuper, rolbypassrls }] = await asSuperuser((client) =>
      client.query('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1', [apiRole.role]).then((result) => result.rows),
    );
    expect({ rolsuper, rolbypassrls }).toEqual({ rolsuper: false, rolbypassrls: false });

    // The first tenants provision straight away, each placement once.
    const api = started[0].api;
    const token = await adminToken(api);
    for (const placement of ['pooled', 'dedicated']) {
      const { tenant } = await registerTenant(api, token, { placement });
      const provisioned = await waitForProvisioning(api, token, tenant.id, 90_000);
      expect({
        placement,
        status: provisioned.status,
        failureReason: (provisioned as { failureReason?: string }).failureReason ?? null,
      }).toEqual({
        placement,
        status: 'active',
        failureReason: null,
      });
    }
    // Tenant data lives in databases the API role created (and so owns), not the superuser.
    const owners = await onControlPlane<{ database_name: string }>(
      apiRole.database,
      'SELECT database_name FROM tenants WHERE database_name IS NOT NULL UNION ALL SELECT database_name FROM tenant_pools',
    );
    const owned = await asSuperuser((client) =>
      client
        .query('SELECT datname, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = ANY($1)', [
          owners.map((row) => row.database_name),
        ])
        .then((result) => result.rows.map((row) => row.owner)),
    );
    expect(owned).toEqual([apiRole.role, apiRole.role]);
  }, 240_000);

  it("purges a dedicated tenant whose database still has a session of the tenant's role open, as the API role (pg_signal_backend)", async () => {
    const app = await startApp(apiRole.url(apiRole.database), { TENANT_RETENTION_DAYS: '0' });
    const [tenant] = await onControlPlane<{ id: string; database_name: string; database_role: string }>(
      apiRole.database,
      "SELECT id, database_name, database_role FROM tenants WHERE placement = 'dedicated'",
    );
    // A session of the tenant's own role, as another API process would hold one: DROP DATABASE … WITH (FORCE) must end it.
    const password = randomBytes(12).toString('hex');
    await asSuperuser((client) => client.query(`ALTER ROLE ${escapeIdentifier(tenant.database_role)} PASSWORD ${escapeLiteral(password)}`));
    const url = new URL(superuserUrl(tenant.database_name));
    url.username = tenant.database_role;
    url.password = password;
    const session = new Client({ connectionString: url.toString() });
    session.on('error', () => undefined);
    await session.connect();
    try {
      const token = await adminToken(app.api);
      expect((await app.api.delete(`/control/tenants/${tenant.id}`, { token })).status).toBe(200);
      const purged = await app.api.post(`/control/tenants/${tenant.id}/purge`, undefined, { token });
      expect({ status: purged.status, tenant: purged.body.status ?? purged.body.message }).toEqual({ status: 200, tenant: 'purged' });
      const left = await asSuperuser((client) => client.query('SELECT 1 FROM pg_database WHERE datname = $1', [tenant.database_name]));
      expect(left.rowCount).toBe(0);
    } finally {
      await session.end().catch(() => undefined);
    }
  }, 120_000);

  it('registers nothing again on a restart', async () => {
    await startApp(apiRole.url(apiRole.database));
    const [counts] = await onControlPlane<{ servers: number; pools: number }>(
      apiRole.database,
      'SELECT (SELECT count(*)::int FROM database_servers) AS servers, (SELECT count(*)::int FROM tenant_pools) AS pools',
    );
    expect(counts).toEqual({ servers: 1, pools: 1 });
  }, 120_000);

  it("gives a second control plane on the same server a pooled database of its own, leaving the first one's as it was", async () => {
    const second = `${apiRole.database}_b`;
    await apiRole.createDatabase(second);
    const [first] = await onControlPlane<{ database_name: string }>(apiRole.database, 'SELECT database_name FROM tenant_pools');
    const commentOf = (name: string) =>
      asSuperuser((client) =>
        client
          .query("SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1", [name])
          .then((r) => r.rows[0]?.comment),
      );
    const firstMark = await commentOf(first.database_name);

    await startApp(apiRole.url(second));

    const [pool] = await onControlPlane<{ database_name: string }>(second, 'SELECT database_name FROM tenant_pools');
    expect(pool.database_name).not.toBe(first.database_name);
    const [{ id }] = await onControlPlane<{ id: string }>(second, 'SELECT id FROM control_plane_identity');
    expect(await commentOf(pool.database_name)).toBe(
      `tenantry:${id}:pool:${(await onControlPlane<{ id: string }>(second, 'SELECT id FROM tenant_pools'))[0].id}`,
    );
    expect(await commentOf(first.database_name)).toBe(firstMark);
  }, 120_000);

  it('logs a failed provisioning attempt with the tenant and its reason, and registers no server when AUTO_REGISTER_DATABASE_SERVER=false', async () => {
    const third = `${apiRole.database}_c`;
    await apiRole.createDatabase(third);
    const app = await startApp(apiRole.url(third), { AUTO_REGISTER_DATABASE_SERVER: 'false', PROVISIONING_RETRY_LIMIT: '0' });
    expect(await onControlPlane(third, 'SELECT id FROM database_servers')).toEqual([]);

    const token = await adminToken(app.api);
    const { tenant } = await registerTenant(app.api, token, { placement: 'pooled' });
    expect((await waitForProvisioning(app.api, token, tenant.id, 60_000)).status).toBe('failed');
    const attempt = await waitForOutput(
      app,
      new RegExp(
        `.*Provisioning attempt \\d+ of tenant ${tenant.id} \\(${tenant.slug}\\) failed at step place: No pooled database has room.*`,
      ),
    );
    expect(JSON.parse(attempt)).toMatchObject({ level: 40 });
    const final = await waitForOutput(
      app,
      new RegExp(`.*Provisioning of tenant ${tenant.id} \\(${tenant.slug}\\) failed for good: place: No pooled database has room.*`),
    );
    expect(JSON.parse(final)).toMatchObject({ level: 50 });
  }, 120_000);
});

describe('start-up output in development', () => {
  let dir: string;
  let databaseName: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tenantry-first-run-'));
    databaseName = `tenantry_e2e_dotenv_${randomBytes(5).toString('hex')}`;
    await asSuperuser((client) => client.query(`CREATE DATABASE ${databaseName}`));
  });

  afterAll(async () => {
    await killAll();
    await asSuperuser((client) => client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`));
    await rm(dir, { recursive: true, force: true });
  });

  it("reads .env from the working directory with the real environment winning, and keeps Nest's route map out of info", async () => {
    // The file asks for debug (which would print the route map) and no Swagger UI; the environment says LOG_LEVEL=info.
    await writeFile(join(dir, '.env'), 'LOG_LEVEL=debug\nSWAGGER_UI=false\n');
    const app = await startApp(
      superuserUrl(databaseName),
      { NODE_ENV: 'development', LOG_LEVEL: 'info', AUTO_REGISTER_DATABASE_SERVER: 'false' },
      dir,
    );
    // Logged once the routes are mapped: every line logged before it has been written by then.
    await waitForOutput(app, /Created platform admin/);
    const output = app.output();
    expect(output).toContain('Swagger UI:  off');
    expect(output).toContain(`Settings:    ${join(dir, '.env')}`);
    expect(output).toMatch(/"level":30/);
    expect(output).not.toMatch(/Mapped \{/);
    expect(output).not.toMatch(/"context":"(InstanceLoader|RoutesResolver|RouterExplorer)"/);
    expect((await app.api.get('/docs-json')).status).toBe(404);
  }, 120_000);
});
