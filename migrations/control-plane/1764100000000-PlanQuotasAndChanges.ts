import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plans as platform admins create and edit them, and the changes every process must hear of at once:
 * - `max_api_calls_per_month`: a plan's quota of /api calls per UTC calendar month (NULL: unlimited);
 * - plan names keep the shape the API accepts (they name plans in URLs and in SELF_SERVICE_PLANS);
 * - a plan edit is announced on `control_plane_changes` as `{kind: 'plan', plan}`, and a finished
 *   usage measurement (a day's `measured_at` set) as `{kind: 'measurement', tenantId}`, so every
 *   process drops its cached rate limits and quota figures (the change feed) instead of waiting for
 *   them to expire. Triggers, as for tenants: no writer is missed, and only commits are announced.
 */
export class PlanQuotasAndChanges1764100000000 implements MigrationInterface {
  name = 'PlanQuotasAndChanges1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE plans ADD COLUMN max_api_calls_per_month integer CHECK (max_api_calls_per_month IS NULL OR max_api_calls_per_month > 0)',
    );
    await queryRunner.query(`ALTER TABLE plans ADD CONSTRAINT plans_name_shape CHECK (name ~ '^[a-z][a-z0-9_-]{0,31}$')`);
    await queryRunner.query(`
      CREATE FUNCTION notify_plan_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD IS NOT DISTINCT FROM NEW THEN RETURN NULL; END IF;
        PERFORM pg_notify('control_plane_changes',
          json_build_object('kind', 'plan', 'plan', CASE WHEN TG_OP = 'DELETE' THEN OLD.name ELSE NEW.name END)::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER plans_notify_change AFTER INSERT OR UPDATE OR DELETE ON plans
        FOR EACH ROW EXECUTE FUNCTION notify_plan_change()`);
    // Request-count flushes update these rows every few seconds: only a new measurement is announced.
    await queryRunner.query(`
      CREATE FUNCTION notify_usage_measurement() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('control_plane_changes', json_build_object('kind', 'measurement', 'tenantId', NEW.tenant_id)::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tenant_usage_days_notify_measurement AFTER INSERT OR UPDATE OF measured_at ON tenant_usage_days
        FOR EACH ROW WHEN (NEW.measured_at IS NOT NULL) EXECUTE FUNCTION notify_usage_measurement()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER tenant_usage_days_notify_measurement ON tenant_usage_days');
    await queryRunner.query('DROP FUNCTION notify_usage_measurement()');
    await queryRunner.query('DROP TRIGGER plans_notify_change ON plans');
    await queryRunner.query('DROP FUNCTION notify_plan_change()');
    await queryRunner.query('ALTER TABLE plans DROP CONSTRAINT plans_name_shape, DROP COLUMN max_api_calls_per_month');
  }
}
