import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type ApiKeyScope = 'tenant' | 'platform';

/**
 * An API key reads `<prefix>_<public id>_<secret>`: the prefix says what it is (so secret scanners
 * and people recognise it, and the guard tells it from a JWT without parsing), the public id finds
 * its row without scanning, and only SHA-256 of the 256-bit random secret is stored. A hash this
 * fast is enough because the secret is random, not a password: there is nothing to guess.
 */
export const API_KEY_PREFIXES: Readonly<Record<ApiKeyScope, string>> = { tenant: 'tnt_live', platform: 'tnp_live' };

const KEY_PATTERN = /^(tnt_live|tnp_live)_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const SCOPE_OF_PREFIX = new Map<string, ApiKeyScope>([
  [API_KEY_PREFIXES.tenant, 'tenant'],
  [API_KEY_PREFIXES.platform, 'platform'],
]);

export interface MintedApiKey {
  /** The whole key, shown to its creator once and never stored. */
  key: string;
  publicId: string;
  hash: Buffer;
  /** The key's last characters, listed so people can tell their keys apart. */
  lastChars: string;
  /** `<prefix>_<public id>`: what lists show instead of the key. */
  displayPrefix: string;
}

export interface ParsedApiKey {
  scope: ApiKeyScope;
  publicId: string;
  secret: string;
}

export function mintApiKey(scope: ApiKeyScope): MintedApiKey {
  const publicId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const displayPrefix = `${API_KEY_PREFIXES[scope]}_${publicId}`;
  return { key: `${displayPrefix}_${secret}`, publicId, hash: hashApiKeySecret(secret), lastChars: secret.slice(-4), displayPrefix };
}

/** True when the text starts like an API key (whether or not the rest is well formed). */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(`${API_KEY_PREFIXES.tenant}_`) || token.startsWith(`${API_KEY_PREFIXES.platform}_`);
}

export function parseApiKey(token: string): ParsedApiKey | null {
  const match = KEY_PATTERN.exec(token);
  if (!match) return null;
  return { scope: SCOPE_OF_PREFIX.get(match[1])!, publicId: match[2], secret: match[3] };
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function apiKeySecretMatches(secret: string, storedHash: Buffer): boolean {
  const hash = hashApiKeySecret(secret);
  return hash.length === storedHash.length && timingSafeEqual(hash, storedHash);
}

function hashApiKeySecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
