import { parse } from 'csv-parse/sync';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { activeByodTenant } from './support/byod-tenants';
import { RecordedEventRow, waitForDomainEvents } from './support/domain-events';
import { adminToken, inviteIntoTenant, loginAs, tenantAdminSession, unique } from './support/factories';
import { HttpClient } from './support/http-client';
import { LEGACY_MYSQL } from './support/legacy-databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Bulk import (a queued job over a stored file) and export (a stream) over HTTP, on pooled,
 * dedicated and byod tenants: every row checked like the API checks it, a per-row error report,
 * both modes, idempotent re-runs by external key, quotas, hostile files, and exports that give
 * back what was imported.
 */
const suffix = randomBytes(4).toString('hex');
const legacy = `bulk_byod_${suffix}`;
const IMPORT_LIMIT = 64 * 1024;
const CSV = { 'content-type': 'text/csv' };
const NDJSON = { 'content-type': 'application/x-ndjson' };

type Import = { id: string; status: string; rowsRead: number; rowsWritten: number; rowsFailed: number; failure: string | null };
type CsvRow = Record<string, string>;

/** The rows of a CSV export, by its header. */
const csvRows = (text: string): CsvRow[] => parse<CsvRow>(text, { columns: true });

async function startImport(api: HttpClient, token: string, query: string, body: string, headers = CSV) {
  return api.request<Import & { details?: unknown }>('POST', `/api/imports?${query}`, undefined, { token, rawBody: body, headers });
}

/** Polls the import until its job has ended. */
async function finished(api: HttpClient, token: string, id: string): Promise<Import> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const answer = await api.get<Import>(`/api/imports/${id}`, { token });
    if (answer.status !== 200) throw new Error(`GET /api/imports/${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
    if (answer.body.status === 'completed' || answer.body.status === 'failed') return answer.body;
    if (Date.now() > deadline) throw new Error(`import ${id} still ${answer.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function imported(api: HttpClient, token: string, query: string, body: string, headers = CSV): Promise<Import> {
  const started = await startImport(api, token, query, body, headers);
  if (started.status !== 202) throw new Error(`POST /api/imports: ${started.status} ${JSON.stringify(started.body)}`);
  // The job may already have been picked up by the time the 202 is read.
  expect(['queued', 'running', 'completed', 'failed']).toContain(started.body.status);
  return finished(api, token, started.body.id);
}

async function errorReport(api: HttpClient, token: string, id: string) {
  const answer = await api.get(`/api/imports/${id}/errors?limit=100`, { token });
  expect(answer.status).toBe(200);
  return answer.body.items as Array<{ row: number; field: string; message: string }>;
}

async function exported(api: HttpClient, token: string, entity: string, format = 'csv') {
  const answer = await fetch(`${api.baseUrl}/api/exports/${entity}?format=${format}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: answer.status, type: answer.headers.get('content-type'), text: await answer.text() };
}

const CONTACTS_CSV = [
  'firstName,lastName,email,jobTitle,customFields.tier',
  'Ada,Lovelace,ada@example.test,"Analyst, ""engines""",gold',
  'Grace,Hopper,grace@example.test,Rear admiral,silver',
  'Bad,Email,not-an-email,,gold',
  'Bad,Tier,tier@example.test,,platinum',
  ',Nameless,nameless@example.test,,',
].join('\n');

describe('bulk import and export', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    const root = await createConnection({ ...LEGACY_MYSQL, multipleStatements: true });
    await root.query(`CREATE DATABASE ${legacy}`);
    await root.query(
      `CREATE TABLE ${legacy}.people (person_id integer AUTO_INCREMENT PRIMARY KEY, given varchar(80) NOT NULL, family varchar(80) NOT NULL, mail varchar(200))`,
    );
    await root.end();
    t = await startTestApp({
      env: {
        IMPORT_MAX_BYTES: String(IMPORT_LIMIT),
        BYOD_ALLOW_PRIVATE_NETWORKS: 'true',
        IMPORT_RETRY_LIMIT: '1',
        IMPORT_RETRY_DELAY_SECONDS: '1',
      },
    });
    admin = await adminToken(t.api);
  });

  afterAll(async () => {
    await t?.close();
    const root = await createConnection(LEGACY_MYSQL);
    await root.query(`DROP DATABASE IF EXISTS ${legacy}`);
    await root.end();
  });

  async function tenantWithTier(placement: string) {
    const session = await tenantAdminSession(t.api, admin, { placement, plan: 'professional' });
    const field = { entity: 'contact', key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] };
    expect((await t.api.post('/api/custom-fields', field, { token: session.token })).status).toBe(201);
    return session;
  }

  it.each(['pooled', 'dedicated'])(
    '%s: a CSV of contacts lands its valid rows, reports the others, changes nothing on a re-run and exports what it imported',
    async (placement) => {
      const { token, tenant } = await tenantWithTier(placement);
      const first = await imported(t.api, token, 'entity=contacts&format=csv&mode=skip_invalid&externalKey=email', CONTACTS_CSV);
      expect(first).toMatchObject({ status: 'completed', rowsRead: 5, rowsWritten: 2, rowsFailed: 3, failure: null });
      expect(await errorReport(t.api, token, first.id)).toEqual([
        { row: 3, field: 'email', message: expect.stringContaining('email') },
        { row: 4, field: 'customFields.tier', message: 'customFields.tier must be one of: gold, silver' },
        { row: 5, field: 'firstName', message: expect.stringContaining('firstName') },
      ]);

      const again = await imported(
        t.api,
        token,
        'entity=contacts&format=csv&mode=skip_invalid&externalKey=email',
        CONTACTS_CSV.replace('Rear admiral', 'Rear Admiral'),
      );
      expect(again).toMatchObject({ status: 'completed', rowsWritten: 2, rowsFailed: 3 });
      const contacts = (await t.api.get('/api/contacts?sort=lastName', { token })).body.items;
      expect(contacts.map((contact: { email: string }) => contact.email)).toEqual(['grace@example.test', 'ada@example.test']);
      expect(contacts[0]).toMatchObject({ jobTitle: 'Rear Admiral', customFields: { tier: 'silver' } });
      // Each landed row raised its domain event, as the API's create and change do; failing rows none.
      const events = await waitForDomainEvents((text, params) => t.sql(text, params), tenant.id, {
        done: (all) => all.some((event) => event.type === 'contact.updated'),
      });
      const contactEvents = events.filter((event) => event.type.startsWith('contact.'));
      expect(contactEvents.map((event) => [event.type, event.data.record.email])).toEqual([
        ['contact.created', 'ada@example.test'],
        ['contact.created', 'grace@example.test'],
        ['contact.updated', 'grace@example.test'],
      ]);
      expect(contactEvents[2].data).toMatchObject({
        record: { jobTitle: 'Rear Admiral', accounts: [] },
        changes: { jobTitle: { to: 'Rear Admiral' } },
      });
      // A created record's event carries it as the API answers it: the values imported, and what PostgreSQL decided
      // (timestamps, defaults) read back.
      const ada = contacts.find((contact: { email: string }) => contact.email === 'ada@example.test');
      expect(contactEvents[0].data.record).toEqual((await t.api.get(`/api/contacts/${ada.id}`, { token })).body);
      const audit = (await t.api.get('/api/audit?entity=contact', { token })).body.items;
      expect(audit.map((entry: { action: string }) => entry.action).sort()).toEqual(['create', 'create', 'update']);
      // Imported records, their audit entries and their events get time-ordered ids (version 7), in the file's order.
      const timeOrdered = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
      const creations = [...audit].reverse().filter((entry: { action: string }) => entry.action === 'create');
      for (const ids of [
        contactEvents.slice(0, 2).map((event) => event.data.record.id as string),
        creations.map((entry: { id: string }) => entry.id),
        contactEvents.map((event) => event.id),
      ]) {
        expect(ids.every((id) => timeOrdered.test(id))).toBe(true);
        expect([...ids].sort()).toEqual(ids);
      }
      expect(creations.map((entry: { entityId: string }) => entry.entityId)).toEqual(
        contactEvents.slice(0, 2).map((event) => event.data.record.id),
      );
      expect(audit.every((entry: { actorUserId: string }) => entry.actorUserId === tenant.admin.id)).toBe(true);

      const csv = await exported(t.api, token, 'contacts');
      expect(csv.status).toBe(200);
      expect(csv.type).toContain('text/csv');
      const rows = csvRows(csv.text);
      expect(rows.map((row) => [row.email, row.jobTitle, row['customFields.tier']]).sort()).toEqual([
        ['ada@example.test', 'Analyst, "engines"', 'gold'],
        ['grace@example.test', 'Rear Admiral', 'silver'],
      ]);
      for (const action of ['tenant.data_import', 'tenant.data_export']) {
        const logged = await t.api.get(`/control/audit?tenantId=${tenant.id}&action=${action}`, { token: admin });
        expect(logged.body.items[0]).toMatchObject({ actorUserId: tenant.admin.id, tenantId: tenant.id });
      }
      // The export is itself an import that changes nothing.
      const roundTrip = await imported(t.api, token, 'entity=contacts&format=csv&mode=all_or_nothing&externalKey=email', csv.text);
      expect(roundTrip).toMatchObject({ status: 'completed', rowsWritten: 2, rowsFailed: 0 });
      expect((await t.api.get('/api/audit?entity=contact', { token })).body.items).toHaveLength(3);
    },
  );

  it.each(['pooled', 'dedicated'])(
    '%s: all_or_nothing NDJSON writes nothing while one row fails, and everything once none does',
    async (placement) => {
      const { token, tenant } = await tenantAdminSession(t.api, admin, { placement, plan: 'professional' });
      const items = [
        { sku: 'BULK-1', name: 'First', priceSellingMinor: 1000, initialStock: 3 },
        { sku: 'BULK-2', name: 'Second', priceSellingMinor: -5, description: 'Line one\nline "two", three' },
        { sku: 'BULK-3', name: 'Third', priceSellingMinor: 3000, colour: 'red' },
      ];
      const body = (list: object[]) => list.map((item) => JSON.stringify(item)).join('\n');
      const query = 'entity=inventory-items&format=ndjson&mode=all_or_nothing&externalKey=sku';
      const refused = await imported(t.api, token, query, body(items), NDJSON);
      expect(refused).toMatchObject({ status: 'failed', rowsRead: 3, rowsWritten: 0, rowsFailed: 2 });
      expect(refused.failure).toContain('nothing was written');
      expect(await errorReport(t.api, token, refused.id)).toEqual([
        { row: 2, field: 'priceSellingMinor', message: expect.stringContaining('priceSellingMinor') },
        { row: 3, field: 'colour', message: 'property colour should not exist' },
      ]);
      expect((await t.api.get('/api/inventory/items', { token })).body.items).toEqual([]);

      const accepted = await imported(t.api, token, query, body([items[0], { ...items[1], priceSellingMinor: 2000 }]), NDJSON);
      // The refused import raised nothing; the accepted one an event per created item.
      const created = (events: RecordedEventRow[]) => events.filter((event) => event.type === 'inventory_item.created');
      const events = await waitForDomainEvents((text, params) => t.sql(text, params), tenant.id, {
        done: (all) => created(all).length >= 2,
      });
      expect(created(events).map((event) => event.data.record.sku)).toEqual(['BULK-1', 'BULK-2']);
      // The event of an item created without initial stock carries it as the API answers it.
      const second = created(events)[1].data.record;
      expect(second).toEqual((await t.api.get(`/api/inventory/items/${second.id}`, { token })).body);
      expect(accepted).toMatchObject({ status: 'completed', rowsWritten: 2, rowsFailed: 0 });
      const lines = (await exported(t.api, token, 'inventory-items', 'ndjson')).text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(
        lines
          .map(({ sku, stockOnHand, priceSellingMinor }) => ({ sku, stockOnHand, priceSellingMinor }))
          .sort((a, b) => a.sku.localeCompare(b.sku)),
      ).toEqual([
        { sku: 'BULK-1', stockOnHand: 3, priceSellingMinor: 1000 },
        { sku: 'BULK-2', stockOnHand: 0, priceSellingMinor: 2000 },
      ]);
      const csv = csvRows((await exported(t.api, token, 'inventory-items')).text);
      expect(csv.find((row) => row.sku === 'BULK-2')).toMatchObject({
        description: 'Line one\nline "two", three',
        priceSellingMinor: '2000',
      });
    },
  );

  it('dedicated: an import that grows a fresh table has it ANALYZEd (its lookups by key stop reading every row), once until the table is ten times as large', async () => {
    const { token, tenant } = await tenantAdminSession(t.api, admin, { placement: 'dedicated', plan: 'enterprise' });
    const [{ database }] = await t.sql<{ database: string }>('SELECT database_name AS database FROM tenants WHERE id = $1', [tenant.id]);
    const url = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
    url.pathname = `/${database}`;
    const tenantDatabase = new Client({ connectionString: url.toString() });
    await tenantDatabase.connect();
    // Manual ANALYZEs only: autovacuum's are counted apart (autoanalyze_count).
    const statistics = async () =>
      (
        await tenantDatabase.query<{ analyzed: string; counted: number }>(
          `SELECT s.analyze_count AS analyzed, c.reltuples::float8 AS counted
             FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'contacts'`,
        )
      ).rows[0];
    const people = (from: number, count: number) =>
      ['firstName,lastName,email', ...Array.from({ length: count }, (_, i) => `F,L,p${from + i}@s.test`)].join('\n');
    try {
      expect(await imported(t.api, token, 'entity=contacts&format=csv&mode=skip_invalid&externalKey=email', people(0, 2500))).toMatchObject(
        {
          status: 'completed',
          rowsWritten: 2500,
        },
      );
      const deadline = Date.now() + 15_000;
      while (Number((await statistics()).analyzed) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await statistics()).toEqual({ analyzed: '1', counted: 2500 });

      // As many rows again double the table, but the planner scales the counted rows to its size itself: no ANALYZE until it is ten times as large.
      await imported(t.api, token, 'entity=contacts&format=csv&mode=skip_invalid&externalKey=email', people(2500, 2500));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await statistics()).analyzed).toBe('1');
    } finally {
      await tenantDatabase.end();
    }
  });

  it('matches rows by the key as the record holds it: an email in another case finds its contact, in a re-run or the same file', async () => {
    const { token } = await tenantAdminSession(t.api, admin, { placement: 'pooled', plan: 'professional' });
    const query = 'entity=contacts&format=csv&mode=skip_invalid&externalKey=email';
    const first = await imported(t.api, token, query, 'firstName,lastName,email\nJane,Doe,Jane.Doe@Example.TEST\nJoe,Roe,joe@example.test');
    expect(first).toMatchObject({ status: 'completed', rowsWritten: 2, rowsFailed: 0 });
    const rows = ['Janet,Doe, jane.doe@example.test', 'Joe,Roe,JOE@example.test', 'Jan,Doe,JANE.DOE@EXAMPLE.TEST'];
    const again = await imported(t.api, token, query, ['firstName,lastName,email', ...rows].join('\n'));
    expect(again).toMatchObject({ status: 'completed', rowsWritten: 3, rowsFailed: 0 });
    const contacts = (await t.api.get('/api/contacts?sort=lastName', { token })).body.items;
    expect(contacts.map(({ firstName, email }: { firstName: string; email: string }) => [firstName, email])).toEqual([
      ['Jan', 'jane.doe@example.test'],
      ['Joe', 'joe@example.test'],
    ]);
  });

  it('refuses a file that is no UTF-8 (a Windows-1252 export) with a 400 naming body, keeping nothing, and a header naming a field twice', async () => {
    const { token } = await tenantAdminSession(t.api, admin, { placement: 'pooled', plan: 'professional' });
    const before = await t.sql('SELECT count(*)::int AS imports FROM bulk_imports');
    const latin1 = Buffer.concat([Buffer.from('firstName,lastName,email\nJ'), Buffer.from([0xfc]), Buffer.from('rgen,M,j@x.test\n')]);
    const refused = await fetch(`${t.api.baseUrl}/api/imports?entity=contacts&format=csv&mode=skip_invalid&externalKey=email`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: latin1,
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ message: expect.stringContaining('not UTF-8'), details: [{ field: 'body' }] });
    expect(await t.sql('SELECT count(*)::int AS imports FROM bulk_imports')).toEqual(before);

    const twice = await imported(
      t.api,
      token,
      'entity=contacts&format=csv&mode=skip_invalid&externalKey=email',
      'firstName,lastName,email,email\nA,B,a@x.test,b@x.test',
    );
    expect(twice).toMatchObject({ status: 'failed', rowsWritten: 0, failure: 'The CSV header names email twice (columns 3 and 4)' });
    // A forged cursor of its error report: a row number that is none is refused before the database sees it.
    for (const position of [
      [1.5, ''],
      [1e20, ''],
    ]) {
      const cursor = Buffer.from(JSON.stringify(position)).toString('base64url');
      const page = await t.api.get(`/api/imports/${twice.id}/errors?cursor=${cursor}`, { token });
      expect({ status: page.status, fields: page.body.details?.map((detail: { field: string }) => detail.field) }).toEqual({
        status: 400,
        fields: ['cursor'],
      });
    }
  });

  it('creates nothing twice when one file is imported twice at once', async () => {
    const { token } = await tenantAdminSession(t.api, admin, { placement: 'pooled', plan: 'enterprise' });
    const csv = ['firstName,lastName,email', ...Array.from({ length: 1500 }, (_, i) => `F,L,twice${i}@x.test`)].join('\n');
    const query = 'entity=contacts&format=csv&mode=skip_invalid&externalKey=email';
    // One upload after the other (one tenant's uploads take turns on this app); their jobs run at the same time.
    const first = await startImport(t.api, token, query, csv);
    const second = await startImport(t.api, token, query, csv);
    expect([first.status, second.status]).toEqual([202, 202]);
    const jobs = await Promise.all([finished(t.api, token, first.body.id), finished(t.api, token, second.body.id)]);
    expect(jobs.map((job) => job.status)).toEqual(['completed', 'completed']);
    const emails = csvRows((await exported(t.api, token, 'contacts')).text).map((row) => row.email);
    expect({ contacts: emails.length, distinct: new Set(emails).size }).toEqual({ contacts: 1500, distinct: 1500 });
  });

  it('keeps to the plan’s maxContacts: the rows beyond it are reported, the others land', async () => {
    await t.sql(`UPDATE plans SET max_contacts = 3 WHERE name = 'starter'`);
    const { token } = await tenantAdminSession(t.api, admin, { placement: 'pooled', plan: 'starter' });
    const csv = ['firstName,lastName,email', ...Array.from({ length: 5 }, (_, i) => `P${i},Person,p${i}@example.test`)].join('\n');
    const job = await imported(t.api, token, 'entity=contacts&format=csv&mode=skip_invalid&externalKey=email', csv);
    expect(job).toMatchObject({ status: 'completed', rowsWritten: 3, rowsFailed: 2 });
    expect(await errorReport(t.api, token, job.id)).toEqual([
      { row: 4, field: 'quota.maxContacts', message: 'limit 3 reached' },
      { row: 5, field: 'quota.maxContacts', message: 'limit 3 reached' },
    ]);
  });

  it('refuses hostile input with a clear 4xx and keeps nothing; another tenant’s import is a 404', async () => {
    const { token, tenant } = await tenantAdminSession(t.api, admin, { placement: 'pooled', plan: 'professional' });
    const query = 'entity=accounts&format=csv&mode=skip_invalid&externalKey=name';
    const nul = await startImport(t.api, token, query, 'name\nAcme\u0000Corp');
    expect(nul.status).toBe(400);
    expect(nul.body).toMatchObject({ statusCode: 400, details: [{ field: 'body', problems: ['must not contain U+0000'] }] });
    const oversized = await startImport(t.api, token, query, `name\n${'x'.repeat(IMPORT_LIMIT)}`);
    expect(oversized.status).toBe(413);
    expect((await startImport(t.api, token, query.replace('accounts', 'invoices'), 'name\nAcme')).body.details).toEqual([
      { field: 'entity', problems: [expect.stringContaining('entity must be one of')] },
    ]);
    expect((await startImport(t.api, token, query.replace('externalKey=name', 'externalKey=industry'), 'name\nAcme')).status).toBe(400);
    expect((await startImport(t.api, token, query, '{"name":"Acme"}', { 'content-type': 'application/json' })).status).toBe(415);
    expect((await t.api.request('POST', '/api/accounts', undefined, { token, rawBody: 'name\nAcme', headers: CSV })).status).toBe(415);
    expect(await t.sql('SELECT count(*)::int AS n FROM bulk_imports WHERE tenant_id = $1', [tenant.id])).toEqual([{ n: 0 }]);

    const huge = await imported(t.api, token, query, `name,industry\nBig,${'y'.repeat(20_000)}\nSmall,Retail`);
    expect(huge).toMatchObject({ status: 'completed', rowsWritten: 1, rowsFailed: 1 });
    expect(await errorReport(t.api, token, huge.id)).toEqual([
      { row: 1, field: 'industry', message: expect.stringContaining('industry must be shorter') },
    ]);
    const malformed = await imported(t.api, token, query, 'name\n"Never closed\nOther');
    expect(malformed.status).toBe('failed');
    expect(malformed.failure).toContain('The CSV cannot be read');
    const ragged = await imported(t.api, token, query, 'name,industry\nOne,Retail,extra\nTwo,Retail');
    expect(ragged).toMatchObject({ status: 'completed', rowsWritten: 1, rowsFailed: 1 });

    // What the API refuses in a request body is a row error in an NDJSON file, the other rows landing.
    const lines = [
      '{"name":"Nul","industry":"Retail\\u0000"}',
      '{"name":"Surrogate","industry":"\\ud800"}',
      `{"name":"Deep","industry":${'['.repeat(65)}${']'.repeat(65)}}`,
      '{"name":"Fine","industry":"Retail"}',
    ];
    const ndjson = await imported(t.api, token, query.replace('format=csv', 'format=ndjson'), lines.join('\n'), NDJSON);
    expect(ndjson).toMatchObject({ status: 'completed', rowsRead: 4, rowsWritten: 1, rowsFailed: 3 });
    expect(await errorReport(t.api, token, ndjson.id)).toEqual([
      { row: 1, field: '', message: 'Row 1 holds the NUL character (U+0000) in industry' },
      { row: 2, field: '', message: 'Row 2 holds an unpaired surrogate (U+D800–U+DFFF) in industry' },
      { row: 3, field: '', message: 'Row 3 nests objects or arrays deeper than 64 levels' },
    ]);

    const other = await tenantAdminSession(t.api, admin, { placement: 'pooled', plan: 'professional' });
    expect((await t.api.get(`/api/imports/${huge.id}`, { token: other.token })).status).toBe(404);
    expect((await t.api.get(`/api/imports/${huge.id}/errors`, { token: other.token })).status).toBe(404);
  });

  it('lets uploads hold at most half of the request connections, one tenant’s at most half of those: beyond, a 429 or a 503 to retry', async () => {
    // The test app's pool of 5 gives 2 upload slots, so 1 for one tenant.
    const [first, second, third] = await Promise.all(
      [0, 1, 2].map(() => tenantAdminSession(t.api, admin, { placement: 'pooled', plan: 'professional' })),
    );
    const file = 'name\nSlow One';
    const url = new URL(`${t.api.baseUrl}/api/imports?entity=accounts&format=csv&mode=skip_invalid&externalKey=name`);
    // An upload that has sent its first bytes and holds on to the rest.
    const holdUpload = (token: string) => {
      const request = httpRequest(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': String(Buffer.byteLength(file)) },
      });
      const answered = new Promise<number>((resolve, reject) => {
        request.on('response', (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
      });
      request.write(file.slice(0, 5));
      return { request, answered };
    };
    // An upload is in the service once its transaction waits for the rest of its file.
    const uploadsWaiting = async () =>
      (
        await t.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND state = 'idle in transaction' AND query LIKE 'INSERT INTO bulk_imports %'`,
        )
      )[0].n;
    const untilWaiting = async (count: number) => {
      for (const deadline = Date.now() + 30_000; (await uploadsWaiting()) < count;) {
        if (Date.now() > deadline) throw new Error(`${count} uploads never reached the service`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const query = 'entity=accounts&format=csv&mode=skip_invalid&externalKey=name';

    const held = [holdUpload(first.token)];
    await untilWaiting(1);
    const overShare = await startImport(t.api, first.token, query, 'name\nSecond of the first');
    expect(overShare.status).toBe(429);
    expect(overShare.headers.get('retry-after')).toBe('5');
    expect((overShare.body as unknown as { message: string }).message).toContain('as many as one tenant may');

    held.push(holdUpload(second.token));
    await untilWaiting(2);
    const refused = await startImport(t.api, third.token, query, 'name\nThird');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect((refused.body as unknown as { message: string }).message).toContain('retry shortly');

    for (const { request } of held) request.end(file.slice(5));
    expect(await Promise.all(held.map(({ answered }) => answered))).toEqual([202, 202]);
    expect((await startImport(t.api, third.token, query, 'name\nFourth')).status).toBe(202);
    expect((await startImport(t.api, first.token, query, 'name\nFifth')).status).toBe(202);
  });

  it('gates imports by the entity’s write permission and exports by its read permission', async () => {
    const { token, tenant } = await tenantAdminSession(t.api, admin, { placement: 'pooled', plan: 'professional' });
    const role = { name: 'contact_reader', permissions: ['contacts.read', 'imports.run'] };
    expect((await t.api.post('/api/roles', role, { token })).status).toBe(201);
    const reader = { email: `${unique('reader')}@example.test`, password: 'a-readers-long-password' };
    await inviteIntoTenant(t.api, token, reader.email, 'contact_reader', reader.password);
    const readerToken = (await loginAs(t.api, reader.email, reader.password, tenant.slug)).accessToken;
    const query = 'entity=contacts&format=csv&mode=skip_invalid&externalKey=email';
    const refused = await startImport(t.api, readerToken, query, 'firstName,lastName,email\nA,B,a@example.test');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ statusCode: 403, message: expect.stringContaining('contacts.write') });
    const mine = await imported(t.api, token, query, 'firstName,lastName,email\nA,B,a@example.test');
    expect((await t.api.get(`/api/imports/${mine.id}`, { token: readerToken })).status).toBe(403);
    expect((await exported(t.api, readerToken, 'contacts')).status).toBe(200);
    expect((await exported(t.api, readerToken, 'accounts')).status).toBe(403);
  });

  it('byod: imports into the customer’s own table through the mapping, idempotently, refuses all_or_nothing, and exports from there', async () => {
    const connection = { host: LEGACY_MYSQL.host, port: LEGACY_MYSQL.port, database: legacy, user: LEGACY_MYSQL.user, password: '' };
    const mapping = { contact: { table: 'people', fields: { id: 'person_id', first_name: 'given', last_name: 'family', email: 'mail' } } };
    const { token } = await activeByodTenant(t.api, admin, { settings: { kind: 'mysql', connection }, entities: mapping });
    const csv = [
      'firstName,lastName,email',
      'Ada,"Lovelace, Countess",ada@example.test',
      'Bad,Email,nope',
      'Grace,Hopper,grace@example.test',
    ].join('\n');
    const query = 'entity=contacts&format=csv&mode=skip_invalid&externalKey=email';
    const first = await imported(t.api, token, query, csv);
    expect(first).toMatchObject({ status: 'completed', rowsWritten: 2, rowsFailed: 1 });
    const again = await imported(t.api, token, query, csv.replace('Hopper', 'Hopper-Murray'));
    expect(again).toMatchObject({ status: 'completed', rowsWritten: 2, rowsFailed: 1 });
    const mysql = await createConnection({ ...LEGACY_MYSQL, database: legacy });
    const [people] = await mysql.query('SELECT given, family, mail FROM people ORDER BY mail');
    await mysql.end();
    expect(people).toEqual([
      { given: 'Ada', family: 'Lovelace, Countess', mail: 'ada@example.test' },
      { given: 'Grace', family: 'Hopper-Murray', mail: 'grace@example.test' },
    ]);
    expect((await startImport(t.api, token, query.replace('skip_invalid', 'all_or_nothing'), csv)).status).toBe(409);
    const rows = csvRows((await exported(t.api, token, 'contacts')).text);
    expect(rows.map((row) => row.lastName).sort()).toEqual(['Hopper-Murray', 'Lovelace, Countess']);
  });

  it('byod: an import whose last attempt fails on the customer’s system ends failed saying why, not running for ever', async () => {
    const mysql = await createConnection({ ...LEGACY_MYSQL, database: legacy });
    await mysql.query(
      'CREATE TABLE vanishing (id integer AUTO_INCREMENT PRIMARY KEY, given varchar(80), family varchar(80), mail varchar(200))',
    );
    const connection = { host: LEGACY_MYSQL.host, port: LEGACY_MYSQL.port, database: legacy, user: LEGACY_MYSQL.user, password: '' };
    const mapping = { contact: { table: 'vanishing', fields: { id: 'id', first_name: 'given', last_name: 'family', email: 'mail' } } };
    const { token } = await activeByodTenant(t.api, admin, { settings: { kind: 'mysql', connection }, entities: mapping });
    // Behind the product's back, the customer drops the table the mapping names.
    await mysql.query('DROP TABLE vanishing');
    await mysql.end();

    const query = 'entity=contacts&format=csv&mode=skip_invalid&externalKey=email';
    const job = await imported(t.api, token, query, 'firstName,lastName,email\nAda,Lovelace,ada@example.test');
    expect(job).toMatchObject({ status: 'failed', rowsWritten: 0 });
    expect(job.failure).toMatch(/^The import stopped after its last attempt failed: The tenant's database did not answer: .*vanishing/);
  });

  it('byod: an export the customer’s system cannot answer is the error the list route gives, not a 200 or a bare 400, and is not audited as made', async () => {
    const mysql = await createConnection({ ...LEGACY_MYSQL, database: legacy });
    await mysql.query(
      'CREATE TABLE unlisted (id integer AUTO_INCREMENT PRIMARY KEY, given varchar(80), family varchar(80), mail varchar(200))',
    );
    const connection = { host: LEGACY_MYSQL.host, port: LEGACY_MYSQL.port, database: legacy, user: LEGACY_MYSQL.user, password: '' };
    const mapping = { contact: { table: 'unlisted', fields: { id: 'id', first_name: 'given', last_name: 'family', email: 'mail' } } };
    const { token, tenant } = await activeByodTenant(t.api, admin, { settings: { kind: 'mysql', connection }, entities: mapping });
    await mysql.query('DROP TABLE unlisted');
    await mysql.end();

    const listed = await t.api.get('/api/contacts', { token });
    expect(listed.status).toBeGreaterThanOrEqual(500);
    for (const format of ['csv', 'ndjson']) {
      const answer = await exported(t.api, token, 'contacts', format);
      expect({ status: answer.status, type: answer.type }).toEqual({
        status: listed.status,
        type: expect.stringContaining('application/json'),
      });
      // The message says why (the breaker may have opened on the failures before it, which it then says too).
      expect(JSON.parse(answer.text)).toEqual({
        ...listed.body,
        message: expect.stringContaining("Table '" + legacy + ".unlisted' doesn't exist"),
      });
    }
    expect(await t.sql(`SELECT 1 FROM audit_log WHERE action = 'tenant.data_export' AND tenant_id = $1`, [tenant.id])).toEqual([]);
  });
});
