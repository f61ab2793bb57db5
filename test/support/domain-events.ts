/** A row of the control plane's domain_events, as tests read it. */
export interface RecordedEventRow {
  id: string;
  seq: string;
  tenantId: string | null;
  type: string;
  version: number;
  occurredAt: Date;
  data: any;
}

type Sql = <T = any>(text: string, params?: unknown[]) => Promise<T[]>;

/** The tenant's events in domain_events after `afterSeq` (default: all), in log order. */
export async function domainEventsOf(sql: Sql, tenantId: string, afterSeq = '0'): Promise<RecordedEventRow[]> {
  return sql<RecordedEventRow>(
    `SELECT id, seq::text AS seq, tenant_id AS "tenantId", type, version, occurred_at AS "occurredAt", data
       FROM domain_events WHERE tenant_id = $1 AND seq > $2::bigint ORDER BY domain_events.seq`,
    [tenantId, afterSeq],
  );
}

/** The platform's events (`tenantId` null) about one tenant (`data.tenant.id`) after `afterSeq`, in log order. */
export async function platformEventsAbout(sql: Sql, tenantId: string, afterSeq = '0'): Promise<RecordedEventRow[]> {
  return sql<RecordedEventRow>(
    `SELECT id, seq::text AS seq, tenant_id AS "tenantId", type, version, occurred_at AS "occurredAt", data
       FROM domain_events WHERE tenant_id IS NULL AND data->'tenant'->>'id' = $1 AND seq > $2::bigint ORDER BY domain_events.seq`,
    [tenantId, afterSeq],
  );
}

/** The newest seq of domain_events (any tenant): a mark to read a test step's events after. */
export async function lastEventSeq(sql: Sql): Promise<string> {
  const [row] = await sql<{ seq: string }>(`SELECT coalesce(max(seq), 0)::text AS seq FROM domain_events`);
  return row.seq;
}

/**
 * Polls domain_events until the tenant has events after `afterSeq` that `done` accepts (default:
 * at least one), and returns all of them; fails after `timeoutMs` showing what did arrive.
 * Works with any `sql` on the control-plane database (TestApp.sql, ServiceTesting.controlPlaneSql).
 */
export async function waitForDomainEvents(
  sql: Sql,
  tenantId: string,
  options: { afterSeq?: string; done?: (events: RecordedEventRow[]) => boolean; timeoutMs?: number } = {},
): Promise<RecordedEventRow[]> {
  const done = options.done ?? ((events) => events.length > 0);
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const events = await domainEventsOf(sql, tenantId, options.afterSeq);
    if (done(events)) return events;
    if (Date.now() > deadline) {
      throw new Error(`Waited in vain for events of tenant ${tenantId}; got: ${events.map((event) => event.type).join(', ') || 'none'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `done` for waitForDomainEvents: an event of `type` has arrived. */
export const untilType =
  (type: string) =>
  (events: RecordedEventRow[]): boolean =>
    events.some((event) => event.type === type);
