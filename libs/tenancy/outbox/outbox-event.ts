/** An event a change of tenant data raises, as the domain declares it: what happened and its data. */
export interface OutboxEvent {
  /** `<entity>.<what happened>`, declared by the domain module that raises it. */
  type: string;
  /** Version of the `data` schema of this type. */
  version: number;
  data: Record<string, unknown>;
}

/** An event waiting in a tenant's outbox, with the id it keeps once relayed and its place in the tenant's order. */
export interface PendingOutboxEvent extends OutboxEvent {
  id: string;
  tenantId: string;
  occurredAt: Date;
  seq: string;
}
