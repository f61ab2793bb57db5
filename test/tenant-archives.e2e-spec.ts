import { createHash } from 'node:crypto';
import { access, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { create, extract } from 'tar';
import { JobQueue } from '../libs/queue/job-queue';
import { TENANT_BACKUP_SWEEP_QUEUE, TENANT_EXPORT_DEAD_LETTERS } from '../src/control-plane/tenant-archives/tenant-archive-queue';
import { adminToken, tenantAdminSession, unique, waitForProvisioning } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';
import { until } from './support/until';

interface Archive {
  id: string;
  tenantId: string;
  kind: 'export' | 'backup';
  status: string;
  sizeBytes: number | null;
  ageSeconds: number;
  failureReason: string | null;
  tables: Array<{ name: string; rows: number; sha256: string }> | null;
}

/**
 * Tenant archives over the real API: exports written by the queue, restored into new and existing
 * tenants (pooled and dedicated), scheduled backups, and who may download what.
 */
describe('tenant archives', () => {
  let t: TestApp;
  let admin: string;
  let archiveDir: string;
  let plan: string;

  beforeAll(async () => {
    archiveDir = await mkdtemp(join(tmpdir(), 'tenantry-archives-'));
    // A restore held by a test's lock waits for it (TENANT_LOCK_TIMEOUT_MS) while writes are refused without waiting long.
    t = await startTestApp({ env: { ARCHIVE_DIR: archiveDir, TENANT_LOCK_TIMEOUT_MS: '30000', TENANT_MOVE_WRITE_WAIT_MS: '200' } });
    admin = await adminToken(t.api);
    plan = unique('arch').toLowerCase().replace(/-/g, '');
    const created = await t.api.post(
      '/control/plans',
      { name: plan, displayName: 'Archives', modules: ['notes', 'accounts', 'contacts', 'deals', 'activities'], tenantExportAllowed: true },
      { token: admin },
    );
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await t?.close();
    await rm(archiveDir, { recursive: true, force: true });
  });

  /** Some of everything: rows referring to each other, a note under a note, a soft-deleted contact, and their data audit. */
  async function seed(token: string, marker: string) {
    await t.api.patch('/api/tenant/settings', { currency: 'EUR' }, { token });
    const account = (await t.api.post('/api/accounts', { name: `${marker} Corp` }, { token })).body.id;
    const contact = await t.api.post(
      '/api/contacts',
      { firstName: marker, lastName: 'Person', email: `${marker}@example.test` },
      { token },
    );
    expect(contact.status).toBe(201);
    const gone = (await t.api.post('/api/contacts', { firstName: 'Gone', lastName: marker }, { token })).body.id;
    expect((await t.api.delete(`/api/contacts/${gone}`, { token })).status).toBe(204);
    const deal = await t.api.post(
      '/api/deals',
      {
        name: `${marker} deal`,
        accountId: account,
        contactId: contact.body.id,
        lineItems: [{ description: 'Licence', quantity: 2, unitPriceMinor: 1999 }],
      },
      { token },
    );
    expect(deal.status).toBe(201);
    await t.api.post(
      '/api/activities',
      { type: 'call', subject: `Call ${marker}`, relatedType: 'contact', relatedId: contact.body.id },
      { token },
    );
    const parent = (await t.api.post('/api/notes', { title: `${marker} parent` }, { token })).body.id;
    expect((await t.api.post('/api/notes', { title: `${marker} child`, parentId: parent }, { token })).status).toBe(201);
    return { account, contact: contact.body.id as string, deal: deal.body.id as string };
  }

  async function finished(path: string, token = admin): Promise<Archive> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const response = await t.api.get<Archive>(path, { token });
      expect(response.status).toBe(200);
      if (response.body.status !== 'pending') return response.body;
      if (Date.now() > deadline) throw new Error(`still pending: ${path}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function exported(tenantId: string): Promise<Archive> {
    const requested = await t.api.post<Archive>(`/control/tenants/${tenantId}/exports`, undefined, { token: admin });
    expect(requested.status).toBe(202);
    expect(requested.body.status).toBe('pending');
    const archive = await finished(`/control/tenants/${tenantId}/exports/${requested.body.id}`);
    expect(archive).toMatchObject({ status: 'completed', failureReason: null });
    return archive;
  }

  async function restored(body: object): Promise<{ id: string; targetTenantId: string; restoredRows: Record<string, number> }> {
    const requested = await t.api.post('/control/tenants/restores', body, { token: admin });
    expect(requested.status).toBe(202);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const restore = await t.api.get(`/control/tenants/${requested.body.targetTenantId}/restores/${requested.body.id}`, { token: admin });
      if (restore.body.status !== 'pending') {
        expect(restore.body).toMatchObject({ status: 'completed', failureReason: null });
        return restore.body;
      }
      if (Date.now() > deadline) throw new Error('restore still pending');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Each table's checksum: the archive leaves tenant_id out, so equal data of two tenants has equal bytes. */
  const checksums = (archive: Archive) => Object.fromEntries(archive.tables!.map((table) => [table.name, table.sha256]));

  async function download(path: string, token: string): Promise<{ status: number; files: Record<string, string> }> {
    const response = await fetch(`${t.api.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) return { status: response.status, files: {} };
    expect(response.headers.get('content-type')).toBe('application/gzip');
    const directory = await mkdtemp(join(tmpdir(), 'tenantry-download-'));
    try {
      await writeFile(join(directory, 'archive.tar.gz'), Buffer.from(await response.arrayBuffer()));
      await extract({ file: join(directory, 'archive.tar.gz'), cwd: directory });
      const files: Record<string, string> = { 'manifest.json': await readFile(join(directory, 'manifest.json'), 'utf8') };
      for (const name of await readdir(join(directory, 'tables')))
        files[`tables/${name}`] = await readFile(join(directory, 'tables', name), 'utf8');
      return { status: 200, files };
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }

  it('exports a pooled tenant with none of its pool neighbour’s rows, and restores it into a new dedicated tenant byte for byte', async () => {
    const alpha = await tenantAdminSession(t.api, admin, { plan });
    const bravo = await tenantAdminSession(t.api, admin, { plan });
    const alphaIds = await seed(alpha.token, 'alphamark');
    const bravoIds = await seed(bravo.token, 'bravomark');

    const archive = await exported(alpha.tenant.id);
    const rows = Object.fromEntries(archive.tables!.map((table) => [table.name, table.rows]));
    expect(rows).toMatchObject({ accounts: 1, contacts: 2, deals: 1, deal_line_items: 1, activities: 1, notes: 2 });
    expect(rows.data_audit).toBeGreaterThanOrEqual(6);

    const { files } = await download(`/control/tenants/${alpha.tenant.id}/exports/${archive.id}/download`, admin);
    const manifest = JSON.parse(files['manifest.json']);
    expect(manifest).toMatchObject({ formatVersion: 1, tenantId: alpha.tenant.id, schemaVersion: expect.stringMatching(/\d{13}$/) });
    const everything = Object.values(files).join('\n');
    expect(everything).toContain(alphaIds.contact);
    for (const foreign of [bravo.tenant.id, bravoIds.contact, bravoIds.account, bravoIds.deal, 'bravomark'])
      expect(everything).not.toContain(foreign);

    const slug = unique('restored').toLowerCase();
    const restore = await restored({
      archiveId: archive.id,
      into: 'new',
      tenant: { slug, name: 'Restored', plan, placement: 'dedicated', admin: { email: `${slug}@example.test` } },
    });
    expect(restore.restoredRows).toMatchObject({ contacts: 2, notes: 2 });
    const copy = await exported(restore.targetTenantId);
    expect(checksums(copy)).toEqual(checksums(archive));
  });

  it('restores over the same dedicated tenant only when its slug confirms it, bringing back the archived data', async () => {
    const charlie = await tenantAdminSession(t.api, admin, { plan, placement: 'dedicated' });
    const ids = await seed(charlie.token, 'charliemark');
    const archive = await exported(charlie.tenant.id);
    expect((await t.api.delete(`/api/deals/${ids.deal}`, { token: charlie.token })).status).toBe(204);
    expect((await t.api.post('/api/notes', { title: 'written after the export' }, { token: charlie.token })).status).toBe(201);

    const unconfirmed = await t.api.post('/control/tenants/restores', { archiveId: archive.id, into: 'same' }, { token: admin });
    expect(unconfirmed.status).toBe(400);
    const wrong = await t.api.post(
      '/control/tenants/restores',
      { archiveId: archive.id, into: 'same', confirm: 'someone-else' },
      { token: admin },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([{ field: 'confirm', problems: [expect.any(String)] }]);
    expect(await t.sql('SELECT count(*)::int AS n FROM tenant_restores')).toEqual([{ n: 1 }]);

    await restored({ archiveId: archive.id, into: 'same', confirm: charlie.tenant.slug });
    expect(checksums(await exported(charlie.tenant.id))).toEqual(checksums(archive));
    expect((await t.api.get(`/api/deals/${ids.deal}`, { token: charlie.token })).status).toBe(200);

    const first = (await t.api.get(`/control/tenants/${charlie.tenant.id}/exports?limit=1`, { token: admin })).body;
    expect(first.items).toHaveLength(1);
    const second = (await t.api.get(`/control/tenants/${charlie.tenant.id}/exports?limit=1&cursor=${first.nextCursor}`, { token: admin }))
      .body;
    expect(second).toEqual({ items: [expect.objectContaining({ id: archive.id })], nextCursor: null });
  });

  it('freezes the writes of a tenant it restores over until the archive replaced its data, and starts no move or second restore meanwhile', async () => {
    const india = await tenantAdminSession(t.api, admin, { plan, placement: 'dedicated' });
    expect((await t.api.post('/api/notes', { title: 'archived' }, { token: india.token })).status).toBe(201);
    const archive = await exported(india.tenant.id);
    expect((await t.api.post('/api/notes', { title: 'written after the export' }, { token: india.token })).status).toBe(201);
    const [{ database_name: database }] = await t.sql<{ database_name: string }>('SELECT database_name FROM tenants WHERE id = $1', [
      india.tenant.id,
    ]);
    // A lock on the tenant's notes holds the restore inside its data transaction, its freeze on, for as long as the test needs.
    const tenantDatabase = new URL(t.databaseUrl);
    tenantDatabase.pathname = `/${database}`;
    const holder = new Client({ connectionString: tenantDatabase.toString() });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE notes IN SHARE MODE');
      const requested = await t.api.post(
        '/control/tenants/restores',
        { archiveId: archive.id, into: 'same', confirm: india.tenant.slug },
        { token: admin },
      );
      expect(requested.status).toBe(202);
      await until(
        async () => (await t.sql('SELECT 1 FROM tenants WHERE id = $1 AND writes_frozen_at IS NOT NULL', [india.tenant.id])).length,
      );
      // The change feed tells the app of the freeze within moments: until then a write is admitted (a contact, whose
      // table is not locked; the restore replaces it with the rest).
      await until(
        async () => (await t.api.post('/api/contacts', { firstName: 'Before', lastName: 'Freeze' }, { token: india.token })).status === 503,
      );

      const write = await t.api.post('/api/notes', { title: 'written during the restore' }, { token: india.token });
      expect(write.status).toBe(503);
      expect(write.headers.get('retry-after')).toBe('1');
      expect((await t.api.get('/api/notes', { token: india.token })).status).toBe(200);
      const move = await t.api.post(`/control/tenants/${india.tenant.id}/moves`, { placement: 'pooled' }, { token: admin });
      expect(move.status).toBe(409);
      expect(move.body.message).toMatch(/being restored/);
      const again = await t.api.post(
        '/control/tenants/restores',
        { archiveId: archive.id, into: 'same', confirm: india.tenant.slug },
        { token: admin },
      );
      expect(again.status).toBe(409);
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    await until(
      async () =>
        (await t.sql(`SELECT 1 FROM tenant_restores WHERE target_tenant_id = $1 AND status = 'completed'`, [india.tenant.id])).length,
    );
    const titles = (await t.api.get('/api/notes', { token: india.token })).body.items.map((note: { title: string }) => note.title);
    expect(titles).toEqual(['archived']);
    expect((await t.api.post('/api/notes', { title: 'written after the restore' }, { token: india.token })).status).toBe(201);
  });

  it('lets a tenant admin export and download its own tenant’s data only, and only where the plan allows it', async () => {
    const delta = await tenantAdminSession(t.api, admin, { plan });
    const echo = await tenantAdminSession(t.api, admin, { plan });
    const starter = await tenantAdminSession(t.api, admin, { plan: 'starter' });
    await seed(delta.token, 'deltamark');

    const requested = await t.api.post<Archive>('/api/tenant/exports', undefined, { token: delta.token });
    expect(requested.status).toBe(202);
    const archive = await finished(`/api/tenant/exports/${requested.body.id}`, delta.token);
    expect(archive.status).toBe('completed');
    const own = await download(`/api/tenant/exports/${archive.id}/download`, delta.token);
    expect(own.status).toBe(200);
    expect(own.files['tables/contacts.ndjson']).toContain('deltamark');

    expect((await download(`/api/tenant/exports/${archive.id}/download`, echo.token)).status).toBe(404);
    expect((await t.api.get(`/api/tenant/exports/${archive.id}`, { token: echo.token })).status).toBe(404);
    const refused = await t.api.post('/api/tenant/exports', undefined, { token: starter.token });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/plan does not allow/);
    expect((await download(`/api/tenant/exports/${archive.id}/download`, starter.token)).status).toBe(403);
  });

  it('refuses to export a byod tenant, whose data lives in its own system', async () => {
    const slug = unique('byod').toLowerCase();
    const registered = await t.api.post(
      '/control/tenants',
      { slug, name: 'Byod', plan, placement: 'byod', admin: { email: `${slug}@example.test` } },
      { token: admin },
    );
    await waitForProvisioning(t.api, admin, registered.body.id);
    const refused = await t.api.post(`/control/tenants/${registered.body.id}/exports`, undefined, { token: admin });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/byod/);
  });

  it('backs up the tenants of a daily plan once a day, keeps the plan’s number of backups, and a backup restores', async () => {
    const foxtrot = await tenantAdminSession(t.api, admin, { plan });
    await seed(foxtrot.token, 'foxtrotmark');
    expect((await t.api.patch(`/control/plans/${plan}`, { backupSchedule: 'daily', backupsKept: 1 }, { token: admin })).status).toBe(200);
    const sweep = () => t.app.get(JobQueue).sendWithin((text, values) => t.sql(text, values), TENANT_BACKUP_SWEEP_QUEUE, {});

    await sweep();
    const listed = async () =>
      (await t.api.get<{ items: Archive[] }>(`/control/tenants/${foxtrot.tenant.id}/backups`, { token: admin })).body.items;
    const deadline = Date.now() + 20_000;
    while ((await listed()).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const [pending] = await listed();
    const backup = await finished(`/control/tenants/${foxtrot.tenant.id}/exports/${pending.id}`);
    expect(backup).toMatchObject({ kind: 'backup', status: 'completed', sizeBytes: expect.any(Number), ageSeconds: expect.any(Number) });
    expect(backup.sizeBytes).toBeGreaterThan(0);

    // A second sweep the same day backs nothing up again.
    await sweep();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await listed()).map((archive) => archive.id)).toEqual([backup.id]);

    const slug = unique('frombackup').toLowerCase();
    const restore = await restored({
      archiveId: backup.id,
      into: 'new',
      tenant: { slug, name: 'From backup', plan, placement: 'pooled', admin: { email: `${slug}@example.test` } },
    });
    expect(checksums(await exported(restore.targetTenantId))).toEqual(checksums(backup));

    // A day later the next sweep backs the tenant up again, and with backupsKept 1 the older backup goes, file and all.
    await t.sql(`UPDATE tenant_archives SET created_at = now() - interval '2 days' WHERE id = $1`, [backup.id]);
    await sweep();
    const later = Date.now() + 20_000;
    let current = await listed();
    while ((current.length !== 1 || current[0].id === backup.id || current[0].status !== 'completed') && Date.now() < later) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      current = await listed();
    }
    expect(current).toEqual([expect.objectContaining({ kind: 'backup', status: 'completed' })]);
    expect(current[0].id).not.toBe(backup.id);
    await expect(access(join(archiveDir, foxtrot.tenant.id, `${backup.id}.tar.gz`))).rejects.toThrow();
  });

  it('marks an export failed once its job has failed for good, so it never stays pending', async () => {
    const hotel = await tenantAdminSession(t.api, admin, { plan });
    // An export whose every attempt died: its row pending, its job handed to the dead letters.
    const [{ id }] = await t.sql(`INSERT INTO tenant_archives (tenant_id, kind, status) VALUES ($1, 'export', 'pending') RETURNING id`, [
      hotel.tenant.id,
    ]);
    await t.app.get(JobQueue).sendWithin((text, values) => t.sql(text, values), TENANT_EXPORT_DEAD_LETTERS, { archiveId: id });
    const archive = await finished(`/control/tenants/${hotel.tenant.id}/exports/${id}`);
    expect(archive).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/every attempt/) });
  });

  it('restores an archive of an older schema onto the current one by column name, and refuses an archive file changed since it was written', async () => {
    const golf = await tenantAdminSession(t.api, admin, { plan });
    const ids = await seed(golf.token, 'golfmark');
    expect((await t.api.patch(`/api/contacts/${ids.contact}`, { jobTitle: 'CFO' }, { token: golf.token })).status).toBe(200);
    const archive = await exported(golf.tenant.id);

    // Rewritten as a release whose contacts had no job title would have written it.
    const file = join(archiveDir, golf.tenant.id, `${archive.id}.tar.gz`);
    const work = await mkdtemp(join(tmpdir(), 'tenantry-older-'));
    try {
      await extract({ file, cwd: work });
      const manifest = JSON.parse(await readFile(join(work, 'manifest.json'), 'utf8'));
      const contacts = manifest.tables.find((table: { name: string }) => table.name === 'contacts');
      const lines = (await readFile(join(work, contacts.file), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.stringify({ ...JSON.parse(line), job_title: undefined }))
        .join('\n')
        .concat('\n');
      await writeFile(join(work, contacts.file), lines);
      Object.assign(contacts, {
        columns: contacts.columns.filter((column: string) => column !== 'job_title'),
        bytes: Buffer.byteLength(lines),
        sha256: createHash('sha256').update(lines).digest('hex'),
      });
      manifest.schemaVersion = 'Invoices1763990000003';
      await writeFile(join(work, 'manifest.json'), JSON.stringify(manifest));
      await create({ gzip: true, file, cwd: work, portable: true }, [
        'manifest.json',
        ...manifest.tables.map((table: { file: string }) => table.file),
      ]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }

    const refused = await t.api.post(
      '/control/tenants/restores',
      { archiveId: archive.id, into: 'same', confirm: golf.tenant.slug },
      { token: admin },
    );
    expect(refused.status).toBe(202);
    const path = `/control/tenants/${golf.tenant.id}/restores/${refused.body.id}`;
    const deadline = Date.now() + 20_000;
    while ((await t.api.get(path, { token: admin })).body.status === 'pending' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect((await t.api.get(path, { token: admin })).body).toMatchObject({
      status: 'failed',
      failureReason: expect.stringMatching(/checksum/),
    });

    const written = await readFile(file);
    await t.sql('UPDATE tenant_archives SET sha256 = $2, size_bytes = $3 WHERE id = $1', [
      archive.id,
      createHash('sha256').update(written).digest('hex'),
      (await stat(file)).size,
    ]);
    await restored({ archiveId: archive.id, into: 'same', confirm: golf.tenant.slug });
    const contact = (await t.api.get(`/api/contacts/${ids.contact}`, { token: golf.token })).body;
    expect(contact).toMatchObject({ firstName: 'golfmark', email: 'golfmark@example.test' });
    expect(contact.jobTitle ?? null).toBeNull();
  });
});
