import { request as httpRequest } from 'node:http';
import { Client } from 'pg';
import { adminToken, tenantAdminSession, unique } from './support/factories';
import { HttpResponse } from './support/http-client';
import { startTestApp, TEST_ADMIN, TestApp } from './support/test-app';
import { requestFingerprint } from '../src/platform/idempotency/idempotency-key';
import { IdempotencyService } from '../src/platform/idempotency/idempotency.service';

/**
 * Idempotency-Key (IETF draft) on the creates: a retry after a lost answer gets the first answer,
 * never a second record; another request under a used key is a 422; one racing the first a 409.
 */
describe('Idempotency-Key on creates', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ openApiDocs: true });
    admin = await adminToken(t.api);
  });

  afterAll(() => t.close());

  const tenantBody = (slug: string) => ({
    slug,
    name: `Tenant ${slug}`,
    plan: 'starter',
    placement: 'pooled',
    admin: { email: `${slug}@example.test` },
  });
  const createTenant = (body: object, key: string, token = admin) =>
    t.api.post('/control/tenants', body, { token, headers: { 'idempotency-key': key } });
  const tenantsWithSlug = async (slug: string) =>
    (await t.sql<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [slug])).map((row) => row.id);

  /** Sends the request and drops the connection once `dropWhen` holds, before reading any answer. */
  function sendAndDrop(path: string, body: object, headers: Record<string, string>, dropWhen: () => Promise<boolean>): Promise<void> {
    const url = new URL(path, t.api.baseUrl);
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = httpRequest(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      });
      request.on('error', () => undefined);
      request.on('finish', () => {
        waitFor(dropWhen).then(() => {
          request.destroy();
          resolve();
        }, reject);
      });
      request.end(payload);
    });
  }

  /**
   * Holds an uncommitted tenant with `slug`: a create of the same slug passes its check (it cannot
   * see the row) and then waits at its insert until the blocker rolls back.
   */
  async function slugBlocker(slug: string): Promise<Client> {
    const blocker = new Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(
      `INSERT INTO tenants (slug, name, status, plan, placement) VALUES ($1, 'blocker', 'provisioning', 'starter', 'pooled')`,
      [slug],
    );
    return blocker;
  }

  /** How many statements wait for the blocker. */
  async function lockWaiters(blocker: Client): Promise<number> {
    const { rows } = await blocker.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))`,
    );
    return rows[0].n;
  }

  async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not reached in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Retries like a careful client: the same key again while the first is still in progress (409). */
  async function retryUntilAnswered(send: () => Promise<HttpResponse>): Promise<HttpResponse> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const response = await send();
      if (response.status !== 409 || !/in progress/.test(response.body?.message) || Date.now() > deadline) return response;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('answers a retry after a dropped connection with the tenant the first request created, and creates only one', async () => {
    const slug = unique('drop').toLowerCase();
    const key = unique('key');
    // The first request's insert waits for the blocker, so it is surely mid-way when its client goes away.
    const blocker = await slugBlocker(slug);
    try {
      const headers = { authorization: `Bearer ${admin}`, 'idempotency-key': key };
      await sendAndDrop('/control/tenants', tenantBody(slug), headers, async () => (await lockWaiters(blocker)) > 0);
      const early = await createTenant(tenantBody(slug), key);
      expect([early.status, early.body.message]).toEqual([409, expect.stringMatching(/in progress/)]);
      await blocker.query('ROLLBACK');
    } finally {
      await blocker.end();
    }
    const retry = await retryUntilAnswered(() => createTenant(tenantBody(slug), key));
    expect([retry.status, retry.headers.get('idempotent-replayed')]).toEqual([202, 'true']);
    expect(await tenantsWithSlug(slug)).toEqual([retry.body.id]);
  });

  it('settles a create whose connection dropped right after sending: the retry answers the one tenant there is', async () => {
    const slug = unique('drop').toLowerCase();
    const key = unique('key');
    await sendAndDrop('/control/tenants', tenantBody(slug), { authorization: `Bearer ${admin}`, 'idempotency-key': key }, async () => true);
    // Whether or not the server got to run it, the retry must settle it, not add to it.
    const retry = await retryUntilAnswered(() => createTenant(tenantBody(slug), key));
    expect(retry.status).toBe(202);
    expect(await tenantsWithSlug(slug)).toEqual([retry.body.id]);
    const again = await createTenant(tenantBody(slug), key);
    expect([again.status, again.body, again.headers.get('idempotent-replayed')]).toEqual([202, retry.body, 'true']);
  });

  it('replays a completed create with its status and body without running it again (no second audit entry or job)', async () => {
    const slug = unique('replay').toLowerCase();
    const key = unique('key');
    const first = await createTenant(tenantBody(slug), key);
    expect([first.status, first.headers.get('idempotent-replayed')]).toEqual([202, null]);
    const audits = await t.sql('SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1', [first.body.id]);
    const second = await createTenant({ ...tenantBody(slug), admin: { email: `${slug}@example.test` } }, `"${key}"`);
    expect([second.status, second.body, second.headers.get('idempotent-replayed')]).toEqual([202, first.body, 'true']);
    expect(await t.sql('SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1', [first.body.id])).toEqual(audits);
  });

  it('answers the same key with another body with 422 naming the key, creating nothing', async () => {
    const slug = unique('mismatch').toLowerCase();
    const key = unique('key');
    expect((await createTenant(tenantBody(slug), key)).status).toBe(202);
    const other = unique('other').toLowerCase();
    const response = await createTenant(tenantBody(other), key);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      statusCode: 422,
      error: 'Unprocessable Entity',
      details: [{ field: 'headers.idempotency-key' }],
    });
    expect(response.body.message).toContain(key);
    expect(await tenantsWithSlug(other)).toEqual([]);
  });

  it('lets two concurrent requests with one key create one tenant: one 202, the other 409 (in progress) or the replay', async () => {
    const slug = unique('race').toLowerCase();
    const key = unique('key');
    const answers = await Promise.all([createTenant(tenantBody(slug), key), createTenant(tenantBody(slug), key)]);
    const [id] = await tenantsWithSlug(slug);
    expect(await tenantsWithSlug(slug)).toHaveLength(1);
    const firsts = answers.filter((answer) => answer.status === 202 && answer.headers.get('idempotent-replayed') === null);
    expect(firsts).toHaveLength(1);
    expect(firsts[0].body.id).toBe(id);
    const other = answers.find((answer) => answer !== firsts[0])!;
    if (other.status === 409) expect(other.body.message).toMatch(/in progress/);
    else expect([other.status, other.body.id, other.headers.get('idempotent-replayed')]).toEqual([202, id, 'true']);
  });

  it('refuses a malformed key with 400 naming the header, before doing anything', async () => {
    const slug = unique('badkey').toLowerCase();
    for (const key of ['k'.repeat(256), 'a\tb', '""']) {
      const response = await createTenant(tenantBody(slug), key);
      expect([response.status, response.body.details]).toEqual([
        400,
        [{ field: 'headers.idempotency-key', problems: [expect.any(String)] }],
      ]);
    }
    expect(await tenantsWithSlug(slug)).toEqual([]);
    expect((await createTenant(tenantBody(slug), 'k'.repeat(255))).status).toBe(202);
  });

  it('frees the key of a request that failed with an error answer, so the corrected retry runs', async () => {
    const slug = unique('fix').toLowerCase();
    const key = unique('key');
    const refused = await createTenant({ ...tenantBody(slug), plan: 'no-such-plan' }, key);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    const fixed = await createTenant(tenantBody(slug), key);
    expect([fixed.status, fixed.headers.get('idempotent-replayed')]).toEqual([202, null]);
  });

  describe('on /api creates', () => {
    let alpha: { token: string };
    let beta: { token: string };

    beforeAll(async () => {
      [alpha, beta] = await Promise.all([tenantAdminSession(t.api, admin), tenantAdminSession(t.api, admin)]);
    });

    const postNote = (token: string, body: object, key: string) =>
      t.api.post('/api/notes', body, { token, headers: { 'idempotency-key': key } });
    const notesTitled = async (token: string, title: string) =>
      (await t.api.get(`/api/notes?search=${encodeURIComponent(title)}`, { token })).body.items;

    it('replays a note create with the same id and keeps one row', async () => {
      const title = unique('note');
      const key = unique('key');
      const first = await postNote(alpha.token, { title }, key);
      expect(first.status).toBe(201);
      const second = await postNote(alpha.token, { title }, key);
      expect([second.status, second.body, second.headers.get('idempotent-replayed')]).toEqual([201, first.body, 'true']);
      expect((await notesTitled(alpha.token, title)).map((note: { id: string }) => note.id)).toEqual([first.body.id]);
    });

    it('never replays one tenant’s answer to another: the same key and body create the other tenant’s own note', async () => {
      const title = unique('shared');
      const key = unique('key');
      const mine = await postNote(alpha.token, { title }, key);
      const theirs = await postNote(beta.token, { title }, key);
      expect([mine.status, theirs.status, theirs.headers.get('idempotent-replayed')]).toEqual([201, 201, null]);
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect((await notesTitled(beta.token, title)).map((note: { id: string }) => note.id)).toEqual([theirs.body.id]);
    });

    it('answers the same key on another create route with 422', async () => {
      const key = unique('key');
      expect((await postNote(alpha.token, { title: unique('note') }, key)).status).toBe(201);
      const account = await t.api.post(
        '/api/accounts',
        { name: unique('Acme') },
        { token: alpha.token, headers: { 'idempotency-key': key } },
      );
      expect([account.status, account.body.details]).toEqual([
        422,
        [{ field: 'headers.idempotency-key', problems: ['already used for another request'] }],
      ]);
    });

    it('keeps a claim whose answer is unknown in progress (409) instead of running it twice, until the key expires', async () => {
      const title = unique('stale');
      const key = unique('key');
      expect((await postNote(alpha.token, { title }, key)).status).toBe(201);
      // As if the process had died between the note's commit and storing its answer.
      await t.sql(`UPDATE idempotency_keys SET state = 'in_progress', response_status = NULL, response_body = NULL WHERE key = $1`, [key]);
      const retry = await postNote(alpha.token, { title }, key);
      expect([retry.status, retry.body.details?.[0]?.field]).toEqual([409, 'headers.idempotency-key']);
      expect(await notesTitled(alpha.token, title)).toHaveLength(1);
      await t.sql(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
      expect(await t.app.get(IdempotencyService).prune()).toBeGreaterThanOrEqual(1);
      expect(await t.sql('SELECT 1 FROM idempotency_keys WHERE key = $1', [key])).toEqual([]);
    });
  });

  it('takes over a tenant create whose process died before committing, once its lease passed', async () => {
    const slug = unique('dead').toLowerCase();
    const key = unique('key');
    // The claim a process leaves when it dies before its transaction commits: in progress, no tenant, no answer.
    const [{ id: adminId }] = await t.sql(`SELECT id FROM users WHERE email = $1`, [TEST_ADMIN.email]);
    await t.sql(
      `INSERT INTO idempotency_keys (scope, key, fingerprint, claim_token, state, lease_expires_at, expires_at)
       VALUES ($1, $2, $3, gen_random_uuid(), 'in_progress', now() + interval '1 minute', now() + interval '1 day')`,
      [`user:${adminId}:tenant:-`, key, requestFingerprint('POST', '/control/tenants', tenantBody(slug))],
    );
    const early = await createTenant(tenantBody(slug), key);
    expect([early.status, early.body.message]).toEqual([409, expect.stringMatching(/in progress/)]);
    await t.sql(`UPDATE idempotency_keys SET lease_expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
    const retry = await createTenant(tenantBody(slug), key);
    expect([retry.status, retry.headers.get('idempotent-replayed')]).toEqual([202, null]);
    expect(await tenantsWithSlug(slug)).toEqual([retry.body.id]);
  });

  it('fences a first request that outlived its lease: the retry that took over creates the tenant, the late one rolls back', async () => {
    const slug = unique('late').toLowerCase();
    const key = unique('key');
    const blocker = await slugBlocker(slug);
    let late: Promise<HttpResponse>;
    let takeover: Promise<HttpResponse>;
    try {
      late = createTenant(tenantBody(slug), key);
      await waitFor(async () => (await lockWaiters(blocker)) === 1);
      await t.sql(`UPDATE idempotency_keys SET lease_expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
      takeover = createTenant(tenantBody(slug), key);
      await waitFor(async () => (await lockWaiters(blocker)) === 2);
      await blocker.query('ROLLBACK');
    } finally {
      await blocker.end();
    }
    const [lateAnswer, takeoverAnswer] = await Promise.all([late, takeover]);
    // The late request either finds its claim gone when storing its answer, or the new tenant's slug taken first: 409 both ways.
    expect([lateAnswer.status, lateAnswer.body.message]).toEqual([
      409,
      expect.stringMatching(/took it over; nothing was changed|conflicts/),
    ]);
    expect(takeoverAnswer.status).toBe(202);
    expect(await tenantsWithSlug(slug)).toEqual([takeoverAnswer.body.id]);
    const replayed = await createTenant(tenantBody(slug), key);
    expect([replayed.status, replayed.body.id, replayed.headers.get('idempotent-replayed')]).toEqual([202, takeoverAnswer.body.id, 'true']);
  });

  it('replays POST /auth/register under a key scoped to the client IP', async () => {
    const email = `${unique('signup')}@example.test`;
    const body = { company: 'Signup Co', email, password: 'a-long-enough-password', plan: 'starter' };
    const key = unique('key');
    const first = await t.api.post('/auth/register', body, { headers: { 'idempotency-key': key } });
    const second = await t.api.post('/auth/register', body, { headers: { 'idempotency-key': key } });
    expect([first.status, second.status, second.body, second.headers.get('idempotent-replayed')]).toEqual([202, 202, first.body, 'true']);
    expect(await t.sql(`SELECT scope FROM idempotency_keys WHERE key = $1`, [key])).toEqual([{ scope: expect.stringMatching(/^ip:/) }]);
  });

  it('documents the header, the 409 and the 422 on the idempotent creates, and not on API key creation', async () => {
    const document = (await t.api.get('/docs-json')).body;
    const takesKey = (operation: any) =>
      operation.parameters?.some((parameter: any) => parameter.in === 'header' && parameter.name === 'Idempotency-Key');
    for (const path of ['/control/tenants', '/auth/register', '/api/notes', '/api/accounts', '/api/invoices/{id}/payments']) {
      const operation = document.paths[path].post;
      expect([path, takesKey(operation), operation.responses['409']?.description, operation.responses['422']?.description]).toEqual([
        path,
        true,
        expect.stringMatching(/Idempotency-Key is still in progress/),
        expect.stringMatching(/already used/),
      ]);
    }
    expect(takesKey(document.paths['/api/api-keys'].post)).toBe(false);
  });
});
