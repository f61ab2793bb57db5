import { declareTenantModule } from '../../platform/tenant-modules/tenant-module-declaration';
import { Event } from './entities/event.entity';
import { EventDate } from './entities/event-date.entity';
import { EventStaff } from './entities/event-staff.entity';

const EVENTS_PERMISSIONS = {
  'events.read': 'Read events, their dates and staff',
  'events.write': 'Create, change (including the status), delete and restore events, their dates and staff',
} as const;

declare module '../../platform/access/tenant-permissions' {
  interface TenantPermissionNames extends Record<keyof typeof EVENTS_PERMISSIONS, true> {}
}

export const EVENTS_MODULE = declareTenantModule({
  name: 'events',
  description: 'Events with dates, locations and staff',
  toggleable: true,
  entities: [Event, EventDate, EventStaff],
  permissions: EVENTS_PERMISSIONS,
  memberPermissions: ['events.read', 'events.write'],
  requiredSettings: ['timezone'],
});
