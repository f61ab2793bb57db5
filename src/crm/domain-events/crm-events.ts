import { Injectable } from '@nestjs/common';
import { appendToOutbox } from '../../../libs/tenancy/outbox/tenant-outbox';
import { TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { EventTypeRegistry } from '../../control-plane/domain-events/event-type-registry';
import { OutboxRelay } from '../../control-plane/domain-events/outbox-relay';
import { CRM_EVENT_CATALOG, CrmEntity, CrmEventType, RecordAction } from './crm-event-catalog';

/**
 * Raises the domain events of tenant data: written to the tenant's outbox in the transaction of
 * the change (a rolled-back change raises nothing), then relayed to the control plane right after
 * the commit (OutboxRelay.kick), or by the sweep if this process dies first.
 */
@Injectable()
export class CrmEvents {
  /** Transactions whose commit already kicks the relay: one kick per transaction, however many events. */
  private readonly kicking = new WeakSet<TenantEntityManager>();

  constructor(
    private readonly relay: OutboxRelay,
    private readonly context: TenantContext,
    registry: EventTypeRegistry,
  ) {
    registry.declare(CRM_EVENT_CATALOG);
  }

  /** `<entity>.<action>` carrying the record as the API returns it, and for an update the changed fields. */
  recordChanged(
    tx: TenantEntityManager,
    entity: CrmEntity,
    action: RecordAction,
    record: object,
    changes?: Record<string, unknown>,
  ): Promise<void> {
    return this.raise(tx, `${entity}.${action}` as CrmEventType, changes ? { record, changes } : { record });
  }

  /** `recordChanged` for many records of one entity (e.g. a batch of a bulk import), in one statement, in their order. */
  recordManyChanged(
    tx: TenantEntityManager,
    entity: CrmEntity,
    changed: ReadonlyArray<{ action: RecordAction; record: object; changes?: Record<string, unknown> }>,
  ): Promise<void> {
    return this.raiseMany(
      tx,
      changed.map(({ action, record, changes }) => ({
        type: `${entity}.${action}` as CrmEventType,
        data: changes ? { record, changes } : { record },
      })),
    );
  }

  raise(tx: TenantEntityManager, type: CrmEventType, data: Record<string, unknown>): Promise<void> {
    return this.raiseMany(tx, [{ type, data }]);
  }

  private async raiseMany(
    tx: TenantEntityManager,
    events: ReadonlyArray<{ type: CrmEventType; data: Record<string, unknown> }>,
  ): Promise<void> {
    if (events.length === 0) return;
    const declared = events.map(({ type, data }) => {
      const declaration = CRM_EVENT_CATALOG.get(type);
      if (!declaration) throw new Error(`Event type ${type} is not in the catalog`);
      return { type, version: declaration.version, data };
    });
    // Stored as JSON (dates as ISO strings, no undefined fields): the relay hands over what the outbox holds.
    await appendToOutbox(tx, declared);
    if (this.kicking.has(tx)) return;
    this.kicking.add(tx);
    const tenant = this.context.require();
    tx.afterCommit(() => this.relay.kick(tenant));
  }
}
