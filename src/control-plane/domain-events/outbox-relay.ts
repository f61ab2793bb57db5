import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DataSourceRegistry } from '../../../libs/tenancy/data-source-registry';
import { PendingOutboxEvent } from '../../../libs/tenancy/outbox/outbox-event';
import { relayTenantOutbox } from '../../../libs/tenancy/outbox/outbox-relay';
import { BoundTenant } from '../../../libs/tenancy/tenant-placement';
import { DomainEventLog } from './domain-event-log';
import { DomainEventSubscribers } from './domain-event-subscribers';

interface RunningRelay {
  /** A commit came in while this relay ran: it may have read the outbox before, so it runs once more. */
  again: boolean;
  done: Promise<void>;
}

/**
 * Moves tenants' outbox events into the control plane's DomainEventLog. `kick` is called right
 * after a commit that wrote events, so they reach domain_events within milliseconds; relays of
 * one tenant in this process are coalesced into one running relay (plus one more pass if commits
 * came in meanwhile). A kick that fails, or never ran because the process died, leaves the events
 * in the outbox for the sweep (OutboxSweep). Recording is idempotent by event id, so a batch
 * relayed twice is recorded once.
 */
@Injectable()
export class OutboxRelay implements BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly running = new Map<string, RunningRelay>();

  constructor(
    @Inject(DataSourceRegistry) private readonly registry: DataSourceRegistry,
    @InjectDataSource() private readonly controlPlane: DataSource,
    private readonly log: DomainEventLog,
    private readonly subscribers: DomainEventSubscribers,
  ) {}

  /** Relays the tenant's events in the background; never throws and never delays the caller. */
  kick(tenant: BoundTenant): void {
    const current = this.running.get(tenant.id);
    if (current) {
      current.again = true;
      return;
    }
    const relay: RunningRelay = { again: false, done: Promise.resolve() };
    this.running.set(tenant.id, relay);
    relay.done = (async () => {
      try {
        do {
          relay.again = false;
          await this.relay(tenant);
        } while (relay.again);
      } catch (error) {
        this.logger.warn(`Relaying the events of tenant ${tenant.id} failed; the sweep will relay them: ${(error as Error).message}`);
      } finally {
        this.running.delete(tenant.id);
      }
    })();
  }

  /** Relays all of the tenant's pending events now; returns how many were moved. */
  async relay(tenant: BoundTenant): Promise<number> {
    if (!tenant.database.reachable) return 0;
    const lease = await this.registry.acquire(tenant.database.spec);
    try {
      return await relayTenantOutbox(lease.dataSource, tenant.id, (events) => this.record(events), tenant.database.transactionSettings);
    } finally {
      lease.release();
    }
  }

  /** Lets relays in flight finish before the tenant connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running.values()].map((relay) => relay.done));
  }

  private async record(events: readonly PendingOutboxEvent[]): Promise<void> {
    const recorded = await this.controlPlane.transaction((manager) =>
      this.log.record(
        manager,
        events.map(({ id, tenantId, type, version, occurredAt, data }) => ({ id, tenantId, type, version, occurredAt, data })),
      ),
    );
    this.subscribers.committed(recorded);
  }
}
