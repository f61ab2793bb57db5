import { randomBytes } from 'node:crypto';
import { activeByodTenant } from './support/byod-tenants';
import { adminToken } from './support/factories';
import { legacyPostgresUrl, onLegacyPostgres } from './support/legacy-databases';
import { endedSyncRun } from './support/source-sync-runs';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A byod tenant on a customer's PostgreSQL set up as legacy databases are: a DateStyle and a time zone of its own,
 * placeholder and zone-less times, a schema of its own whose triggers call functions in public, triggers refusing
 * values. Each test has a database and tenant of its own; the rows are changed with statements straight on it.
 */
const suffix = randomBytes(4).toString('hex');
const ROLE = `pglegacy_${suffix}`;
const PASSWORD = `pw-${suffix}`;
const PEOPLE = { table: 'people', fields: { id: 'id', first_name: 'first', last_name: 'last', email: 'email', updated_at: 'changed' } };

describe('byod on a legacy PostgreSQL', () => {
  let app: TestApp;
  let admin: string;
  const databases: string[] = [];

  beforeAll(async () => {
    await onLegacyPostgres('postgres', `CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`);
    app = await startTestApp({ env: { BYOD_ALLOW_PRIVATE_NETWORKS: 'true', SOURCE_SYNC_RETRY_DELAY_SECONDS: '1' } });
    admin = await adminToken(app.api);
  });

  afterAll(async () => {
    await app?.close();
    for (const database of databases) await onLegacyPostgres('postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await onLegacyPostgres('postgres', `DROP ROLE IF EXISTS ${ROLE}`);
  });

  /** A byod tenant on a database of its own, set up by `setup` (run as the server's admin), mapped as `entities`. */
  async function legacyTenant(tag: string, setup: string, entities: Record<string, unknown>, schema?: string) {
    const database = `pglegacy_${tag}_${suffix}`;
    databases.push(database);
    await onLegacyPostgres('postgres', `CREATE DATABASE ${database} OWNER ${ROLE}`);
    await onLegacyPostgres(database, `SET ROLE ${ROLE}; ${setup}`);
    const url = new URL(legacyPostgresUrl(database));
    const connection = {
      host: url.hostname,
      port: Number(url.port || 5432),
      database,
      user: ROLE,
      password: PASSWORD,
      ...(schema ? { schema } : {}),
    };
    const { base, token } = await activeByodTenant(app.api, admin, { settings: { kind: 'postgres', connection }, entities });
    return { database, base, token };
  }

  const syncNow = (base: string) => endedSyncRun(app.api, admin, base);

  it('reads times whatever the DateStyle and time zone, and a placeholder or zone-less future time does not hold the sync back', async () => {
    const touch = `CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.changed := localtimestamp; RETURN NEW; END $$;
       CREATE TRIGGER people_touch BEFORE UPDATE ON people FOR EACH ROW EXECUTE FUNCTION touch();`;
    const { database, base, token } = await legacyTenant(
      'clocks',
      `CREATE TABLE people (id serial PRIMARY KEY, first varchar(50) NOT NULL, last varchar(50) NOT NULL, email varchar(100),
         created timestamp NOT NULL DEFAULT localtimestamp, changed timestamp NOT NULL DEFAULT localtimestamp);
       ${touch}
       INSERT INTO people (first, last, changed) VALUES ('Ada', 'Lovelace', localtimestamp - interval '1 hour'),
         ('Alan', 'Turing', localtimestamp - interval '1 hour'), ('Never', 'Expires', 'infinity'),
         ('Shop', 'Front', localtimestamp + interval '3 hours');`,
      { contact: { ...PEOPLE, fields: { ...PEOPLE.fields, created_at: 'created' } } },
    );
    await onLegacyPostgres(
      'postgres',
      `ALTER DATABASE ${database} SET datestyle = 'SQL, DMY'; ALTER DATABASE ${database} SET timezone = 'America/New_York'`,
    );

    const ada = (await app.api.get('/api/contacts?limit=10', { token })).body.items.find(
      (contact: { firstName: string }) => contact.firstName === 'Ada',
    );
    expect(ada.createdAt).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/));
    expect(await syncNow(base)).toMatchObject({ status: 'succeeded', baseline: true, rowsSeen: 4 });
    await onLegacyPostgres(database, `UPDATE people SET email = 'ada@new.example.test' WHERE first = 'Ada'`);
    expect(await syncNow(base)).toMatchObject({ status: 'succeeded', changes: { created: 0, updated: 1, deleted: 0 } });
    await onLegacyPostgres(database, `UPDATE people SET email = 'alan@new.example.test' WHERE first = 'Alan'`);
    expect(await syncNow(base)).toMatchObject({ status: 'succeeded', changes: { created: 0, updated: 1, deleted: 0 } });
  });

  it('answers a value the customer’s trigger refuses with a 422 that quotes nothing of it, without pausing the tenant’s other calls', async () => {
    const { token } = await legacyTenant(
      'guarded',
      `CREATE TABLE people (id serial PRIMARY KEY, first varchar(50) NOT NULL, last varchar(50) NOT NULL, email varchar(100), changed timestamptz);
       CREATE FUNCTION guard() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN IF NEW.last = 'Forbidden' THEN RAISE EXCEPTION 'last name % is not allowed here', NEW.last; END IF; RETURN NEW; END $$;
       CREATE TRIGGER people_guard BEFORE INSERT OR UPDATE ON people FOR EACH ROW EXECUTE FUNCTION guard();`,
      { contact: PEOPLE },
    );
    for (let i = 0; i < 6; i += 1) {
      const refused = await app.api.post('/api/contacts', { firstName: 'Eve', lastName: 'Forbidden' }, { token });
      expect(refused.status).toBe(422);
      expect(JSON.stringify(refused.body)).not.toMatch(/Forbidden|not allowed|P0001/);
    }
    expect((await app.api.get('/api/contacts', { token })).status).toBe(200);
    expect((await app.api.post('/api/contacts', { firstName: 'Eve', lastName: 'Allowed' }, { token })).status).toBe(201);
  });

  it('keeps the customer’s usual search path beside its schema, so its triggers find their functions in public', async () => {
    const { token } = await legacyTenant(
      'schema',
      `CREATE FUNCTION tidy(value varchar) RETURNS varchar LANGUAGE sql AS $$ SELECT btrim(value) $$;
       CREATE SCHEMA "Legacy";
       CREATE TABLE "Legacy".people (id serial PRIMARY KEY, first varchar(50) NOT NULL, last varchar(50) NOT NULL, email varchar(100), changed timestamptz);
       CREATE FUNCTION "Legacy".tidy_names() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.last := tidy(NEW.last); RETURN NEW; END $$;
       CREATE TRIGGER people_tidy BEFORE INSERT OR UPDATE ON "Legacy".people FOR EACH ROW EXECUTE FUNCTION "Legacy".tidy_names();
       INSERT INTO "Legacy".people (first, last) VALUES ('Ada', 'Lovelace');`,
      { contact: PEOPLE },
      'Legacy',
    );
    const [ada] = (await app.api.get('/api/contacts', { token })).body.items;
    const changed = await app.api.patch(`/api/contacts/${ada.id}`, { lastName: '  Byron  ' }, { token });
    expect(changed.status).toBe(200);
    expect(changed.body.lastName).toBe('Byron');
  });

  it('names the column a create leaves without a value when the mapping leaves it out, with a 422', async () => {
    const { token } = await legacyTenant(
      'regional',
      `CREATE TABLE people (id serial PRIMARY KEY, first varchar(50) NOT NULL, last varchar(50) NOT NULL, email varchar(100),
         changed timestamptz, region text NOT NULL);`,
      { contact: PEOPLE },
    );
    const refused = await app.api.post('/api/contacts', { firstName: 'Ada', lastName: 'Lovelace' }, { token });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain('its column "region", which the tenant\'s mapping leaves out, needs a value');
  });

  it('answers char(n) values without the padding PostgreSQL adds, keys included, and finds records by them', async () => {
    const { token } = await legacyTenant(
      'padded',
      `CREATE TABLE stock (code char(8) PRIMARY KEY, label char(20) NOT NULL, qty integer NOT NULL, price numeric(12,2) NOT NULL);
       INSERT INTO stock VALUES ('S-1', 'Bolt', 10, 1.50), ('S-2', 'Nut', 20, 0.25);`,
      { inventory_item: { table: 'stock', fields: { sku: 'code', name: 'label', stock_on_hand: 'qty', price_selling_minor: 'price' } } },
    );
    const listed = await app.api.get('/api/inventory/items', { token });
    expect(listed.body.items.map((item: { id: string; sku: string; name: string }) => [item.id, item.sku, item.name])).toEqual([
      ['S-1', 'S-1', 'Bolt'],
      ['S-2', 'S-2', 'Nut'],
    ]);
    expect((await app.api.get('/api/inventory/items/S-2', { token })).body).toMatchObject({ id: 'S-2', sku: 'S-2', stockOnHand: 20 });
  });
});
