import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import { Actor } from '../../platform/request-context/request-context';
import { AppConfig } from '../../platform/config/app-config';
import { RevocationList } from '../../control-plane/sessions/revocation-list';
import { AccessTokenClaims, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../access-token';
import { accessTokenKey, bearerTokenOf, liveActor, verifiedAccessToken } from '../access-token-claims';

/**
 * Access tokens through passport-jwt, as the design card names it: every request's token is
 * verified afresh (HS256 only, issuer, audience, expiry), then its claims and session are checked
 * exactly as AccessTokenVerifier checks them (src/auth/strategies/access-strategies.spec.ts holds
 * the two to the same answers). Not the strategy requests use: verifying every token again costs
 * clearly more throughput than the cached `access-token` strategy where authentication is most of
 * the work (BENCHMARKS.md, bench:routing). It stays registered, as `jwt`,
 * behind the same interface: naming it in ACCESS_STRATEGIES is all it takes to switch.
 */
@Injectable()
export class JwtAccessTokenStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly revocations: RevocationList,
    config: ConfigService<AppConfig, true>,
  ) {
    super({
      jwtFromRequest: (request: { headers: Record<string, string | string[] | undefined> }) =>
        bearerTokenOf(request.headers.authorization) ?? null,
      // A KeyObject, not the string: see accessTokenKey.
      secretOrKey: accessTokenKey(config) as unknown as Buffer,
      algorithms: [TOKEN_ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
    });
  }

  validate(claims: AccessTokenClaims): Actor {
    return liveActor(verifiedAccessToken(claims), this.revocations);
  }
}
