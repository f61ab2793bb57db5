/**
 * A change that leaves the system: recorded once (its id is the de-duplication id every consumer
 * sees, e.g. the `webhook-id` of a delivery), in the order of `seq`.
 */
export interface DomainEvent {
  /** UUID chosen where the change happened (in the tenant's outbox row), stable across relays. */
  id: string;
  /** The tenant whose data changed; null for platform events (tenant provisioned, suspended, ...). */
  tenantId: string | null;
  /** `<entity>.<what happened>`, e.g. `invoice.paid`, `deal.stage_changed`, `tenant.provisioned`. */
  type: string;
  /** Version of the `data` schema of this type; bumped on a breaking change. */
  version: number;
  occurredAt: Date;
  data: Record<string, unknown>;
}

/** An event as the control plane holds it, with its position in the log. */
export interface RecordedDomainEvent extends DomainEvent {
  seq: string;
}
