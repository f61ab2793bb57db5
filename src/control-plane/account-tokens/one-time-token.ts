import { createHash, randomBytes } from 'node:crypto';

/** A one-time token as mailed (256 random bits, base64url) and the SHA-256 hash that is all we store. */
export function mintOneTimeToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOneTimeToken(token) };
}

/** Looking a token up by its hash needs no constant-time compare: the hash is the key, not a secret to match. */
export function hashOneTimeToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export const ONE_TIME_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
