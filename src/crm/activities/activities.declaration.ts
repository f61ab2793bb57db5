import { declareTenantModule } from '../../platform/tenant-modules/tenant-module-declaration';
import { Activity, ACTIVITY_TYPES, RELATED_TYPES } from './entities/activity.entity';

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
  // What it is about: a type column and the customer's key of that record. A task is done when
  // its completion time is set, or its done flag, whichever of the two the table keeps.
  mappable: {
    activity: {
      id: { accepts: ['integer', 'text', 'uuid'], required: true, key: true },
      type: { accepts: ['text'], required: true, enum: ACTIVITY_TYPES },
      subject: { accepts: ['text'], required: true },
      body: { accepts: ['text'], required: false },
      related_type: { accepts: ['text'], required: true, enum: RELATED_TYPES },
      related_id: { accepts: ['integer', 'text', 'uuid'], required: true },
      due_at: { accepts: ['timestamp'], required: false },
      completed_at: { accepts: ['timestamp'], required: false },
      completed: { accepts: ['boolean'], required: false },
      created_at: { accepts: ['timestamp', 'date'], required: false, readOnly: true },
      updated_at: { accepts: ['timestamp', 'date'], required: false, readOnly: true },
    },
  },
});
