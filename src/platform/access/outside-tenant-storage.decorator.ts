import { SetMetadata } from '@nestjs/common';

export const OUTSIDE_TENANT_STORAGE = 'tenantry:outside-tenant-storage';

/**
 * Marks a /api controller whose changes are the tenant's administration (users, roles, modules,
 * settings, API keys, its data source), kept in the control plane rather than in the tenant's data:
 * the storageMb quota does not refuse them, so a tenant at its quota can still run itself.
 */
export const OutsideTenantStorage = () => SetMetadata(OUTSIDE_TENANT_STORAGE, true);
