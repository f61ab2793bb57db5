import { ForbiddenException, SetMetadata } from '@nestjs/common';
import { Actor } from '../../platform/request-context/request-context';

/**
 * The `scope` claim of an access token given to a platform admin who has no second factor while
 * REQUIRE_ADMIN_MFA=true: it reaches only the routes marked @AllowedDuringMfaEnrolment (GET
 * /auth/me and the TOTP enrolment routes). Everything else answers 403 until the admin has
 * enrolled and signed in again with a code.
 */
export const MFA_ENROLMENT_SCOPE = 'mfa-enrolment';

export const ALLOWED_DURING_MFA_ENROLMENT = 'tenantry:allowed-during-mfa-enrolment';

export const AllowedDuringMfaEnrolment = () => SetMetadata(ALLOWED_DURING_MFA_ENROLMENT, true);

/** Called by the AccessGuard once the token is verified. */
export function assertScopeAllows(actor: Actor, routeAllowedDuringEnrolment: boolean | undefined): void {
  if (actor.scope === MFA_ENROLMENT_SCOPE && !routeAllowedDuringEnrolment) {
    throw new ForbiddenException(
      'Platform admins must enrol a second factor first (REQUIRE_ADMIN_MFA): POST /auth/mfa/totp/setup, ' +
        'POST /auth/mfa/totp/confirm, then sign in again with a code',
    );
  }
}
