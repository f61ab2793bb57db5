import { REDACTED, redactSecrets } from './redact-secrets';

describe('redactSecrets', () => {
  it('replaces secret-looking keys at any depth and keeps the rest', () => {
    const input = { name: 'db1', adminPassword: 'p', nested: { apiKey: 'k', list: [{ refreshToken: 't', port: 5432 }] } };
    expect(redactSecrets(input)).toEqual({
      name: 'db1',
      adminPassword: REDACTED,
      nested: { apiKey: REDACTED, list: [{ refreshToken: REDACTED, port: 5432 }] },
    });
  });

  it('does not modify its input', () => {
    const input = { password: 'p' };
    redactSecrets(input);
    expect(input.password).toBe('p');
  });
});
