import { EntitySubscriberInterface, InsertEvent, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { SessionRevocation } from '../schema/session-revocation.entity';
import { RevocationEntry, RevocationList } from './revocation-list';

/**
 * Applies a revocation written by this process the moment its transaction commits, so the
 * very next request here is refused without waiting for the NOTIFY to come back. A rolled-back
 * transaction's revocations are dropped. (One rolled back to a savepoint inside a committed
 * transaction would still apply here until pruned: refusing too much, never too little.)
 */
export class RevocationCommitHook implements EntitySubscriberInterface<SessionRevocation> {
  private readonly pending = new WeakMap<QueryRunner, RevocationEntry[]>();

  constructor(private readonly list: RevocationList) {}

  listenTo(): typeof SessionRevocation {
    return SessionRevocation;
  }

  afterInsert({ entity, queryRunner }: InsertEvent<SessionRevocation>): void {
    const entry = toEntry(entity);
    if (!queryRunner.isTransactionActive) return this.list.add(entry);
    const pending = this.pending.get(queryRunner) ?? [];
    pending.push(entry);
    this.pending.set(queryRunner, pending);
  }

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    // Still active: a savepoint was released, the outer transaction has not committed yet.
    if (queryRunner.isTransactionActive) return;
    for (const entry of this.pending.get(queryRunner) ?? []) this.list.add(entry);
    this.pending.delete(queryRunner);
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    if (!queryRunner.isTransactionActive) this.pending.delete(queryRunner);
  }
}

export function toEntry(row: Pick<SessionRevocation, 'sessionId' | 'userId' | 'tenantId' | 'revokedBefore'>): RevocationEntry {
  return { sessionId: row.sessionId, userId: row.userId, tenantId: row.tenantId, revokedBefore: row.revokedBefore.getTime() };
}
