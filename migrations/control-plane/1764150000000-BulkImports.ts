import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk imports of tenant data: the uploaded file kept in chunks until its job has run (never held
 * in memory whole), the job's progress (fenced by `attempt_token`, see libs/queue/fenced-attempt.ts)
 * and its per-row error report. Everything goes with the tenant.
 */
export class BulkImports1764150000000 implements MigrationInterface {
  name = 'BulkImports1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE bulk_imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        requested_by uuid,
        entity varchar(32) NOT NULL,
        format varchar(8) NOT NULL CHECK (format IN ('csv', 'ndjson')),
        mode varchar(16) NOT NULL CHECK (mode IN ('all_or_nothing', 'skip_invalid')),
        external_key varchar(80) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
        size_bytes bigint NOT NULL DEFAULT 0,
        rows_read integer NOT NULL DEFAULT 0,
        rows_written integer NOT NULL DEFAULT 0,
        rows_failed integer NOT NULL DEFAULT 0,
        rows_done integer NOT NULL DEFAULT 0,
        failure text,
        attempt_token integer NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        finished_at timestamptz(3)
      )`);
    await queryRunner.query(`CREATE INDEX bulk_imports_by_tenant ON bulk_imports (tenant_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE bulk_import_chunks (
        import_id uuid NOT NULL REFERENCES bulk_imports (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (import_id, seq)
      )`);
    await queryRunner.query(`
      CREATE TABLE bulk_import_errors (
        import_id uuid NOT NULL REFERENCES bulk_imports (id) ON DELETE CASCADE,
        row_number integer NOT NULL,
        field varchar(200) NOT NULL,
        message text NOT NULL,
        PRIMARY KEY (import_id, row_number, field)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE bulk_import_errors`);
    await queryRunner.query(`DROP TABLE bulk_import_chunks`);
    await queryRunner.query(`DROP TABLE bulk_imports`);
  }
}
