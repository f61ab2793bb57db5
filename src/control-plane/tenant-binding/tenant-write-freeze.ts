import { EntityManager } from 'typeorm';

/*
 * The one place a tenant's writes are frozen and the freeze lifted (`tenants.writes_frozen_at`):
 * a move's switch and a restore over the tenant freeze them, WriteFreezeGate holds writes while
 * they are. Both run in the caller's control-plane transaction; the caller announces the change
 * (TenantChanges.tenantChanged) once it has committed, so every process drops its cached record.
 */

/** Freezes the tenant's writes unless they already are (the tenant's row stays locked); when the freeze began. */
export async function freezeTenantWrites(manager: EntityManager, tenantId: string): Promise<Date> {
  const [[frozen]] = await manager.query<[Array<{ writes_frozen_at: Date }>, number]>(
    'UPDATE tenants SET writes_frozen_at = COALESCE(writes_frozen_at, now()) WHERE id = $1 RETURNING writes_frozen_at',
    [tenantId],
  );
  if (!frozen) throw new Error(`Tenant ${tenantId} does not exist`);
  return frozen.writes_frozen_at;
}

/** Lifts the tenant's write freeze, if any; how long it lasted in milliseconds (the database's clock), or null if there was none. */
export async function liftTenantWriteFreeze(manager: EntityManager, tenantId: string): Promise<number | null> {
  const [[lifted]] = await manager.query<[Array<{ frozen_ms: number }>, number]>(
    `WITH frozen AS (SELECT id, writes_frozen_at FROM tenants WHERE id = $1 AND writes_frozen_at IS NOT NULL FOR UPDATE)
     UPDATE tenants SET writes_frozen_at = NULL FROM frozen WHERE tenants.id = frozen.id
     RETURNING round(extract(epoch FROM clock_timestamp() - frozen.writes_frozen_at) * 1000)::int AS frozen_ms`,
    [tenantId],
  );
  return lifted ? lifted.frozen_ms : null;
}
