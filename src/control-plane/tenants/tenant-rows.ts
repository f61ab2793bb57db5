import { NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tenant } from '../schema/tenant.entity';

/** The tenant's row, locked for the transaction's changes when asked; 404 when there is none. */
export async function findTenantOrFail(manager: EntityManager, id: string, forUpdate = false): Promise<Tenant> {
  const tenant = await manager.findOne(Tenant, { where: { id }, lock: forUpdate ? { mode: 'pessimistic_write' } : undefined });
  if (!tenant) throw new NotFoundException(`Tenant ${id} not found`);
  return tenant;
}
