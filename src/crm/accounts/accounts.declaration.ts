import { declareTenantModule } from '../../platform/tenant-modules/tenant-module-declaration';
import { Account } from './entities/account.entity';

const ACCOUNTS_PERMISSIONS = {
  'accounts.read': 'Read accounts',
  'accounts.write': 'Create, change, delete and restore accounts',
} as const;

declare module '../../platform/access/tenant-permissions' {
  interface TenantPermissionNames extends Record<keyof typeof ACCOUNTS_PERMISSIONS, true> {}
}

export const ACCOUNTS_MODULE = declareTenantModule({
  name: 'accounts',
  description: 'Companies the tenant works with',
  toggleable: true,
  entities: [Account],
  permissions: ACCOUNTS_PERMISSIONS,
  memberPermissions: ['accounts.read', 'accounts.write'],
  requiredSettings: [],
  mappable: {
    account: {
      id: { accepts: ['integer', 'text', 'uuid'], required: true, key: true },
      name: { accepts: ['text'], required: true },
      domain: { accepts: ['text'], required: false },
      industry: { accepts: ['text'], required: false },
      created_at: { accepts: ['timestamp', 'date'], required: false, readOnly: true },
      updated_at: { accepts: ['timestamp', 'date'], required: false, readOnly: true },
    },
  },
  mappableCustomFields: ['account'],
});
