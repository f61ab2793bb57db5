/** Claims of a Tenantry access token. */
export interface AccessTokenClaims {
  sub: string;
  /** The session: the refresh-token family the token was issued from, checked against revocations. */
  sid: string;
  /** The tenant the user signed into, if any. */
  tid?: string;
  /** Platform role (platform_admin, super_admin) and/or the tenant role. */
  roles: string[];
  /** Set only on a token restricted to MFA enrolment (see src/auth/mfa/mfa-enrolment-scope.ts). */
  scope?: string;
  /** Issued at, in seconds since the epoch, with milliseconds as the fraction. */
  iat?: number;
}

export const TOKEN_ISSUER = 'tenantry';
export const TOKEN_AUDIENCE = 'tenantry-api';
export const TOKEN_ALGORITHM = 'HS256';
