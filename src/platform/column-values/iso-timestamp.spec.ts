import { Client } from 'pg';
import { isoTimestamp } from './iso-timestamp';

/** On real PostgreSQL: the rendered text is exactly what Date#toISOString gives, whatever the session's time zone. */
describe('isoTimestamp', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: process.env.TENANTRY_TEST_ADMIN_URL });
    await client.connect();
    await client.query("SET TimeZone = 'America/St_Johns'");
  });

  afterAll(() => client?.end());

  it.each(['2026-11-23T15:33:26.123Z', '2026-01-01T00:00:00.000Z', '1999-12-31T23:59:59.900Z', '2024-02-29T12:00:00.007Z'])(
    'renders %s as toISOString does',
    async (iso) => {
      const { rows } = await client.query(`SELECT ${isoTimestamp('$1::timestamptz(3)')} AS rendered`, [iso]);
      expect(rows[0].rendered).toBe(new Date(iso).toISOString());
    },
  );
});
