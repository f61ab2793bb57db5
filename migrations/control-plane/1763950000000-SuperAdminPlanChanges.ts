import { MigrationInterface, QueryRunner } from 'typeorm';

/** A super admin changes an assigned tenant's plan (and with it its quotas) only where a platform admin allowed it. */
export class SuperAdminPlanChanges1763950000000 implements MigrationInterface {
  name = 'SuperAdminPlanChanges1763950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE super_admin_tenants ADD COLUMN may_change_plan boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE super_admin_tenants DROP COLUMN may_change_plan`);
  }
}
