import { ErasedRecords } from '../../../libs/tenancy/outbox/event-erasure';

/** A person erased from a tenant's data, as the copies of its events are to forget them. */
export interface ErasedSubject {
  /** The address, replaced by `[erased]` wherever it is written (matched case-insensitively). */
  email: string;
  /** The records about the person (their contacts, ...), whose events lose what they held. */
  records: readonly ErasedRecords[];
}
