import { MfaGate } from './mfa-gate';
import { MfaLoginService } from './mfa-login.service';
import { MfaTokenService } from './mfa-token.service';
import { TotpService } from './totp.service';

/** Registered in AuthModule: MfaLoginService completes logins through AuthService. */
export const MFA_PROVIDERS = [TotpService, MfaTokenService, MfaGate, MfaLoginService];
