import { DataSource } from 'typeorm';
import { FenceTarget, FencedAttempt } from '../../../libs/queue/fenced-attempt';

/** A delivery's attempts are fenced on its row while it is pending (see FencedAttempt). */
export const DELIVERY_FENCE: FenceTarget = { table: 'webhook_deliveries', tokenColumn: 'attempt_token', ownedWhile: "status = 'pending'" };

/** A claimed delivery with what its attempt needs of its endpoint. */
export interface DueDelivery {
  id: string;
  endpoint_id: string;
  event_id: string;
  /** The stored payload as PostgreSQL prints it: signed and sent as it is, never parsed and serialised again. */
  body: string;
  /** This attempt's number: attempts started so far, this one included. */
  attempt: number;
  url: string;
  enabled: boolean;
  secret_encrypted: string;
  previous_secret_encrypted: string | null;
  previous_secret_valid: boolean;
}

export interface DeliveryClaim {
  /** Most deliveries to claim. */
  limit: number;
  /** Most attempts in flight per endpoint, across processes. */
  endpointConcurrency: number;
  /** Most attempts in flight to one owner's endpoints (a tenant's; the platform's count as one owner), across processes. */
  tenantConcurrency: number;
  /** How long a claimed delivery stays this attempt's: past it, the delivery is due again (its process is taken for dead). */
  leaseSeconds: number;
}

/** How many due deliveries a claim looks at per delivery it may take, so that one endpoint's backlog does not fill the window. */
const SCAN_PER_CLAIMED = 4;

/**
 * Claims up to `limit` due deliveries in one statement, oldest due first, and reads each with its
 * endpoint. Endpoints with `endpointConcurrency` attempts in flight (leased, lease not expired), and
 * every endpoint of an owner with `tenantConcurrency` in flight, are skipped, and neither gets more
 * than that in all, so a hanging endpoint's backlog, or one tenant's many hanging endpoints, never
 * take the slots of others. Claiming a delivery starts an attempt: its token and attempt count go up,
 * and it is leased (and due again) until the lease ends. Rows another claim has locked are skipped;
 * two claims at the same instant may briefly exceed a cap, by one process's share at most.
 */
export async function claimDueDeliveries(
  dataSource: DataSource,
  claim: DeliveryClaim,
): Promise<Array<{ attempt: FencedAttempt; delivery: DueDelivery }>> {
  const rows = await dataSource.transaction(async (manager) => {
    // The pending deliveries are a small, fast-changing part of the table, whose statistics are stale by nature: the
    // planner then takes a bitmap scan of the due index, which visits every entry of a delivery that is no longer
    // pending until VACUUM comes (thousands at a steady rate). A plain index scan marks those entries dead as it
    // passes them, so the next claim skips them.
    await manager.query('SET LOCAL enable_bitmapscan = off');
    return manager.query<Array<DueDelivery & { fence_token: number }>>(
      `WITH in_flight AS (
       SELECT d.endpoint_id, e.tenant_id, count(*)::int AS attempts
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.lease_expires_at > now() AND d.status = 'pending' GROUP BY d.endpoint_id, e.tenant_id
     ), owner_in_flight AS (
       SELECT tenant_id, sum(attempts)::int AS attempts FROM in_flight GROUP BY tenant_id
     ), at_capacity AS (
       SELECT endpoint_id FROM in_flight WHERE attempts >= $2
       UNION ALL
       -- From the few owners at their cap to their endpoints, by the tenant index; the platform's are those without one.
       SELECT e.id FROM owner_in_flight o JOIN webhook_endpoints e ON e.tenant_id = o.tenant_id WHERE o.attempts >= $4
       UNION ALL
       SELECT e.id FROM webhook_endpoints e
        WHERE e.tenant_id IS NULL AND EXISTS (SELECT FROM owner_in_flight o WHERE o.tenant_id IS NULL AND o.attempts >= $4)
     ), due AS (
       SELECT id, endpoint_id, next_attempt_at FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at <= now() AND endpoint_id NOT IN (SELECT endpoint_id FROM at_capacity)
        ORDER BY next_attempt_at LIMIT $1 * ${SCAN_PER_CLAIMED}
     ), chosen AS (
       SELECT ranked.id FROM (
         SELECT due.*, e.tenant_id,
                row_number() OVER (PARTITION BY due.endpoint_id ORDER BY due.next_attempt_at, due.id) AS nth,
                row_number() OVER (PARTITION BY e.tenant_id ORDER BY due.next_attempt_at, due.id) AS owner_nth
           FROM due JOIN webhook_endpoints e ON e.id = due.endpoint_id
       ) ranked
       LEFT JOIN in_flight ON in_flight.endpoint_id = ranked.endpoint_id
       LEFT JOIN owner_in_flight ON owner_in_flight.tenant_id IS NOT DISTINCT FROM ranked.tenant_id
        WHERE ranked.nth + COALESCE(in_flight.attempts, 0) <= $2 AND ranked.owner_nth + COALESCE(owner_in_flight.attempts, 0) <= $4
        ORDER BY ranked.next_attempt_at LIMIT $1
     ), locked AS (
       SELECT id FROM webhook_deliveries
        WHERE id IN (SELECT id FROM chosen) AND status = 'pending' AND next_attempt_at <= now() FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE webhook_deliveries d
          SET attempt_token = d.attempt_token + 1, attempts = d.attempts + 1,
              lease_expires_at = now() + make_interval(secs => $3), next_attempt_at = now() + make_interval(secs => $3)
         FROM locked WHERE d.id = locked.id
       RETURNING d.id, d.attempt_token, d.attempts, d.endpoint_id, d.event_id, d.payload
     )
     SELECT claimed.id, claimed.attempt_token AS fence_token, claimed.endpoint_id, claimed.event_id, claimed.payload::text AS body,
            claimed.attempts AS attempt, e.url, e.enabled, e.secret_encrypted, e.previous_secret_encrypted,
            COALESCE(e.previous_secret_expires_at > now(), false) AS previous_secret_valid
       FROM claimed JOIN webhook_endpoints e ON e.id = claimed.endpoint_id`,
      [claim.limit, claim.endpointConcurrency, claim.leaseSeconds, claim.tenantConcurrency],
    );
  });
  return rows.map(({ fence_token: token, ...delivery }) => ({
    // The attempt's time is up when its lease ends: another process may claim the delivery from then on.
    attempt: FencedAttempt.claimedBy(dataSource, DELIVERY_FENCE, delivery.id, token, AbortSignal.timeout(claim.leaseSeconds * 1000)),
    delivery,
  }));
}
