import { declareTenantModule } from '../../platform/tenant-modules/tenant-module-declaration';
import { Note } from './entities/note.entity';

const NOTES_PERMISSIONS = {
  'notes.read': 'Read notes',
  'notes.write': 'Create, change and delete notes',
} as const;

declare module '../../platform/access/tenant-permissions' {
  interface TenantPermissionNames extends Record<keyof typeof NOTES_PERMISSIONS, true> {}
}

export const NOTES_MODULE = declareTenantModule({
  name: 'notes',
  description: 'Notes',
  toggleable: true,
  entities: [Note],
  permissions: NOTES_PERMISSIONS,
  memberPermissions: ['notes.read', 'notes.write'],
  requiredSettings: [],
});
