import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The id of this control plane: a random uuid, one row, shared by every process on this
 * control-plane database. It goes into the ownership mark (a COMMENT) of every database and role
 * the control plane creates on a tenant server, so a second control plane on the same server,
 * with another id, never adopts or drops them.
 *
 * Databases and roles created before marks existed are proven ours by the tenant and pool rows
 * that reference them; `legacy_marks_pending` asks the app to mark those once at start-up
 * (LegacyOwnershipMarks). A new control plane has nothing to mark.
 */
export class ControlPlaneIdentity1764000000000 implements MigrationInterface {
  name = 'ControlPlaneIdentity1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE control_plane_identity (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        singleton boolean NOT NULL DEFAULT true UNIQUE CHECK (singleton),
        legacy_marks_pending boolean NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      INSERT INTO control_plane_identity (legacy_marks_pending)
      SELECT EXISTS (SELECT 1 FROM tenants WHERE database_name IS NOT NULL) OR EXISTS (SELECT 1 FROM tenant_pools)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE control_plane_identity`);
  }
}
