import { InsertEvent, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { SessionRevocation } from '../schema/session-revocation.entity';
import { RevocationCommitHook } from './revocation-commit-hook';
import { RevocationList } from './revocation-list';

const issuedAt = Date.parse('2026-11-24T10:00:00Z');
const revocation = (sessionId: string) =>
  ({ sessionId, userId: null, tenantId: null, revokedBefore: new Date(issuedAt + 1) }) as SessionRevocation;
const revoked = (list: RevocationList, sessionId: string) => list.isRevoked({ sessionId, userId: 'u1', issuedAt });

function setUp() {
  const list = new RevocationList();
  const hook = new RevocationCommitHook(list);
  const runner = { isTransactionActive: true } as QueryRunner;
  const insert = (sessionId: string) =>
    hook.afterInsert({ entity: revocation(sessionId), queryRunner: runner } as InsertEvent<SessionRevocation>);
  const end = (outcome: 'commit' | 'rollback', stillActive = false) => {
    Object.assign(runner, { isTransactionActive: stillActive });
    if (outcome === 'commit') hook.afterTransactionCommit({ queryRunner: runner } as TransactionCommitEvent);
    else hook.afterTransactionRollback({ queryRunner: runner } as TransactionRollbackEvent);
  };
  return { list, runner, insert, end };
}

describe('RevocationCommitHook', () => {
  it('applies a revocation written in a transaction only when the transaction commits', () => {
    const { list, insert, end } = setUp();
    insert('s1');
    expect(revoked(list, 's1')).toBe(false);
    end('commit', true); // a savepoint released: the transaction goes on
    expect(revoked(list, 's1')).toBe(false);
    end('commit');
    expect(revoked(list, 's1')).toBe(true);
  });

  it('drops the revocations of a transaction that rolls back', () => {
    const { list, runner, insert, end } = setUp();
    insert('s1');
    end('rollback');
    Object.assign(runner, { isTransactionActive: true });
    end('commit');
    expect(revoked(list, 's1')).toBe(false);
  });

  it('applies at once a revocation written outside a transaction', () => {
    const { list, runner, insert } = setUp();
    Object.assign(runner, { isTransactionActive: false });
    insert('s1');
    expect(revoked(list, 's1')).toBe(true);
  });
});
