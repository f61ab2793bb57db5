import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { TOKEN_ALGORITHM, TOKEN_ISSUER } from '../access-token';

/** Its own audience, so the access-token verifier refuses it as a bearer and this one refuses access tokens. */
const MFA_AUDIENCE = 'tenantry-mfa';
const MFA_PURPOSE = 'mfa-login';
export const MFA_TOKEN_TTL_SECONDS = 300;

export interface MfaChallenge {
  userId: string;
  /** The tenant the password step asked to sign into, if any. */
  tenant?: string;
}

interface MfaTokenClaims {
  sub: string;
  purpose: string;
  tenant?: string;
}

/** The signed proof, between the two login steps, that the password was right. */
@Injectable()
export class MfaTokenService {
  constructor(private readonly jwt: JwtService) {}

  sign(challenge: MfaChallenge): string {
    const claims: MfaTokenClaims = { sub: challenge.userId, purpose: MFA_PURPOSE };
    if (challenge.tenant) claims.tenant = challenge.tenant;
    return this.jwt.sign(claims, {
      algorithm: TOKEN_ALGORITHM,
      expiresIn: MFA_TOKEN_TTL_SECONDS,
      issuer: TOKEN_ISSUER,
      audience: MFA_AUDIENCE,
    });
  }

  verify(token: string): MfaChallenge {
    let claims: MfaTokenClaims;
    try {
      claims = this.jwt.verify<MfaTokenClaims>(token, { algorithms: [TOKEN_ALGORITHM], issuer: TOKEN_ISSUER, audience: MFA_AUDIENCE });
    } catch {
      throw invalidMfaToken();
    }
    const tenantOk = claims.tenant === undefined || typeof claims.tenant === 'string';
    if (claims.purpose !== MFA_PURPOSE || typeof claims.sub !== 'string' || !tenantOk) throw invalidMfaToken();
    return { userId: claims.sub, ...(claims.tenant ? { tenant: claims.tenant } : {}) };
  }
}

function invalidMfaToken(): UnauthorizedException {
  return new UnauthorizedException('mfaToken is invalid or expired; sign in with the password again');
}
