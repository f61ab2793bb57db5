import { declareTenantModule } from '../../platform/tenant-modules/tenant-module-declaration';
import { Contact } from './entities/contact.entity';
import { ContactAccount } from './entities/contact-account.entity';

const CONTACTS_PERMISSIONS = {
  'contacts.read': 'Read contacts',
  'contacts.write': 'Create, change, delete and restore contacts and link them to accounts',
} as const;

declare module '../../platform/access/tenant-permissions' {
  interface TenantPermissionNames extends Record<keyof typeof CONTACTS_PERMISSIONS, true> {}
}

export const CONTACTS_MODULE = declareTenantModule({
  name: 'contacts',
  description: 'People, linked to accounts',
  toggleable: true,
  entities: [Contact, ContactAccount],
  permissions: CONTACTS_PERMISSIONS,
  memberPermissions: ['contacts.read', 'contacts.write'],
  requiredSettings: [],
  mappable: {
    contact: {
      id: { accepts: ['integer', 'text', 'uuid'], required: true, key: true },
      first_name: { accepts: ['text'], required: true },
      last_name: { accepts: ['text'], required: true },
      email: { accepts: ['text'], required: false },
      phone: { accepts: ['text'], required: false },
      job_title: { accepts: ['text'], required: false },
      created_at: { accepts: ['timestamp', 'date'], required: false, readOnly: true },
      updated_at: { accepts: ['timestamp', 'date'], required: false, readOnly: true },
    },
  },
  mappableCustomFields: ['contact'],
});
