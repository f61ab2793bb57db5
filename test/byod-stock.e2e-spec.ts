import { createConnection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adminToken, tenantAdminSession } from './support/factories';
import { activeByodTenant } from './support/byod-tenants';
import { LEGACY_MYSQL, legacyPostgresUrl, onLegacyPostgres } from './support/legacy-databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Stock movements on a byod tenant's own table change the stock and the mapped status in one
 * conditional statement, on MariaDB and PostgreSQL: however movements interleave, the customer's
 * row never shows stock and status disagreeing, and an archived item refuses movements exactly
 * as a pooled one does. The legacy table's own CHECK constraint refuses any row state where the
 * two disagree, so a status written in a statement of its own could not pass.
 */
const legacyName = `byod_stock_${randomBytes(4).toString('hex')}`;

const ROWS = `INSERT INTO stock_lines VALUES
  ('S-LAST', 'Last lantern', 1, 12.50, 'in_stock'),
  ('S-RACE', 'Busy bolt', 1, 0.40, 'in_stock'),
  ('S-OLD', 'Retired rope', 3, 7.00, 'retired')`;
/**
 * The customer's own database refuses any statement leaving a row in stock but sold out, or empty
 * but in stock: a status written by a second statement would be refused at the first one.
 */
const STOCK_AND_STATE_AGREE = `CONSTRAINT stock_and_state_agree CHECK (line_state IN ('held', 'retired') OR (units > 0) = (line_state = 'in_stock'))`;
const MARIADB_SCHEMA = `CREATE TABLE stock_lines (
  line_code varchar(24) PRIMARY KEY,
  label varchar(80) NOT NULL,
  units int NOT NULL,
  unit_price decimal(10,2) NOT NULL,
  line_state ENUM('in_stock', 'held', 'sold_out', 'retired') NOT NULL,
  ${STOCK_AND_STATE_AGREE}
)`;
const PG_SCHEMA = `CREATE TYPE stock_state AS ENUM ('in_stock', 'held', 'sold_out', 'retired');
CREATE TABLE stock_lines (
  line_code varchar(24) PRIMARY KEY,
  label varchar(80) NOT NULL,
  units integer NOT NULL,
  unit_price numeric(10,2) NOT NULL,
  line_state stock_state NOT NULL,
  ${STOCK_AND_STATE_AGREE}
)`;
const MAPPING = {
  table: 'stock_lines',
  fields: { sku: 'line_code', name: 'label', stock_on_hand: 'units', price_selling_minor: 'unit_price', status: 'line_state' },
  valueMaps: { status: { available: 'in_stock', reserved: 'held', sold: 'sold_out', archived: 'retired' } },
};

interface LegacyRow {
  units: number;
  line_state: string;
}

/** The customer's row as its own database holds it. */
const legacyRow = {
  mariadb: async (code: string): Promise<LegacyRow> => {
    const mysql = await createConnection({ ...LEGACY_MYSQL, database: legacyName });
    try {
      const [rows] = await mysql.query('SELECT units, line_state FROM stock_lines WHERE line_code = ?', [code]);
      return (rows as LegacyRow[])[0];
    } finally {
      await mysql.end();
    }
  },
  postgres: async (code: string): Promise<LegacyRow> => {
    const client = new Client({ connectionString: legacyPostgresUrl(legacyName) });
    await client.connect();
    try {
      const { rows } = await client.query<LegacyRow>('SELECT units, line_state FROM stock_lines WHERE line_code = $1', [code]);
      return rows[0];
    } finally {
      await client.end();
    }
  },
};

describe('byod stock movements', () => {
  let t: TestApp;
  let admin: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`CREATE DATABASE ${legacyName}`);
    await mysql.query(`USE ${legacyName}`);
    await mysql.query(MARIADB_SCHEMA);
    await mysql.query(ROWS);
    await mysql.end();
    await onLegacyPostgres('postgres', `CREATE DATABASE ${legacyName}`);
    await onLegacyPostgres(legacyName, `${PG_SCHEMA}; ${ROWS}`);
    t = await startTestApp({ env: { BYOD_ALLOW_PRIVATE_NETWORKS: 'true' } });
    admin = await adminToken(t.api);
    const pg = new URL(legacyPostgresUrl(legacyName));
    const sources = {
      mariadb: { kind: 'mysql', connection: { ...LEGACY_MYSQL, database: legacyName } },
      postgres: {
        kind: 'postgres',
        connection: {
          host: pg.hostname,
          port: Number(pg.port || 5432),
          database: legacyName,
          user: decodeURIComponent(pg.username),
          password: decodeURIComponent(pg.password),
        },
      },
    };
    for (const [name, source] of Object.entries(sources)) {
      tokens[name] = (await activeByodTenant(t.api, admin, { settings: source, entities: { inventory_item: MAPPING } })).token;
    }
  });

  afterAll(async () => {
    await t.close();
    const mysql = await createConnection(LEGACY_MYSQL);
    await mysql.query(`DROP DATABASE IF EXISTS ${legacyName}`);
    await mysql.end();
    await onLegacyPostgres('postgres', `DROP DATABASE IF EXISTS ${legacyName} WITH (FORCE)`);
  });

  describe.each(['mariadb', 'postgres'] as const)('on %s', (name) => {
    const move = (sku: string, kind: string, quantity: number) =>
      t.api.post(`/api/inventory/items/${sku}/movements`, { kind, quantity, reason: 'counter' }, { token: tokens[name] });
    const item = async (sku: string) => (await t.api.get(`/api/inventory/items/${sku}`, { token: tokens[name] })).body;

    it('marks an item sold when its last unit is sold, and available again when stock is received', async () => {
      const sold = await move('S-LAST', 'sell', 1);
      expect(sold.status).toBe(201);
      expect(sold.body.stockAfter).toBe(0);
      expect(await legacyRow[name]('S-LAST')).toEqual({ units: 0, line_state: 'sold_out' });
      expect(await item('S-LAST')).toMatchObject({ stockOnHand: 0, status: 'sold' });

      expect((await move('S-LAST', 'receive', 2)).status).toBe(201);
      expect(await legacyRow[name]('S-LAST')).toEqual({ units: 2, line_state: 'in_stock' });
      expect(await item('S-LAST')).toMatchObject({ stockOnHand: 2, status: 'available' });
    });

    it('keeps stock and status agreeing under concurrent sales and receipts, never below zero', async () => {
      // Stock hovering around zero: every round crosses between sold and available many times.
      let expected = 1;
      for (let round = 0; round < 3; round++) {
        const kinds = Array.from({ length: 30 }, (_, index) => (index % 2 === 0 ? 'sell' : 'receive'));
        const answers = await Promise.all(kinds.map((kind) => move('S-RACE', kind, 1)));
        const accepted = (kind: string) => answers.filter((answer, index) => kinds[index] === kind && answer.status === 201).length;
        expect(answers.every((answer) => answer.status === 201 || answer.status === 409)).toBe(true);
        expect(accepted('receive')).toBe(15);
        expected += 15 - accepted('sell');
        const row = await legacyRow[name]('S-RACE');
        expect(row).toEqual({ units: expected, line_state: expected > 0 ? 'in_stock' : 'sold_out' });
      }

      const sales = await Promise.all(Array.from({ length: expected + 8 }, () => move('S-RACE', 'sell', 1)));
      expect(sales.filter((answer) => answer.status === 201)).toHaveLength(expected);
      expect(sales.filter((answer) => answer.status === 409)).toHaveLength(8);
      expect(await legacyRow[name]('S-RACE')).toEqual({ units: 0, line_state: 'sold_out' });
    });

    it('refuses movements on an archived item with the answer a pooled tenant gives, changing nothing', async () => {
      const pooled = await tenantAdminSession(t.api, admin, { placement: 'pooled', plan: 'professional' });
      const created = await t.api.post(
        '/api/inventory/items',
        { sku: 'S-OLD', name: 'Retired rope', priceSellingMinor: 700, initialStock: 3 },
        { token: pooled.token },
      );
      await t.api.patch(`/api/inventory/items/${created.body.id}`, { status: 'archived' }, { token: pooled.token });
      const pooledAnswer = await t.api.post(
        `/api/inventory/items/${created.body.id}/movements`,
        { kind: 'sell', quantity: 1, reason: 'counter' },
        { token: pooled.token },
      );
      expect(pooledAnswer.status).toBe(409);

      for (const kind of ['sell', 'receive', 'adjust']) {
        const answer = await move('S-OLD', kind, 1);
        expect([answer.status, answer.body.message]).toEqual([pooledAnswer.status, pooledAnswer.body.message]);
      }
      expect(await legacyRow[name]('S-OLD')).toEqual({ units: 3, line_state: 'retired' });

      expect((await t.api.patch('/api/inventory/items/S-OLD', { status: 'available' }, { token: tokens[name] })).status).toBe(200);
      expect((await move('S-OLD', 'sell', 3)).status).toBe(201);
      expect(await legacyRow[name]('S-OLD')).toEqual({ units: 0, line_state: 'sold_out' });
    });
  });
});
