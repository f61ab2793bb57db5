import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** A refresh token is `<row id>.<secret>`; only SHA-256(secret) is stored. */
export interface MintedRefreshToken {
  id: string;
  token: string;
  hash: Buffer;
}

const TOKEN_PATTERN = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

export function mintRefreshToken(): MintedRefreshToken {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${id}.${secret}`, hash: hashSecret(secret) };
}

export function parseRefreshToken(token: string): { id: string; secret: string } | null {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { id: match[1], secret: match[2] } : null;
}

export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const hash = hashSecret(secret);
  return hash.length === storedHash.length && timingSafeEqual(hash, storedHash);
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
