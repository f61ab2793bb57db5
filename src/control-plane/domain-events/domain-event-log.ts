import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { jsonbRefuses, storableInJsonb } from '../../../libs/jsonb/storable-in-jsonb';
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
  async record(manager: EntityManager, given: readonly DomainEvent[]): Promise<RecordedDomainEvent[]> {
    if (given.length === 0) return [];
    // Data read from a tenant's own system (a byod sync, say) may hold what jsonb refuses (NUL): replaced, not refused,
    // or one customer row would stop every later event of its tenant.
    const asGiven = recordSet(given);
    const storable = !jsonbRefuses(asGiven);
    const events = storable ? given : given.map((event) => ({ ...event, data: storableInJsonb(event.data) }));
    const json = storable ? asGiven : recordSet(events);
    // One JSON array rather than array parameters, which the driver escapes a character at a time (a relayed batch of a bulk import is large).
    const rows = await manager.query<Array<{ id: string; seq: string }>>(
      `INSERT INTO domain_events (id, tenant_id, type, version, occurred_at, data)
       SELECT event.id, event.tenant_id, event.type, event.version, event.occurred_at, event.data
         FROM jsonb_to_recordset($1::jsonb) AS event (id uuid, tenant_id uuid, type text, version int, occurred_at timestamptz, data jsonb)
       ON CONFLICT (id) DO NOTHING
       RETURNING id, seq`,
      [json],
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

/** The events as the JSON record set the INSERT reads. */
function recordSet(events: readonly DomainEvent[]): string {
  return JSON.stringify(
    events.map((event) => ({
      id: event.id,
      tenant_id: event.tenantId,
      type: event.type,
      version: event.version,
      occurred_at: event.occurredAt.toISOString(),
      data: event.data,
    })),
  );
}
