import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { eventCatalog } from '../../../libs/tenancy/outbox/event-catalog';
import { DomainEventLog } from './domain-event-log';
import { EventTypeRegistry } from './event-type-registry';

const TENANT = { tenant: 'the tenant: `{ id, slug, name, status, plan, placement }` (no hosting details)' };
const STATUS = { ...TENANT, from: 'the previous status', to: 'the new status' };
const FOR_PLATFORM = { audience: 'platform' } as const;

/**
 * The platform's own events, about tenants and their members, version 1 each. `tenant.*` events
 * are the platform's (`tenantId` null, the tenant in `data.tenant`): for platform subscribers, not
 * the tenant's own. `user.*` events carry the tenant's id: its members changed, which its
 * subscribers may follow. Documented in README (Domain events).
 */
export const PLATFORM_EVENT_CATALOG = eventCatalog([
  { type: 'tenant.provisioned', version: 1, description: 'A tenant finished provisioning and is active', fields: TENANT, ...FOR_PLATFORM },
  {
    type: 'tenant.provisioning_failed',
    version: 1,
    description: 'Provisioning a tenant failed for good',
    fields: { ...TENANT, reason: 'the failed step and its detail' },
    ...FOR_PLATFORM,
  },
  { type: 'tenant.suspended', version: 1, description: 'A tenant was suspended', fields: STATUS, ...FOR_PLATFORM },
  { type: 'tenant.resumed', version: 1, description: 'A suspended tenant was resumed', fields: STATUS, ...FOR_PLATFORM },
  {
    type: 'tenant.deleted',
    version: 1,
    description: 'A tenant was (softly) deleted',
    fields: { ...STATUS, purgeAfter: 'when its data is purged' },
    ...FOR_PLATFORM,
  },
  { type: 'tenant.restored', version: 1, description: 'A deleted tenant was restored (suspended)', fields: STATUS, ...FOR_PLATFORM },
  { type: 'user.added', version: 1, description: 'A user joined the tenant', fields: { userId: 'the user', role: 'their role' } },
  { type: 'user.removed', version: 1, description: 'A user left the tenant', fields: { userId: 'the user', role: 'the role they had' } },
  {
    type: 'user.role_changed',
    version: 1,
    description: 'A member’s role changed',
    fields: { userId: 'the user', from: 'the previous role', to: 'the new role' },
  },
]);

/** The platform's event types a tenant's subscribers receive (its members': `user.*`), as the tenant's catalog lists them. */
export const TENANT_PLATFORM_EVENT_TYPES = [...PLATFORM_EVENT_CATALOG.values()].filter(
  (declaration) => declaration.audience !== 'platform',
);

export type PlatformEventType =
  | 'tenant.provisioned'
  | 'tenant.provisioning_failed'
  | 'tenant.suspended'
  | 'tenant.resumed'
  | 'tenant.deleted'
  | 'tenant.restored'
  | 'user.added'
  | 'user.removed'
  | 'user.role_changed';

/** The fields of a tenant a platform event shows. */
export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  status: string;
  plan: string;
  placement: string;
}

export const tenantSummary = ({ id, slug, name, status, plan, placement }: TenantSummary): TenantSummary => ({
  id,
  slug,
  name,
  status,
  plan,
  placement,
});

/** The data as it is sent: dates as ISO strings, no undefined fields. */
const asJson = (data: Record<string, unknown>) => JSON.parse(JSON.stringify(data)) as Record<string, unknown>;

/** Records platform events in the control-plane transaction of the change they describe. */
@Injectable()
export class PlatformEvents {
  constructor(
    private readonly log: DomainEventLog,
    registry: EventTypeRegistry,
  ) {
    registry.declare(PLATFORM_EVENT_CATALOG);
  }

  async raise(manager: EntityManager, type: PlatformEventType, tenantId: string | null, data: Record<string, unknown>): Promise<void> {
    const declared = PLATFORM_EVENT_CATALOG.get(type)!;
    await this.log.record(manager, [
      { id: randomUUID(), tenantId, type, version: declared.version, occurredAt: new Date(), data: asJson(data) },
    ]);
  }
}
