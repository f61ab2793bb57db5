import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainEvent, RecordedDomainEvent } from './domain-event';
import { DomainEventSubscribers } from './domain-event-subscribers';

/**
 * The control plane's log of domain events (table domain_events). Recording is idempotent by
 * event id: a relay that runs twice (a killed process, a retried job) records nothing new and
 * notifies no subscriber again.
 */
@Injectable()
export class DomainEventLog {
  constructor(private readonly subscribers: DomainEventSubscribers) {}

  /** Records the events in `manager`'s transaction; returns those recorded for the first time. */
  async record(manager: EntityManager, events: readonly DomainEvent[]): Promise<RecordedDomainEvent[]> {
    if (events.length === 0) return [];
    const rows = await manager.query<Array<{ id: string; seq: string }>>(
      `INSERT INTO domain_events (id, tenant_id, type, version, occurred_at, data)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::timestamptz[], $6::jsonb[])
       ON CONFLICT (id) DO NOTHING
       RETURNING id, seq`,
      [
        events.map((event) => event.id),
        events.map((event) => event.tenantId),
        events.map((event) => event.type),
        events.map((event) => event.version),
        events.map((event) => event.occurredAt.toISOString()),
        events.map((event) => JSON.stringify(event.data)),
      ],
    );
    const seqById = new Map(rows.map((row) => [row.id, row.seq]));
    const recorded = events
      .filter((event) => seqById.has(event.id))
      .map((event) => ({ ...event, seq: seqById.get(event.id)! }))
      .sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq)));
    await this.subscribers.notify(manager, recorded);
    return recorded;
  }
}
