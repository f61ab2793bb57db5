import { DataSource } from 'typeorm';
import { BulkImports1764150000000 } from '../../../migrations/control-plane/1764150000000-BulkImports';
import { AttemptSupersededError, FencedAttempt } from '../../../libs/queue/fenced-attempt';
import { createScratchDatabase, ScratchDatabase } from '../../../libs/tenancy/testing/scratch-database';
import { ImportAttempt } from './bulk-import-ledger';
import { findImport, IMPORT_FENCE } from './bulk-import-records';

/** ImportAttempt against real PostgreSQL (the BulkImports migration's tables): progress and row errors, fenced. */
let database: ScratchDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  database = await createScratchDatabase('import_attempt_spec');
  dataSource = new DataSource({ type: 'postgres', url: database.url, extra: { max: 2 } });
  await dataSource.initialize();
  // The one column of tenants the import tables reference.
  await dataSource.query('CREATE TABLE tenants (id uuid PRIMARY KEY DEFAULT gen_random_uuid())');
  const runner = dataSource.createQueryRunner();
  await new BulkImports1764150000000().up(runner);
  await runner.release();
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

async function attemptOn(importId: string): Promise<ImportAttempt> {
  const fenced = await FencedAttempt.claim(dataSource, IMPORT_FENCE, importId, new AbortController().signal);
  return new ImportAttempt(fenced!, dataSource, (await findImport(dataSource.manager, importId))!);
}

async function newImport(): Promise<string> {
  const [tenant] = await dataSource.query('INSERT INTO tenants DEFAULT VALUES RETURNING id');
  const [row] = await dataSource.query(
    `INSERT INTO bulk_imports (tenant_id, entity, format, mode, external_key) VALUES ($1, 'contacts', 'csv', 'skip_invalid', 'email') RETURNING id`,
    [tenant.id],
  );
  return row.id as string;
}

const errorsOf = (importId: string) =>
  dataSource.query('SELECT row_number AS row, field, message FROM bulk_import_errors WHERE import_id = $1 ORDER BY row_number, field', [
    importId,
  ]);

describe('ImportAttempt.saveProgress', () => {
  it('records the counters and each row error once, however often an attempt records it', async () => {
    const id = await newImport();
    const attempt = await attemptOn(id);
    const first = { row: 2, field: 'email', message: 'email must be an email' };
    await attempt.saveProgress({ rowsRead: 10, rowsWritten: 9, rowsFailed: 1, rowsDone: 10 }, [first]);
    await attempt.saveProgress({ rowsRead: 20, rowsWritten: 18, rowsFailed: 2, rowsDone: 20 }, [
      first,
      { row: 15, field: '', message: 'Row 15 has 3 cells where the header has 4' },
    ]);
    expect(await findImport(dataSource.manager, id)).toMatchObject({
      status: 'running',
      rowsRead: 20,
      rowsWritten: 18,
      rowsFailed: 2,
      rowsDone: 20,
    });
    expect(await errorsOf(id)).toEqual([first, { row: 15, field: '', message: 'Row 15 has 3 cells where the header has 4' }]);
  });

  it('records nothing for an attempt a later one superseded', async () => {
    const id = await newImport();
    const stale = await attemptOn(id);
    await stale.saveProgress({ rowsRead: 5, rowsWritten: 5, rowsFailed: 0, rowsDone: 5 }, []);
    await attemptOn(id);
    await expect(
      stale.saveProgress({ rowsRead: 9, rowsWritten: 8, rowsFailed: 1, rowsDone: 9 }, [{ row: 7, field: 'email', message: 'taken' }]),
    ).rejects.toThrow(AttemptSupersededError);
    expect(await findImport(dataSource.manager, id)).toMatchObject({ rowsRead: 5, rowsWritten: 5, rowsFailed: 0, rowsDone: 5 });
    expect(await errorsOf(id)).toEqual([]);
  });
});
