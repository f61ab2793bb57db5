import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SessionRevocation } from '../schema/session-revocation.entity';

export type RevocationScope = { sessionId: string } | { userId: string; tenantId?: string } | { tenantId: string };

/**
 * Ends access tokens issued until now for a scope, in the caller's transaction: the row is
 * written with the change that causes it, its NOTIFY (a trigger) reaches every process when the
 * transaction commits, and this process applies it at commit (RevocationCommitHook).
 */
export async function recordSessionRevocation(manager: EntityManager, scope: RevocationScope): Promise<void> {
  await manager.insert(SessionRevocation, {
    sessionId: 'sessionId' in scope ? scope.sessionId : null,
    userId: 'userId' in scope ? scope.userId : null,
    tenantId: 'tenantId' in scope ? (scope.tenantId ?? null) : null,
    revokedBefore: new Date(),
  });
}

/** Revocation of access tokens, for services that take it by injection. Each call joins the manager's transaction. */
@Injectable()
export class SessionRevocations {
  /** One login (a refresh-token family, the token's `sid`): logout, refresh-token reuse. */
  revokeSession(manager: EntityManager, sessionId: string): Promise<void> {
    return recordSessionRevocation(manager, { sessionId });
  }

  /** Every session of the user: disabled, password changed or reset, platform role changed. */
  revokeUser(manager: EntityManager, userId: string): Promise<void> {
    return recordSessionRevocation(manager, { userId });
  }

  /** The user's sessions in one tenant: removed from it. */
  revokeUserInTenant(manager: EntityManager, userId: string, tenantId: string): Promise<void> {
    return recordSessionRevocation(manager, { userId, tenantId });
  }

  /** Every session in the tenant: suspended or deleted. */
  revokeTenant(manager: EntityManager, tenantId: string): Promise<void> {
    return recordSessionRevocation(manager, { tenantId });
  }
}
