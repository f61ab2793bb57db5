import { ConflictException } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** Refuses a change that would leave the tenant without a tenant admin (run with the tenant row locked). */
export async function assertAnotherTenantAdmin(manager: EntityManager, tenantId: string, userId: string): Promise<void> {
  const admins: Array<{ count: number }> = await manager.query(
    `SELECT count(*)::int AS count FROM tenant_memberships WHERE tenant_id = $1 AND role = 'tenant_admin' AND user_id <> $2`,
    [tenantId, userId],
  );
  if (admins[0].count === 0) throw new ConflictException('This is the tenant’s last tenant admin; make someone else tenant admin first');
}
