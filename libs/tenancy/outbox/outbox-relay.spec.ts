import { DataSource } from 'typeorm';
import { createScratchDatabase, ScratchDatabase } from '../testing/scratch-database';
import { isOutboxMissing, tenantsWithPendingEvents } from './outbox-relay';

let database: ScratchDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  database = await createScratchDatabase('outbox_relay_spec');
  dataSource = new DataSource({ type: 'postgres', url: database.url, extra: { max: 1 } });
  await dataSource.initialize();
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

// A real PostgreSQL database whose tenant schema predates the outbox.
describe('a tenant database without an outbox yet', () => {
  it('is told apart from other failures, so the sweep skips it rather than failing', async () => {
    const failure: unknown = await tenantsWithPendingEvents(dataSource).catch((error: unknown) => error);
    expect(isOutboxMissing(failure)).toBe(true);
    const other: unknown = await dataSource.query('SELECT 1/0').catch((error: unknown) => error);
    expect(isOutboxMissing(other)).toBe(false);
  });
});
