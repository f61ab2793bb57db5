import { Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import { createSecretKey, KeyObject } from 'node:crypto';
import { Actor } from '../common/request-context/request-context';
import { AppConfig } from '../config/app-config';
import { RevocationList, TokenSession } from '../control-plane/sessions/revocation-list';
import { AccessTokenClaims, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-token';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

interface VerifiedToken {
  actor: Actor;
  /** The token's `exp`, in seconds since the epoch. */
  expiresAt: number;
  session: TokenSession;
}

/**
 * Turns an `Authorization: Bearer …` header into the actor it names, or a 401 saying why not.
 * HS256 only (so `alg: none` and key-confusion tokens fail), issuer, audience and expiry checked.
 *
 * The key is a ready KeyObject: given a string, jsonwebtoken first tries to parse it as a PEM key
 * on every verification, which cost a fifth of the CPU of a tenant request (bench:routing).
 *
 * A client sends the same token with every request until it expires, so verified tokens are
 * remembered: checking the signature and parsing the claims again was a twentieth of the contact
 * list's CPU (bench:crm). The cache is keyed by the whole token, signature included, so only the
 * very string that passed verification hits it; expiry and revocation are still checked on every
 * request, after the cache, so a revoked session is refused at once whether remembered or not.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly key: KeyObject;
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: 10_000 });

  constructor(
    private readonly jwt: JwtService,
    private readonly revocations: RevocationList,
    config: ConfigService<AppConfig, true>,
  ) {
    this.key = createSecretKey(Buffer.from(config.get('auth.jwtSecret', { infer: true })));
  }

  verify(authorization: string | string[] | undefined): Actor {
    const token = typeof authorization === 'string' ? BEARER.exec(authorization)?.[1] : undefined;
    if (!token) throw new UnauthorizedException('Missing bearer access token');
    const verified = this.verified.get(token) ?? this.verifySignedClaims(token);
    // As jsonwebtoken decides it: a token is expired from the second its `exp` names.
    if (Math.floor(Date.now() / 1000) >= verified.expiresAt) {
      this.verified.delete(token);
      throw new UnauthorizedException('Access token has expired');
    }
    if (this.revocations.isRevoked(verified.session)) throw new UnauthorizedException('The session has ended');
    // A copy: the guard adds what it learns about the caller to the actor it is given.
    return { ...verified.actor, roles: [...verified.actor.roles] };
  }

  private verifySignedClaims(token: string): VerifiedToken {
    let claims: AccessTokenClaims & { exp?: unknown; iat?: unknown };
    try {
      claims = this.jwt.verify<AccessTokenClaims>(token, {
        secret: this.key as unknown as string,
        algorithms: [TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
      });
    } catch (error) {
      if (error instanceof TokenExpiredError) throw new UnauthorizedException('Access token has expired');
      throw new UnauthorizedException('Access token is invalid');
    }
    if (
      typeof claims.sub !== 'string' ||
      // Tokens from before sessions could be revoked carry no session: refused like any malformed token.
      typeof claims.sid !== 'string' ||
      typeof claims.iat !== 'number' ||
      !Array.isArray(claims.roles) ||
      (claims.tid !== undefined && typeof claims.tid !== 'string') ||
      (claims.scope !== undefined && typeof claims.scope !== 'string') ||
      typeof claims.exp !== 'number'
    ) {
      throw new UnauthorizedException('Access token is invalid');
    }
    const actor: Actor = { userId: claims.sub, tenantId: claims.tid, sessionId: claims.sid, roles: claims.roles };
    if (claims.scope) actor.scope = claims.scope;
    const session = { sessionId: claims.sid, userId: claims.sub, tenantId: claims.tid, issuedAt: Math.round(claims.iat * 1000) };
    const verified = { actor, expiresAt: claims.exp, session };
    this.verified.set(token, verified);
    return verified;
  }
}
