import { declareTenantModule } from '../../platform/tenant-modules/tenant-module-declaration';
import { Activity } from './entities/activity.entity';

const ACTIVITIES_PERMISSIONS = {
  'activities.read': 'Read activities and tasks',
  'activities.write': 'Log activities, create, change, complete and delete tasks',
} as const;

declare module '../../platform/access/tenant-permissions' {
  interface TenantPermissionNames extends Record<keyof typeof ACTIVITIES_PERMISSIONS, true> {}
}

export const ACTIVITIES_MODULE = declareTenantModule({
  name: 'activities',
  description: 'Calls, e-mails, meetings and tasks',
  toggleable: true,
  entities: [Activity],
  permissions: ACTIVITIES_PERMISSIONS,
  memberPermissions: ['activities.read', 'activities.write'],
  requiredSettings: [],
});
