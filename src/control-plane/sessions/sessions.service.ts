import { Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config';
import { AuditService } from '../audit/audit.service';
import { RefreshToken } from '../schema/refresh-token.entity';
import { mintRefreshToken, parseRefreshToken, secretMatches } from './refresh-token-format';
import { SessionRevocations } from './session-revocations';

export interface SessionSubject {
  userId: string;
  tenantId: string | null;
}

export interface ConsumedRefreshToken extends SessionSubject {
  familyId: string;
}

/** A refresh token and the session (its family) that access tokens name in their `sid` claim. */
export interface IssuedRefreshToken {
  refreshToken: string;
  sessionId: string;
}

type ConsumeOutcome = { ok: true; token: ConsumedRefreshToken } | { ok: false; reason: string };

/** Refresh-token families: issue, rotate (with reuse detection) and revoke. */
@Injectable()
export class SessionsService {
  private readonly ttlSeconds: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly revocations: SessionRevocations,
    config: ConfigService<AppConfig, true>,
  ) {
    this.ttlSeconds = config.get('auth.refreshTtlSeconds', { infer: true });
  }

  /** Starts a new token family (a login or a tenant switch) and audits it. */
  start(subject: SessionSubject, action: 'auth.login' | 'auth.switch_tenant'): Promise<IssuedRefreshToken> {
    return this.dataSource.transaction(async (manager) => {
      const token = await this.issue(manager, subject, randomUUID());
      await this.audit.record(manager, {
        action,
        targetType: 'user',
        targetId: subject.userId,
        tenantId: subject.tenantId,
        actorUserId: subject.userId,
      });
      return token;
    });
  }

  /**
   * Marks a refresh token used and returns who it belongs to. Presenting a token that was
   * already used means it leaked: the whole family is revoked (and stays revoked).
   */
  async consume(presented: string): Promise<ConsumedRefreshToken> {
    const outcome = await this.dataSource.transaction(async (manager): Promise<ConsumeOutcome> => {
      const parsed = parseRefreshToken(presented);
      const row = parsed && (await manager.findOne(RefreshToken, { where: { id: parsed.id }, lock: { mode: 'pessimistic_write' } }));
      if (!parsed || !row || !secretMatches(parsed.secret, row.tokenHash)) return { ok: false, reason: 'Refresh token is invalid' };
      if (row.revokedAt) return { ok: false, reason: 'Refresh token has been revoked' };
      if (row.usedAt) {
        await this.revokeFamily(manager, row.familyId);
        await this.revocations.revokeSession(manager, row.familyId);
        await this.audit.record(manager, {
          action: 'auth.refresh_reuse',
          targetType: 'user',
          targetId: row.userId,
          tenantId: row.tenantId,
          actorUserId: row.userId,
          changes: { familyId: row.familyId },
        });
        return { ok: false, reason: 'Refresh token was already used; every session of this login has been revoked' };
      }
      if (row.expiresAt.getTime() <= Date.now()) return { ok: false, reason: 'Refresh token has expired' };
      await manager.update(RefreshToken, { id: row.id }, { usedAt: new Date() });
      return { ok: true, token: { userId: row.userId, tenantId: row.tenantId, familyId: row.familyId } };
    });
    if (!outcome.ok) throw new UnauthorizedException(outcome.reason);
    return outcome.token;
  }

  /** The next token of a consumed token's family. */
  rotate(consumed: ConsumedRefreshToken): Promise<IssuedRefreshToken> {
    return this.dataSource.transaction((manager) => this.issue(manager, consumed, consumed.familyId));
  }

  /** Logout: revokes the family of a valid token and its access tokens; says nothing about invalid ones. */
  async end(presented: string): Promise<void> {
    const parsed = parseRefreshToken(presented);
    if (!parsed) return;
    await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(RefreshToken, { where: { id: parsed.id } });
      if (!row || !secretMatches(parsed.secret, row.tokenHash)) return;
      await this.revokeFamily(manager, row.familyId);
      await this.revocations.revokeSession(manager, row.familyId);
      await this.audit.record(manager, {
        action: 'auth.logout',
        targetType: 'user',
        targetId: row.userId,
        tenantId: row.tenantId,
        actorUserId: row.userId,
      });
    });
  }

  /**
   * Revokes the refresh tokens of a user (in one tenant, or everywhere) in the caller's transaction:
   * they can no longer be exchanged for access tokens.
   */
  async revokeRefreshTokensWithin(manager: EntityManager, owner: { userId: string; tenantId?: string }): Promise<void> {
    const where = owner.tenantId ? { userId: owner.userId, tenantId: owner.tenantId } : { userId: owner.userId };
    await manager.update(RefreshToken, { ...where, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }

  async revokeFamilyOf(consumed: ConsumedRefreshToken): Promise<void> {
    await this.dataSource.transaction((manager) => this.revokeFamily(manager, consumed.familyId));
  }

  private async issue(manager: EntityManager, subject: SessionSubject, familyId: string): Promise<IssuedRefreshToken> {
    const minted = mintRefreshToken();
    await manager.insert(RefreshToken, {
      id: minted.id,
      familyId,
      userId: subject.userId,
      tenantId: subject.tenantId,
      tokenHash: minted.hash,
      expiresAt: new Date(Date.now() + this.ttlSeconds * 1000),
    });
    return { refreshToken: minted.token, sessionId: familyId };
  }

  private async revokeFamily(manager: EntityManager, familyId: string): Promise<void> {
    await manager.update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
