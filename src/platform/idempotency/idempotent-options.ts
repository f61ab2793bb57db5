export const IDEMPOTENT_OPTIONS = 'tenantry:idempotent';

export interface IdempotentOptions {
  /**
   * The handler stores the answer itself, in the transaction that does the work
   * (IdempotencyService.completeWithin with @CurrentIdempotencyClaim()): work and answer commit
   * together, so a claim whose process died is safe to take over after its lease.
   */
  completesInTransaction?: boolean;
}
