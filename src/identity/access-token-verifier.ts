import { Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import { KeyObject } from 'node:crypto';
import { Actor } from '../platform/request-context/request-context';
import { AppConfig } from '../platform/config/app-config';
import { RevocationList } from '../control-plane/sessions/revocation-list';
import { AccessTokenClaims, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-token';
import {
  accessTokenKey,
  bearerTokenOf,
  EXPIRED_TOKEN,
  INVALID_TOKEN,
  isExpired,
  liveActor,
  MISSING_TOKEN,
  VerifiedAccessToken,
  verifiedAccessToken,
} from './access-token-claims';

/**
 * Turns an `Authorization: Bearer …` header into the actor it names, or a 401 saying why not.
 * HS256 only (so `alg: none` and key-confusion tokens fail), issuer, audience and expiry checked.
 *
 * A client sends the same token with every request until it expires, so verified tokens are
 * remembered: checking the signature and parsing the claims again showed in the contact list's
 * CPU profile (BENCHMARKS.md, bench:crm). The cache is keyed by the whole token, signature
 * included, so only the very string that passed verification hits it; expiry and revocation are still checked on every
 * request, after the cache, so a revoked session is refused at once whether remembered or not.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly key: KeyObject;
  private readonly verified = new LRUCache<string, VerifiedAccessToken>({ max: 10_000 });

  constructor(
    private readonly jwt: JwtService,
    private readonly revocations: RevocationList,
    config: ConfigService<AppConfig, true>,
  ) {
    this.key = accessTokenKey(config);
  }

  verify(authorization: string | string[] | undefined): Actor {
    const token = bearerTokenOf(authorization);
    if (!token) throw new UnauthorizedException(MISSING_TOKEN);
    const verified = this.verified.get(token) ?? this.verifySignedClaims(token);
    if (isExpired(verified)) this.verified.delete(token);
    return liveActor(verified, this.revocations);
  }

  private verifySignedClaims(token: string): VerifiedAccessToken {
    let claims: AccessTokenClaims;
    try {
      claims = this.jwt.verify<AccessTokenClaims>(token, {
        secret: this.key as unknown as string,
        algorithms: [TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
      });
    } catch (error) {
      throw new UnauthorizedException(error instanceof TokenExpiredError ? EXPIRED_TOKEN : INVALID_TOKEN);
    }
    const verified = verifiedAccessToken(claims);
    this.verified.set(token, verified);
    return verified;
  }
}
