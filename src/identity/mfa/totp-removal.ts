import { EntityManager } from 'typeorm';
import { AuditService } from '../../control-plane/audit/audit.service';

/**
 * Removes a user's TOTP factor and recovery codes and audits why, in the caller's transaction.
 * Shared by the user turning it off and the operator's break-glass `admins reset-mfa`.
 */
export async function removeTotp(
  manager: EntityManager,
  audit: AuditService,
  userId: string,
  action: 'auth.mfa.disable' | 'auth.mfa.reset',
  changes: Record<string, unknown>,
): Promise<boolean> {
  await manager.query('DELETE FROM user_recovery_codes WHERE user_id = $1', [userId]);
  const [{ removed }]: Array<{ removed: number }> = await manager.query(
    'WITH removed AS (DELETE FROM user_totp WHERE user_id = $1 RETURNING 1) SELECT count(*)::int AS removed FROM removed',
    [userId],
  );
  if (removed === 0) return false;
  await audit.record(manager, { action, targetType: 'user', targetId: userId, changes: { factor: 'totp', ...changes } });
  return true;
}
