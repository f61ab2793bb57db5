import { EntityManager } from 'typeorm';
import { AuditService } from '../../control-plane/audit/audit.service';
import { SecondFactors } from '../../control-plane/users/second-factors';

/**
 * Removes a user's TOTP factor and recovery codes and audits why, in the caller's transaction.
 * Shared by the user turning it off and the operator's break-glass `admins reset-mfa`.
 */
export async function removeTotp(
  manager: EntityManager,
  factors: SecondFactors,
  audit: AuditService,
  userId: string,
  action: 'auth.mfa.disable' | 'auth.mfa.reset',
  changes: Record<string, unknown>,
): Promise<boolean> {
  if (!(await factors.removeTotpWithin(manager, userId))) return false;
  await audit.record(manager, { action, targetType: 'user', targetId: userId, changes: { factor: 'totp', ...changes } });
  return true;
}
