import { declareTenantModule } from '../../platform/tenant-modules/tenant-module-declaration';
import { Deal } from './entities/deal.entity';
import { DealLineItem } from './entities/deal-line-item.entity';
import { DealStageChange } from './entities/deal-stage-change.entity';

const DEALS_PERMISSIONS = {
  'deals.read': 'Read deals',
  'deals.write': 'Create, change (including the stage) and delete deals',
} as const;

declare module '../../platform/access/tenant-permissions' {
  interface TenantPermissionNames extends Record<keyof typeof DEALS_PERMISSIONS, true> {}
}

export const DEALS_MODULE = declareTenantModule({
  name: 'deals',
  description: 'Opportunities through a pipeline',
  toggleable: true,
  entities: [Deal, DealLineItem, DealStageChange],
  permissions: DEALS_PERMISSIONS,
  memberPermissions: ['deals.read', 'deals.write'],
  requiredSettings: ['currency'],
});
