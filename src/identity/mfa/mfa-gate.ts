import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../../platform/config/app-config';
import { UserAccount } from '../../control-plane/users/user-account';
import { MfaChallengeDto } from './dto/mfa-responses.dto';
import { MFA_ENROLMENT_SCOPE } from './mfa-enrolment-scope';
import { MFA_TOKEN_TTL_SECONDS, MfaTokenService } from './mfa-token.service';
import { TotpService } from './totp.service';

/** What the sign-in flow asks about second factors, in one place. */
@Injectable()
export class MfaGate {
  private readonly requireAdminMfa: boolean;

  constructor(
    private readonly totp: TotpService,
    private readonly mfaTokens: MfaTokenService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.requireAdminMfa = config.get('auth.requireAdminMfa', { infer: true });
  }

  isEnabled(userId: string): Promise<boolean> {
    return this.totp.isEnabled(userId);
  }

  /** After a right password: the challenge to answer with a code, or null when the account has no second factor. */
  async challenge(user: UserAccount, tenant: string | undefined): Promise<MfaChallengeDto | null> {
    if (!(await this.totp.isEnabled(user.id))) return null;
    return { mfaRequired: true, mfaToken: this.mfaTokens.sign({ userId: user.id, tenant }), expiresIn: MFA_TOKEN_TTL_SECONDS };
  }

  /**
   * The `scope` claim of the user's access tokens: enrolment-only for a platform admin without a
   * second factor while REQUIRE_ADMIN_MFA=true, none otherwise. Asked on login, refresh and
   * tenant switch alike, so a session cannot outgrow it by refreshing.
   */
  async accessScope(user: UserAccount): Promise<typeof MFA_ENROLMENT_SCOPE | undefined> {
    if (!this.requireAdminMfa || user.platformRole !== 'platform_admin') return undefined;
    return (await this.totp.isEnabled(user.id)) ? undefined : MFA_ENROLMENT_SCOPE;
  }
}
