import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { createSecretKey } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Actor } from '../common/request-context/request-context';
import { AppConfig } from '../config/app-config';
import { AccessTokenClaims, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-token';

/**
 * Hands jsonwebtoken a ready KeyObject: given a string it first tries to parse it as a PEM public
 * key on every verification, which cost a fifth of the CPU of a tenant request (bench:routing).
 */
function verificationKey(secret: string) {
  const key = createSecretKey(Buffer.from(secret));
  return (_request: unknown, _token: string, done: (error: Error | null, key: string) => void) => done(null, key as unknown as string);
}

/** Verifies bearer tokens: HS256 only (so `alg: none` and key-confusion tokens fail), issuer, audience, expiry. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(config: ConfigService<AppConfig, true>) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: verificationKey(config.get('auth.jwtSecret', { infer: true })),
      algorithms: [TOKEN_ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  validate(claims: AccessTokenClaims): Actor | false {
    if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles)) return false;
    return { userId: claims.sub, tenantId: claims.tid, roles: claims.roles };
  }
}
