import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change of a byod tenant's data source moves its `revision` on and is announced with NOTIFY
 * on `data_source_changes` (payload: the tenant id). Serving processes compare the revision on
 * every request, so no request after a change's commit is served by the settings, mappings or rules
 * it replaced; the NOTIFY lets idle processes close a replaced pool at once. Triggers, not
 * application code, so no writer is missed.
 */
export class DataSourceRevisions1764060000000 implements MigrationInterface {
  name = 'DataSourceRevisions1764060000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tenant_data_sources ADD COLUMN revision integer NOT NULL DEFAULT 1`);
    await queryRunner.query(`
      CREATE FUNCTION next_data_source_revision() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD IS DISTINCT FROM NEW THEN NEW.revision := OLD.revision + 1; END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tenant_data_sources_revision BEFORE UPDATE ON tenant_data_sources
        FOR EACH ROW EXECUTE FUNCTION next_data_source_revision()`);
    await queryRunner.query(`
      CREATE FUNCTION notify_data_source_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD IS NOT DISTINCT FROM NEW THEN RETURN NULL; END IF;
        -- IF/ELSE rather than CASE: plpgsql resolves a record's fields only in the branch it runs.
        IF TG_OP = 'DELETE' THEN
          PERFORM pg_notify('data_source_changes', OLD.tenant_id::text);
        ELSE
          PERFORM pg_notify('data_source_changes', NEW.tenant_id::text);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tenant_data_sources_notify_change AFTER INSERT OR UPDATE OR DELETE ON tenant_data_sources
        FOR EACH ROW EXECUTE FUNCTION notify_data_source_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tenant_data_sources_notify_change ON tenant_data_sources`);
    await queryRunner.query(`DROP FUNCTION notify_data_source_change()`);
    await queryRunner.query(`DROP TRIGGER tenant_data_sources_revision ON tenant_data_sources`);
    await queryRunner.query(`DROP FUNCTION next_data_source_revision()`);
    await queryRunner.query(`ALTER TABLE tenant_data_sources DROP COLUMN revision`);
  }
}
