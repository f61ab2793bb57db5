import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['tenants', 'tenant_memberships', 'users', 'tenant_roles'];

/**
 * Announces every change of a tenant, membership, user or tenant role with NOTIFY on
 * `control_plane_changes`, so every API process drops its cached copy at once (the change feed).
 * A trigger, not application code, so no writer is missed (the fleet runner's schema_version
 * updates, provisioning, the CLI); PostgreSQL delivers the NOTIFY when, and only if, the changing
 * transaction commits, and sends identical ones of one transaction once.
 */
export class ControlPlaneChangeFeed1764040000000 implements MigrationInterface {
  name = 'ControlPlaneChangeFeed1764040000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // IF/ELSIF rather than CASE: plpgsql resolves a record's fields only in the branch it runs.
    await queryRunner.query(`
      CREATE FUNCTION notify_control_plane_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changed record;
        payload json;
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD IS NOT DISTINCT FROM NEW THEN RETURN NULL; END IF;
        IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
        IF TG_TABLE_NAME = 'tenants' THEN
          payload := json_build_object('kind', 'tenant', 'tenantId', changed.id);
        ELSIF TG_TABLE_NAME = 'tenant_memberships' THEN
          payload := json_build_object('kind', 'membership', 'userId', changed.user_id, 'tenantId', changed.tenant_id);
        ELSIF TG_TABLE_NAME = 'users' THEN
          payload := json_build_object('kind', 'user', 'userId', changed.id);
        ELSE
          payload := json_build_object('kind', 'roles', 'tenantId', changed.tenant_id);
        END IF;
        PERFORM pg_notify('control_plane_changes', payload::text);
        RETURN NULL;
      END $$`);
    for (const table of TABLES) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_notify_change AFTER INSERT OR UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION notify_control_plane_change()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.query(`DROP TRIGGER ${table}_notify_change ON ${table}`);
    await queryRunner.query(`DROP FUNCTION notify_control_plane_change()`);
  }
}
