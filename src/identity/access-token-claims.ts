import { UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createSecretKey, KeyObject } from 'node:crypto';
import { Actor } from '../platform/request-context/request-context';
import { AppConfig } from '../platform/config/app-config';
import { RevocationList, TokenSession } from '../control-plane/sessions/revocation-list';
import { AccessTokenClaims } from './access-token';

export const MISSING_TOKEN = 'Missing bearer access token';
export const EXPIRED_TOKEN = 'Access token has expired';
export const INVALID_TOKEN = 'Access token is invalid';
export const SESSION_ENDED = 'The session has ended';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The token of an `Authorization: Bearer …` header, if it is one. */
export function bearerTokenOf(authorization: string | string[] | undefined): string | undefined {
  return typeof authorization === 'string' ? BEARER.exec(authorization)?.[1] : undefined;
}

/**
 * The signing key as a ready KeyObject: given a string, jsonwebtoken first tries to parse it as
 * a PEM key on every verification, a cost every request paid (BENCHMARKS.md, bench:http).
 */
export function accessTokenKey(config: ConfigService<AppConfig, true>): KeyObject {
  return createSecretKey(Buffer.from(config.get('auth.jwtSecret', { infer: true })));
}

/** What a signature-checked token says, once its claims have the shapes Tenantry issues. */
export interface VerifiedAccessToken {
  actor: Actor;
  /** The token's `exp`, in seconds since the epoch. */
  expiresAt: number;
  session: TokenSession;
}

/**
 * Checks what jsonwebtoken leaves to the caller: an expiry is required, and the subject, session,
 * issue time, roles and tenant have their types. Tokens from before sessions could be revoked
 * carry no `sid` and are refused like any malformed token.
 */
export function verifiedAccessToken(claims: Partial<AccessTokenClaims> & { exp?: unknown; iat?: unknown }): VerifiedAccessToken {
  if (
    typeof claims.sub !== 'string' ||
    typeof claims.sid !== 'string' ||
    typeof claims.iat !== 'number' ||
    !Array.isArray(claims.roles) ||
    (claims.tid !== undefined && typeof claims.tid !== 'string') ||
    (claims.scope !== undefined && typeof claims.scope !== 'string') ||
    typeof claims.exp !== 'number'
  ) {
    throw new UnauthorizedException(INVALID_TOKEN);
  }
  const actor: Actor = { userId: claims.sub, tenantId: claims.tid, sessionId: claims.sid, roles: claims.roles };
  if (claims.scope) actor.scope = claims.scope;
  return {
    actor,
    expiresAt: claims.exp,
    session: { sessionId: claims.sid, userId: claims.sub, tenantId: claims.tid, issuedAt: Math.round(claims.iat * 1000) },
  };
}

/** As jsonwebtoken decides it: a token is expired from the second its `exp` names. */
export function isExpired(verified: VerifiedAccessToken): boolean {
  return Math.floor(Date.now() / 1000) >= verified.expiresAt;
}

/** The actor of a token that is unexpired and whose session has not ended, as a fresh copy the guard may add to. */
export function liveActor(verified: VerifiedAccessToken, revocations: RevocationList): Actor {
  if (isExpired(verified)) throw new UnauthorizedException(EXPIRED_TOKEN);
  if (revocations.isRevoked(verified.session)) throw new UnauthorizedException(SESSION_ENDED);
  return { ...verified.actor, roles: [...verified.actor.roles] };
}
