import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request rate limits of /api (issue 21): per plan, requests per minute for the whole tenant and
 * for each of its principals (a user or an API key); NULL is unlimited. A platform admin may
 * override either for one tenant; the override lives on `tenants`, so its change is announced by
 * the tenants trigger of the change feed and every process applies it at once.
 */
export class RateLimits1764073000000 implements MigrationInterface {
  name = 'RateLimits1764073000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE plans
        ADD COLUMN tenant_requests_per_minute integer CHECK (tenant_requests_per_minute > 0),
        ADD COLUMN principal_requests_per_minute integer CHECK (principal_requests_per_minute > 0)`);
    await queryRunner.query(`
      UPDATE plans SET (tenant_requests_per_minute, principal_requests_per_minute) =
        (CASE name WHEN 'starter' THEN 600 WHEN 'professional' THEN 3000 WHEN 'enterprise' THEN 12000 END,
         CASE name WHEN 'starter' THEN 300 WHEN 'professional' THEN 1200 WHEN 'enterprise' THEN 3000 END)`);
    await queryRunner.query(`
      ALTER TABLE tenants
        ADD COLUMN tenant_requests_per_minute_override integer CHECK (tenant_requests_per_minute_override > 0),
        ADD COLUMN principal_requests_per_minute_override integer CHECK (principal_requests_per_minute_override > 0)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE tenants DROP COLUMN tenant_requests_per_minute_override, DROP COLUMN principal_requests_per_minute_override',
    );
    await queryRunner.query('ALTER TABLE plans DROP COLUMN tenant_requests_per_minute, DROP COLUMN principal_requests_per_minute');
  }
}
