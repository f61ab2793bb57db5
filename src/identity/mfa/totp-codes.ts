import { createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 as authenticator apps default to it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_ISSUER = 'Tenantry';
export const RECOVERY_CODE_COUNT = 10;

/** A fresh base32 secret of 160 bits (RFC 4226's recommended length). */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, accountName: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: accountName, secret, period: TOTP_PERIOD_SECONDS });
}

/**
 * The time step `code` is valid for, or null. One step either side of now is accepted (phone
 * clocks drift), but never a step at or before `lastUsedStep`: a code that was accepted once,
 * or any older one, is refused even while it is still inside its window.
 */
export async function acceptedTotpStep(
  secret: string,
  code: string,
  lastUsedStep: number | null,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: nowSeconds,
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: TOTP_PERIOD_SECONDS,
    ...(lastUsedStep === null ? {} : { afterTimeStep: lastUsedStep }),
  });
  if (!result.valid || !('timeStep' in result)) return null;
  // Checked here too rather than trusting only the library's option: this is the replay guard.
  return lastUsedStep !== null && result.timeStep <= lastUsedStep ? null : result.timeStep;
}

/** Ten codes of 80 random bits each, shown to the user once, as `xxxxx-xxxxx-xxxxx-xxxxx` (hex). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => randomBytes(10).toString('hex').match(/.{5}/g)!.join('-'));
}

/**
 * What is stored of a recovery code: SHA-256 over the user id and the code without separators or
 * case. The codes carry 80 random bits, so a fast hash is enough (no dictionary to try); the user
 * id keeps one user's code from matching another's row.
 */
export function recoveryCodeHash(userId: string, code: string): string {
  const normalized = code.toLowerCase().replace(/[^0-9a-f]/g, '');
  return createHash('sha256').update(`${userId}:${normalized}`).digest('hex');
}
