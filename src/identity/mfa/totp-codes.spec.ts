import { generateSync } from 'otplib';
import { acceptedTotpStep, newRecoveryCodes, newTotpSecret, recoveryCodeHash, TOTP_PERIOD_SECONDS } from './totp-codes';

describe('acceptedTotpStep', () => {
  const secret = newTotpSecret();
  // The middle of a step, so ±1 step of tolerance is exactly one neighbour on each side.
  const now = 1_800_000_015;
  const step = Math.floor(now / TOTP_PERIOD_SECONDS);
  const codeAt = (seconds: number) => generateSync({ secret, epoch: seconds, period: TOTP_PERIOD_SECONDS });

  it('accepts the current code and answers its time step', async () => {
    await expect(acceptedTotpStep(secret, codeAt(now), null, now)).resolves.toBe(step);
  });

  it('accepts the previous and next step (clock drift) but not two steps away', async () => {
    await expect(acceptedTotpStep(secret, codeAt(now - TOTP_PERIOD_SECONDS), null, now)).resolves.toBe(step - 1);
    await expect(acceptedTotpStep(secret, codeAt(now + TOTP_PERIOD_SECONDS), null, now)).resolves.toBe(step + 1);
    await expect(acceptedTotpStep(secret, codeAt(now - 2 * TOTP_PERIOD_SECONDS), null, now)).resolves.toBeNull();
  });

  it('refuses a code whose step was already used, even inside its window', async () => {
    await expect(acceptedTotpStep(secret, codeAt(now), step, now)).resolves.toBeNull();
    await expect(acceptedTotpStep(secret, codeAt(now), step, now + 10)).resolves.toBeNull();
  });

  it('refuses an older step once a newer one was used, and accepts a newer step', async () => {
    await expect(acceptedTotpStep(secret, codeAt(now - TOTP_PERIOD_SECONDS), step, now)).resolves.toBeNull();
    await expect(acceptedTotpStep(secret, codeAt(now + TOTP_PERIOD_SECONDS), step, now)).resolves.toBe(step + 1);
  });

  it('refuses wrong codes, other secrets and anything but six digits', async () => {
    const wrong = String((Number(codeAt(now)) + 1) % 1_000_000).padStart(6, '0');
    await expect(acceptedTotpStep(secret, wrong, null, now)).resolves.toBeNull();
    await expect(acceptedTotpStep(newTotpSecret(), codeAt(now), null, now)).resolves.toBeNull();
    await expect(acceptedTotpStep(secret, ` ${codeAt(now)}`, null, now)).resolves.toBeNull();
    await expect(acceptedTotpStep(secret, '12345', null, now)).resolves.toBeNull();
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes of 80 random bits', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-f]{5}(-[0-9a-f]{5}){3}$/);
  });

  it('hash the same whatever the case or separators, and differently per user', () => {
    const [code] = newRecoveryCodes(1);
    const hash = recoveryCodeHash('user-a', code);
    expect(recoveryCodeHash('user-a', code.toUpperCase().replace(/-/g, ' '))).toBe(hash);
    expect(recoveryCodeHash('user-b', code)).not.toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
