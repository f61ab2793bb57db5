import { EntityTarget } from 'typeorm';
import { findDeletedOrFail, undelete } from '../../../libs/tenancy/records/soft-delete';
import { TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { TenantAuditService } from './tenant-audit.service';

interface SoftDeletable {
  id: string;
  deletedAt: Date | null;
}

/**
 * Brings back a soft-deleted row of the current tenant, audited in the same transaction; 404 when
 * there is no deleted row with this id (another tenant's is invisible, so it is one of those).
 */
export async function restoreDeleted<T extends SoftDeletable>(
  tx: TenantEntityManager,
  audit: TenantAuditService,
  target: EntityTarget<T>,
  change: { entity: string; id: string },
): Promise<T> {
  const row = await undelete(tx, target, await findDeletedOrFail(tx, target, change.id, change.entity.replaceAll('_', ' ')));
  await audit.record(tx, {
    entity: change.entity,
    entityId: change.id,
    action: 'update',
    changes: { deletedAt: { from: 'deleted', to: null } },
  });
  return row;
}
