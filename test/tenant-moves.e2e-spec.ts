import { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { killHard, startAppProcess } from './support/app-process';
import { adminToken, tenantAdminSession } from './support/factories';
import { HttpClient } from './support/http-client';
import { onDatabase, startSecondPostgres, SecondPostgres } from './support/second-postgres';
import { startTestApp, TestApp } from './support/test-app';
import { until } from './support/until';
import { RecordedEventRow, waitForDomainEvents } from './support/domain-events';

/**
 * Online tenant moves between two real PostgreSQL servers: the suite's own (a pool on it) and a
 * second embedded one started here with wal_level=logical. Moves off the first use the copy under
 * the freeze when it lacks wal_level=logical; moves off the second use logical replication. This
 * process serves the API only; the moves run in a worker process, which one test kills with SIGKILL.
 */
describe('tenant moves', () => {
  const workerSettings = {
    QUEUE_MAINTENANCE_INTERVAL_SECONDS: '1',
    TENANT_MOVE_JOB_TIMEOUT_SECONDS: '600',
    TENANT_MOVE_RETENTION_SECONDS: '1',
    // Room for a loaded machine: the suite proves the catch-up ends, not how fast.
    TENANT_MOVE_CATCH_UP_TIMEOUT_SECONDS: '30',
  };
  let t: TestApp;
  let second: SecondPostgres;
  let secondServerId: string;
  let admin: string;
  let worker: ChildProcess;
  let mainWalLevel: string;

  beforeAll(async () => {
    second = await startSecondPostgres(['-c', 'wal_level=logical']);
    t = await startTestApp({ env: { ...workerSettings, QUEUE_WORKER: 'false' } });
    admin = await adminToken(t.api);
    const registered = await t.api.post(
      '/control/database-servers',
      { name: 'second', host: second.host, port: second.port, adminUser: second.user, adminPassword: second.password, maxDatabases: 100 },
      { token: admin },
    );
    expect(registered.status).toBe(201);
    secondServerId = registered.body.id;
    worker = startAppProcess(t.databaseUrl, workerSettings);
    [{ wal_level: mainWalLevel }] = await t.sql('SHOW wal_level');
  });
  afterAll(async () => {
    await killHard(worker);
    await t.close();
    await second.stop();
  });

  const moveOf = async (tenantId: string, moveId: string) =>
    (await t.api.get(`/control/tenants/${tenantId}/moves/${moveId}`, { token: admin })).body;

  async function settled(tenantId: string, moveId: string, timeoutMs = 45_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const move = await moveOf(tenantId, moveId);
      if (['completed', 'failed', 'abandoned'].includes(move.status)) return move;
      if (Date.now() > deadline) throw new Error(`move ${moveId} still ${move.status}: ${JSON.stringify(move.steps)}`);
      await sleep(50);
    }
  }

  async function startMove(tenantId: string, body: object) {
    const started = await t.api.post(`/control/tenants/${tenantId}/moves`, body, { token: admin });
    expect(started.status).toBe(202);
    return started.body;
  }

  it('moves a pooled tenant to a dedicated database on another server and back while a client writes, losing and duplicating nothing', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, admin, { placement: 'pooled', plan: 'enterprise' });
    const bystander = await tenantAdminSession(t.api, admin, { placement: 'pooled', plan: 'enterprise' });
    const seeded = await seedContacts(t.api, token, 30);
    const bystanderContacts = await seedContacts(t.api, bystander.token, 5);
    const writer = ledgerWriter(t.api, token);

    const away = await startMove(tenant.id, { placement: 'dedicated', databaseServerId: secondServerId });
    expect(away).toMatchObject({
      status: 'running',
      source: { placement: 'pooled' },
      target: { placement: 'dedicated', databaseServerId: secondServerId },
    });
    const movedAway = await settled(tenant.id, away.id);
    expect(movedAway).toMatchObject({
      status: 'completed',
      failureReason: null,
      copyMethod: mainWalLevel === 'logical' ? 'logical_replication' : 'copy_under_freeze',
    });
    expect(movedAway.freezeMs).toEqual(expect.any(Number));
    expect(movedAway.tables.find((table: { table: string }) => table.table === 'contacts').targetRows).toBeGreaterThanOrEqual(30);
    await writer.waitForWrites(5);

    const back = await startMove(tenant.id, { placement: 'pooled', poolId: t.tenantPoolId });
    const movedBack = await settled(tenant.id, back.id);
    expect(movedBack).toMatchObject({ status: 'completed', failureReason: null, copyMethod: 'logical_replication' });
    await writer.waitForWrites(5);
    const ledger = await writer.stop();

    expect(ledger.failures).toEqual([]);
    const listed = await allContactIds(t.api, token);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.sort()).toEqual([...seeded, ...ledger.written].sort());
    const detail = (await t.api.get(`/control/tenants/${tenant.id}`, { token: admin })).body;
    expect(detail).toMatchObject({ placement: 'pooled' });
    expect((await allContactIds(t.api, bystander.token)).sort()).toEqual(bystanderContacts.sort());
    // Every write's event reached the control plane once, whichever placement it was written on: none stayed in an old outbox.
    const created = (events: RecordedEventRow[]) => events.filter((event) => event.type === 'contact.created');
    const events = await waitForDomainEvents((text, params) => t.sql(text, params), tenant.id, {
      done: (arrived) => created(arrived).length >= seeded.length + ledger.written.length,
    });
    expect(
      created(events)
        .map((event) => event.data.record.id)
        .sort(),
    ).toEqual([...seeded, ...ledger.written].sort());

    // The old copies go once their retention time is over: the dedicated database on the second server, the rows in the pool.
    await until(async () => (await moveOf(tenant.id, away.id)).sourceRemovedAt && (await moveOf(tenant.id, back.id)).sourceRemovedAt);
    expect(await second.sql('postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [movedAway.target.databaseName])).toEqual([]);
    expect(
      await t.sql(`SELECT action FROM audit_log WHERE tenant_id = $1 AND action LIKE 'tenant.move.%' ORDER BY occurred_at`, [tenant.id]),
    ).toEqual(
      expect.arrayContaining([
        { action: 'tenant.move.start' },
        { action: 'tenant.move.complete' },
        { action: 'tenant.move.old_copy_removed' },
      ]),
    );
  });

  it('leaves the tenant serving from its source when verification finds a difference, and abandoning removes the target', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, admin, { placement: 'pooled', plan: 'enterprise' });
    const seeded = await seedContacts(t.api, token, 3);
    // A transaction open on the source database holds the freeze step (it waits for transactions begun before the
    // freeze), after the target exists and before any copy under the freeze. A row the source never had goes into the
    // target then: inserted directly (logical replication leaves it there), and again by a trigger right after a copy
    // under the freeze clears the tenant's notes there. Only the verification can find it.
    const [{ database_name: poolDatabase }] = await t.sql<{ database_name: string }>(
      'SELECT p.database_name FROM tenants t JOIN tenant_pools p ON p.id = t.tenant_pool_id WHERE t.id = $1',
      [tenant.id],
    );
    const sourceUrl = new URL(t.databaseUrl);
    sourceUrl.pathname = `/${poolDatabase}`;
    const older = new Client({ connectionString: sourceUrl.toString() });
    await older.connect();
    let move: { id: string; target: { databaseName: string } };
    try {
      await older.query('BEGIN');
      await older.query('SELECT 1');
      move = await startMove(tenant.id, { placement: 'dedicated', databaseServerId: secondServerId });
      await until(async () => (await moveOf(tenant.id, move.id)).steps.some((step: { step: string }) => step.step === 'freeze'));
      const target = move.target.databaseName;
      await second.sql(target, `INSERT INTO notes (tenant_id, title) VALUES ($1, 'not from the source')`, [tenant.id]);
      await second.sql(
        target,
        `CREATE FUNCTION stray_note() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN INSERT INTO notes (tenant_id, title) VALUES ('${tenant.id}', 'not from the source'); RETURN NULL; END $$`,
      );
      await second.sql(target, 'CREATE TRIGGER stray_note AFTER DELETE ON notes FOR EACH STATEMENT EXECUTE FUNCTION stray_note()');
      // The copy runs as replication's apply does (session_replication_role = replica), where only ALWAYS triggers fire.
      await second.sql(target, 'ALTER TABLE notes ENABLE ALWAYS TRIGGER stray_note');
    } finally {
      await older.query('COMMIT');
      await older.end();
    }
    const failed = await settled(tenant.id, move.id);

    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/verification failed: notes differ/);
    expect(failed.tables.find((table: { table: string }) => table.table === 'notes')).toMatchObject({ sourceRows: 0, targetRows: 1 });
    expect((await t.api.get(`/control/tenants/${tenant.id}`, { token: admin })).body.placement).toBe('pooled');
    const written = await t.api.post('/api/contacts', { firstName: 'After', lastName: 'Failure' }, { token });
    expect(written.status).toBe(201);
    expect((await allContactIds(t.api, token)).sort()).toEqual([...seeded, written.body.id].sort());

    const abandoned = await t.api.post(`/control/tenants/${tenant.id}/moves/${move.id}/abandon`, {}, { token: admin });
    expect(abandoned.status).toBe(202);
    expect((await settled(tenant.id, move.id)).status).toBe('abandoned');
    expect(await second.sql('postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [move.target.databaseName])).toEqual([]);
  });

  // The killed attempt's job is failed (and so retried) by pg-boss's supervision once the job's heartbeat is stale
  // (LIVENESS_HEARTBEAT_SECONDS), long before its timeout (600 s here).
  it('resumes a move whose worker was killed during the bulk copy, without redoing the finished steps', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, admin, {
      placement: 'dedicated',
      plan: 'enterprise',
      databaseServerId: secondServerId,
    });
    const seeded = await seedContacts(t.api, token, 20);
    const [{ database_name: database }] = await t.sql('SELECT database_name FROM tenants WHERE id = $1', [tenant.id]);
    // The publication cannot be created while the source's contacts table is locked: the move waits inside its copy step.
    const lock = new Client({ connectionString: onDatabase(second.url, database) });
    lock.on('error', () => undefined);
    await lock.connect();
    let move: { id: string };
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE');
      move = await startMove(tenant.id, { placement: 'pooled', poolId: t.tenantPoolId });
      await until(async () => (await moveOf(tenant.id, move.id)).steps.some((step: { step: string }) => step.step === 'bulk_copy'));
      await killHard(worker);
    } finally {
      await lock.query('COMMIT');
      await lock.end();
    }
    worker = startAppProcess(t.databaseUrl, workerSettings);

    const done = await settled(tenant.id, move.id, 60_000);
    expect(done).toMatchObject({ status: 'completed', failureReason: null, copyMethod: 'logical_replication' });
    const steps = done.steps.map(
      (step: { step: string; attempt: number; status: string }) => `${step.attempt}:${step.step}:${step.status}`,
    );
    expect(steps.slice(0, 2)).toEqual(['1:prepare:succeeded', '1:bulk_copy:running']);
    expect(steps).toContain('2:bulk_copy:succeeded');
    expect(steps).not.toContain('2:prepare:succeeded');
    expect((await allContactIds(t.api, token)).sort()).toEqual(seeded.sort());
  }, 120_000);

  it('drains a server: every tenant on it moves elsewhere, and the server can then be deleted', async () => {
    const { tenant, token } = await tenantAdminSession(t.api, admin, {
      placement: 'dedicated',
      plan: 'enterprise',
      databaseServerId: secondServerId,
    });
    const seeded = await seedContacts(t.api, token, 5);

    const drained = await t.api.post(`/control/database-servers/${secondServerId}/drain`, {}, { token: admin });
    expect(drained.status).toBe(202);
    expect(drained.body).toMatchObject({ status: 'draining', refused: [] });
    const moves: Array<{ id: string; tenantId: string }> = drained.body.moves;
    expect(moves.map((move) => move.tenantId)).toContain(tenant.id);
    for (const move of moves) {
      const done = await settled(move.tenantId, move.id);
      expect(done).toMatchObject({ status: 'completed', failureReason: null, target: { databaseServerId: t.databaseServerId } });
      await until(async () => (await moveOf(move.tenantId, move.id)).sourceRemovedAt);
    }
    expect((await t.api.get(`/control/tenants/${tenant.id}`, { token: admin })).body).toMatchObject({ placement: 'dedicated' });
    expect((await allContactIds(t.api, token)).sort()).toEqual(seeded.sort());

    expect((await t.api.delete(`/control/database-servers/${secondServerId}`, { token: admin })).status).toBe(204);
  });

  it('refuses a move the tenant cannot make, changing nothing', async () => {
    const { tenant } = await tenantAdminSession(t.api, admin, { placement: 'pooled', plan: 'enterprise' });
    const samePool = await t.api.post(
      `/control/tenants/${tenant.id}/moves`,
      { placement: 'pooled', poolId: t.tenantPoolId },
      { token: admin },
    );
    expect(samePool.status).toBe(409);
    const unknownField = await t.api.post(`/control/tenants/${tenant.id}/moves`, { placement: 'dedicated', shard: 3 }, { token: admin });
    expect(unknownField.status).toBe(400);
    const badPlacement = await t.api.post(`/control/tenants/${tenant.id}/moves`, { placement: 'byod' }, { token: admin });
    expect(badPlacement.status).toBe(400);
    expect(badPlacement.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'placement' })]));
    expect((await t.api.get(`/control/tenants/${tenant.id}/moves`, { token: admin })).body).toEqual([]);
  });
});

async function seedContacts(api: HttpClient, token: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const created = await api.post('/api/contacts', { firstName: `Seed${i}`, lastName: 'Contact' }, { token });
    if (created.status !== 201) throw new Error(`seeding failed: ${created.status} ${JSON.stringify(created.body)}`);
    ids.push(created.body.id);
  }
  return ids;
}

async function allContactIds(api: HttpClient, token: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: any } = await api.get(
      `/api/contacts?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token },
    );
    if (page.status !== 200) throw new Error(`listing failed: ${page.status} ${JSON.stringify(page.body)}`);
    ids.push(...page.body.items.map((item: { id: string }) => item.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  return ids;
}

/**
 * Writes contacts one after another until stopped, keeping a ledger: what the API said it created
 * (201 with an id), what it refused during a freeze (503 with Retry-After), and anything else.
 */
function ledgerWriter(api: HttpClient, token: string) {
  const written: string[] = [];
  const failures: string[] = [];
  let refused = 0;
  let stopped = false;
  const running = (async () => {
    for (let i = 0; !stopped; i += 1) {
      const response = await api.post('/api/contacts', { firstName: `Ledger${i}`, lastName: 'Writer' }, { token });
      if (response.status === 201) written.push(response.body.id);
      else if (response.status === 503 && response.headers.get('retry-after')) refused += 1;
      else failures.push(`${response.status} ${JSON.stringify(response.body)}`);
    }
  })();
  return {
    async waitForWrites(more: number) {
      const target = written.length + more;
      await until(async () => written.length >= target);
    },
    async stop() {
      stopped = true;
      await running;
      return { written, failures, refused };
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
