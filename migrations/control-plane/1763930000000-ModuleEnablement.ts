import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Module routes now answer 403 for tenants that have not enabled the module. Tenants created
 * before that had no modules recorded but used notes; they keep notes.
 */
export class ModuleEnablement1763930000000 implements MigrationInterface {
  name = 'ModuleEnablement1763930000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE tenants SET enabled_modules = '{notes}' WHERE enabled_modules = '{}' AND status <> 'provisioning'`);
  }

  async down(): Promise<void> {
    // Nothing to undo: the modules stay recorded.
  }
}
