import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Replaces the outbox's sweep policy, which let any session that set `app.outbox_sweep` read every
 * tenant's pending events, by a function that answers only which tenants have events waiting:
 * what the sweep needs before it relays each of them bound to that tenant like any request.
 *
 * The function runs as its owner, the role that runs the migrations (the table's owner). Row-level
 * security is forced on the owner too, so a SELECT-only policy for that role alone lets it count
 * the pending rows; the owner could switch row-level security off on its own table anyway, so the
 * policy gives it nothing new, and nobody else gets anything from it. EXECUTE is taken from PUBLIC:
 * the migrator grants it to the application role only (grantAppRole). search_path is pinned, so a
 * caller's objects can never stand in for the ones it names.
 */
export class OutboxPendingTenants1764220000001 implements MigrationInterface {
  name = 'OutboxPendingTenants1764220000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP POLICY outbox_sweep ON outbox_events`);
    await queryRunner.query(`CREATE POLICY outbox_owner_reads ON outbox_events FOR SELECT TO CURRENT_USER USING (true)`);
    await queryRunner.query(`
      CREATE FUNCTION outbox_pending_tenants() RETURNS SETOF uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        AS 'SELECT DISTINCT tenant_id FROM public.outbox_events'`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION outbox_pending_tenants() FROM PUBLIC`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION outbox_pending_tenants()`);
    await queryRunner.query(`DROP POLICY outbox_owner_reads ON outbox_events`);
    await queryRunner.query(`
      CREATE POLICY outbox_sweep ON outbox_events FOR SELECT
        USING (current_setting('app.outbox_sweep', true) = 'on')`);
  }
}
