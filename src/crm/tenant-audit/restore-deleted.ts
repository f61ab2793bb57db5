import { NotFoundException } from '@nestjs/common';
import { EntityTarget, FindOptionsWhere, IsNull, Not } from 'typeorm';
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
  const repository = tx.repository(target);
  const row = await repository.findOne({ where: { id: change.id, deletedAt: Not(IsNull()) } as FindOptionsWhere<T> });
  if (!row) throw new NotFoundException(`No deleted ${change.entity.replaceAll('_', ' ')} ${change.id}`);
  await repository.update({ tenantId: tx.tenantId, id: change.id } as unknown as FindOptionsWhere<T>, { deletedAt: null } as never);
  await audit.record(tx, { entity: change.entity, entityId: change.id, action: 'update', changes: { deletedAt: { from: 'deleted', to: null } } });
  return Object.assign(row, { deletedAt: null });
}
