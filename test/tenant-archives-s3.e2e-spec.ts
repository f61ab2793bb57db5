import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import S3rver from 's3rver';
import { adminToken, tenantAdminSession } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

const BUCKET = 'tenantry-archives';
const PREFIX = 'fleet-a/';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Archives kept in an S3-compatible bucket (ARCHIVE_S3_BUCKET): a real S3 server (s3rver, speaking
 * the S3 REST API over HTTP) receives the exports through the AWS SDK, serves the downloads and the
 * restores, and ARCHIVE_DIR keeps nothing once an archive is stored.
 */
describe('tenant archives in an S3-compatible bucket', () => {
  let s3rver: S3rver;
  let s3: S3Client;
  let t: TestApp;
  let admin: string;
  let stagingDir: string;
  let s3Dir: string;

  beforeAll(async () => {
    s3Dir = await mkdtemp(join(tmpdir(), 'tenantry-s3-'));
    stagingDir = await mkdtemp(join(tmpdir(), 'tenantry-staging-'));
    s3rver = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Dir });
    const { port } = await s3rver.run();
    const endpoint = `http://127.0.0.1:${port}`;
    s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    t = await startTestApp({
      env: {
        ARCHIVE_DIR: stagingDir,
        ARCHIVE_S3_BUCKET: BUCKET,
        ARCHIVE_S3_ENDPOINT: endpoint,
        ARCHIVE_S3_FORCE_PATH_STYLE: 'true',
        ARCHIVE_S3_PREFIX: PREFIX,
        ARCHIVE_S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        ARCHIVE_S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      },
    });
    admin = await adminToken(t.api);
  });

  afterAll(async () => {
    await t?.close();
    s3?.destroy();
    await s3rver?.close();
    await rm(s3Dir, { recursive: true, force: true });
    await rm(stagingDir, { recursive: true, force: true });
  });

  async function settled(path: string): Promise<{ status: string; [key: string]: unknown }> {
    for (const deadline = Date.now() + 20_000; ;) {
      const response = await t.api.get(path, { token: admin });
      if (response.body.status !== 'pending') return response.body;
      if (Date.now() > deadline) throw new Error(`still pending: ${path}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function exported(tenantId: string): Promise<{ id: string; status: string }> {
    const requested = await t.api.post(`/control/tenants/${tenantId}/exports`, undefined, { token: admin });
    expect(requested.status).toBe(202);
    return (await settled(`/control/tenants/${tenantId}/exports/${requested.body.id}`)) as { id: string; status: string };
  }

  async function objectBytes(key: string): Promise<Buffer> {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  }

  it('stores an export as an object under the prefix, leaves nothing staged, and downloads exactly that object', async () => {
    const alpha = await tenantAdminSession(t.api, admin, { placement: 'pooled' });
    expect((await t.api.post('/api/notes', { title: 'kept in the bucket' }, { token: alpha.token })).status).toBe(201);

    const archive = await exported(alpha.tenant.id);
    expect(archive.status).toBe('completed');
    const key = `${PREFIX}${alpha.tenant.id}/${archive.id}.tar.gz`;
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ContentLength).toBeGreaterThan(0);
    expect(await readdir(join(stagingDir, alpha.tenant.id))).toEqual([]);

    const response = await fetch(`${t.api.baseUrl}/control/tenants/${alpha.tenant.id}/exports/${archive.id}/download`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(await objectBytes(key))).toBe(true);
  });

  it('restores an archive kept in the bucket into a new tenant, and refuses one whose object was changed since', async () => {
    const bravo = await tenantAdminSession(t.api, admin, { placement: 'pooled' });
    expect((await t.api.post('/api/notes', { title: 'restored from the bucket' }, { token: bravo.token })).status).toBe(201);
    const archive = await exported(bravo.tenant.id);

    const requested = await t.api.post(
      '/control/tenants/restores',
      { archiveId: archive.id, into: 'new', tenant: newTenant('bravo-restored') },
      { token: admin },
    );
    expect(requested.status).toBe(202);
    const restore = await settled(`/control/tenants/${requested.body.targetTenantId}/restores/${requested.body.id}`);
    expect(restore).toMatchObject({ status: 'completed', failureReason: null });
    expect(restore.restoredRows).toMatchObject({ notes: 1 });
    const [{ database_name: pool }] = await t.sql<{ database_name: string }>(
      'SELECT p.database_name FROM tenants t JOIN tenant_pools p ON p.id = t.tenant_pool_id WHERE t.id = $1',
      [requested.body.targetTenantId],
    );
    const poolUrl = new URL(t.databaseUrl);
    poolUrl.pathname = `/${pool}`;
    const client = new Client({ connectionString: poolUrl.toString() });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT title FROM notes WHERE tenant_id = $1', [requested.body.targetTenantId]);
      expect(rows).toEqual([{ title: 'restored from the bucket' }]);
    } finally {
      await client.end();
    }

    const key = `${PREFIX}${bravo.tenant.id}/${archive.id}.tar.gz`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from('not the archive that was written') }));
    const tampered = await t.api.post(
      '/control/tenants/restores',
      { archiveId: archive.id, into: 'new', tenant: newTenant('bravo-tampered') },
      { token: admin },
    );
    expect(tampered.status).toBe(202);
    const refused = await settled(`/control/tenants/${tampered.body.targetTenantId}/restores/${tampered.body.id}`);
    expect(refused).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/does not match the checksum/) });
  });
});

function newTenant(prefix: string) {
  const slug = `${prefix}-${Date.now().toString(36)}`;
  return { slug, name: prefix, plan: 'starter', placement: 'pooled', admin: { email: `${slug}@example.test` } };
}
