import { declareTenantModule } from '../../platform/tenant-modules/tenant-module-declaration';
import { Deal, DEAL_STAGES } from './entities/deal.entity';
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
  // Amounts may live in a decimal column (major units) or an integer one (minor units); accounts and
  // contacts are named by the customer's own keys.
  mappable: {
    deal: {
      id: { accepts: ['integer', 'text', 'uuid'], required: true, key: true },
      name: { accepts: ['text'], required: true },
      stage: { accepts: ['text'], required: true, enum: DEAL_STAGES },
      amount_minor: { accepts: ['integer', 'decimal'], required: true, decimalPlaces: 2 },
      currency: { accepts: ['text'], required: false },
      expected_close_date: { accepts: ['date'], required: false },
      account_id: { accepts: ['integer', 'text', 'uuid'], required: false },
      contact_id: { accepts: ['integer', 'text', 'uuid'], required: false },
      created_at: { accepts: ['timestamp', 'date'], required: false, readOnly: true },
      updated_at: { accepts: ['timestamp', 'date'], required: false, readOnly: true },
    },
  },
  mappableCustomFields: ['deal'],
});
