import { createHash } from 'node:crypto';
import { apiKeySecretMatches, looksLikeApiKey, mintApiKey, parseApiKey } from './api-key-format';

describe('API key format', () => {
  it('mints tenant and platform keys with their prefix, a public id and a 256-bit secret', () => {
    const tenantKey = mintApiKey('tenant');
    expect(tenantKey.key).toMatch(/^tnt_live_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(tenantKey.displayPrefix).toBe(`tnt_live_${tenantKey.publicId}`);
    expect(tenantKey.key.endsWith(tenantKey.lastChars)).toBe(true);
    expect(mintApiKey('platform').key).toMatch(/^tnp_live_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  });

  it('never mints the same key twice', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => mintApiKey('tenant').key));
    expect(keys.size).toBe(1000);
  });

  it('hashes the secret with SHA-256 for storage', () => {
    const minted = mintApiKey('tenant');
    const { secret } = parseApiKey(minted.key)!;
    expect(minted.hash.equals(createHash('sha256').update(secret).digest())).toBe(true);
  });

  it('parses a minted key back into its scope, public id and secret', () => {
    const minted = mintApiKey('platform');
    const parsed = parseApiKey(minted.key);
    expect(parsed).toMatchObject({ scope: 'platform', publicId: minted.publicId });
    expect(apiKeySecretMatches(parsed!.secret, minted.hash)).toBe(true);
  });

  it('refuses a secret that differs in one character, and malformed keys', () => {
    const minted = mintApiKey('tenant');
    const { secret } = parseApiKey(minted.key)!;
    const altered = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(apiKeySecretMatches(altered, minted.hash)).toBe(false);
    const malformed = ['tnt_live_', `${minted.key}x`, minted.key.replace('tnt_live', 'tnx_live'), `tnt_live_${'g'.repeat(16)}_${secret}`];
    for (const text of malformed) {
      expect(parseApiKey(text)).toBeNull();
    }
  });

  it('tells API keys from access tokens by their prefix alone', () => {
    expect(looksLikeApiKey(mintApiKey('tenant').key)).toBe(true);
    expect(looksLikeApiKey('tnp_live_anything')).toBe(true);
    expect(looksLikeApiKey('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig')).toBe(false);
  });
});
