import { createHash } from 'node:crypto';
import { escapeIdentifier } from 'pg';
import { DataSource } from 'typeorm';
import { createScratchDatabase, ScratchDatabase } from '../../../libs/tenancy/testing/scratch-database';
import { TENANT_MIGRATIONS } from '../../../migrations/tenant';
import { contactListStatement } from './contact-list.statement';
import { ListContactsQueryDto } from './dto/contact.dto';

/**
 * The contact list's plan in a pooled database, on real PostgreSQL: many tenants' contacts in one
 * table, read as the application role so that row-level security adds the tenant condition.
 */
const TENANTS = 100;
const OWNERS_PER_TENANT = 10;
const CONTACTS_PER_TENANT = 1_000;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Parent Relationship'?: string;
  Plans?: PlanNode[];
}

let database: ScratchDatabase;
let dataSource: DataSource;
let appRole: string;
// Ids as the seeding statement derives them: md5 of a name, read as a uuid.
const uuidOf = (name: string) =>
  createHash('md5')
    .update(name)
    .digest('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
const tenantId = uuidOf('tenant-1');
const ownerUserId = uuidOf('owner-1-0');

beforeAll(async () => {
  database = await createScratchDatabase('contact_list_spec');
  dataSource = new DataSource({ type: 'postgres', url: database.url, migrations: TENANT_MIGRATIONS, extra: { max: 1 } });
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.query(
    `INSERT INTO contacts (tenant_id, first_name, last_name, email, owner_user_id)
     SELECT md5('tenant-' || t)::uuid, 'First' || i, 'Smith', 'person' || i || '@example.test', md5('owner-' || t || '-' || i % $3)::uuid
       FROM generate_series(1, $1::int) AS t, generate_series(1, $2::int) AS i`,
    [TENANTS, CONTACTS_PER_TENANT, OWNERS_PER_TENANT],
  );
  await dataSource.query('VACUUM ANALYZE contacts');
  appRole = escapeIdentifier(`${database.name}_app`);
  await dataSource.query(`CREATE ROLE ${appRole} NOLOGIN`);
  await dataSource.query(`GRANT SELECT ON contacts, contact_accounts TO ${appRole}`);
  await dataSource.query(`SET ROLE ${appRole}`);
  await dataSource.query("SELECT set_config('app.tenant_id', $1, false)", [tenantId]);
});

afterAll(async () => {
  // Roles outlive databases.
  if (appRole) await dataSource.query(`RESET ROLE; DROP OWNED BY ${appRole}; DROP ROLE ${appRole}`);
  await dataSource?.destroy();
  await database?.drop();
});

describe('contact list in a pooled database', () => {
  it('estimates an owner of the tenant to have about as many contacts as it has', async () => {
    const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM contacts WHERE owner_user_id = $1', [ownerUserId]);
    const [{ 'QUERY PLAN': plan }] = await dataSource.query(
      `EXPLAIN (FORMAT JSON) SELECT * FROM contacts WHERE owner_user_id = '${ownerUserId}'`,
    );
    expect(count).toBeGreaterThan(50);
    // Independent selectivities would give 1/100 (tenant) × 1/1,000 (owner) of 100,000 rows: 1.
    expect(plan[0].Plan['Plan Rows']).toBeGreaterThan(count / 2);
  });

  it('walks the owner index in page order instead of sorting all of the owner’s contacts', async () => {
    const query = Object.assign(new ListContactsQueryDto(), { limit: 50, ownerUserId, search: 'smi' });
    const { text, values } = contactListStatement(query, { property: 'createdAt', direction: 'DESC' });
    // The application runs the list as a prepared statement, so the generic plan is the one to look at.
    await dataSource.query(`PREPARE contact_list AS ${text}`);
    try {
      await dataSource.query('SET plan_cache_mode = force_generic_plan');
      const literals = values.map((value) => (typeof value === 'number' ? String(value) : `'${String(value)}'`));
      const [{ 'QUERY PLAN': plan }] = await dataSource.query(`EXPLAIN (FORMAT JSON) EXECUTE contact_list(${literals.join(', ')})`);
      const limit: PlanNode = plan[0].Plan;
      // The rows the limit takes come straight from the index, not from a Sort above it.
      const rows = limit.Plans?.find((node) => node['Parent Relationship'] === 'Outer');
      expect(limit['Node Type']).toBe('Limit');
      expect(rows).toMatchObject({ 'Node Type': 'Index Scan', 'Index Name': 'contacts_owner_idx', 'Scan Direction': 'Backward' });
    } finally {
      await dataSource.query('DEALLOCATE contact_list');
      await dataSource.query('RESET plan_cache_mode');
    }
  });
});
