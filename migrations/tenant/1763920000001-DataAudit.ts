import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateTenants } from './tenant-isolation';

/**
 * The tenant's own audit trail of its data: who created, changed or deleted what, when, with the
 * changed fields. It lives in the tenant's database (its rows under the same row-level security
 * as the data), never in the control plane or another tenant's database.
 */
export class DataAudit1763920000001 implements MigrationInterface {
  name = 'DataAudit1763920000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE data_audit (
        tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        occurred_at timestamptz(3) NOT NULL DEFAULT now(),
        actor_user_id uuid,
        request_id varchar(128),
        entity varchar(64) NOT NULL,
        entity_id uuid NOT NULL,
        action varchar(16) NOT NULL CHECK (action IN ('create', 'update', 'delete')),
        changes jsonb NOT NULL,
        PRIMARY KEY (tenant_id, id)
      )`);
    await queryRunner.query(`CREATE INDEX data_audit_occurred_idx ON data_audit (tenant_id, occurred_at, id)`);
    await queryRunner.query(`CREATE INDEX data_audit_entity_idx ON data_audit (tenant_id, entity, entity_id, occurred_at)`);
    await isolateTenants(queryRunner, ['data_audit']);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE data_audit`);
  }
}
