import { SecretCipher, SecretDecryptionError } from './secret-cipher';

function keyring(...ids: string[]) {
  return { keys: Object.fromEntries(ids.map((id) => [id, SecretCipher.generateKey()])), activeKeyId: ids[0] };
}

describe('SecretCipher', () => {
  it('round-trips a secret and never stores the plaintext', () => {
    const cipher = new SecretCipher(keyring('k1'));
    const envelope = cipher.encrypt('s3cr3t-password');
    expect(envelope).not.toContain('s3cr3t');
    expect(envelope.startsWith('v1:k1:')).toBe(true);
    expect(cipher.decrypt(envelope)).toBe('s3cr3t-password');
  });

  it('uses a fresh IV so equal secrets encrypt differently', () => {
    const cipher = new SecretCipher(keyring('k1'));
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('reads secrets written under an older key after the active key rotates', () => {
    const ring = keyring('old', 'new');
    const before = new SecretCipher(ring).encrypt('value');
    const after = new SecretCipher({ ...ring, activeKeyId: 'new' });
    expect(after.decrypt(before)).toBe('value');
    expect(after.keyIdOf(after.encrypt('value'))).toBe('new');
  });

  it('rejects a tampered ciphertext', () => {
    const cipher = new SecretCipher(keyring('k1'));
    const parts = cipher.encrypt('value').split(':');
    parts[4] = Buffer.from('forged').toString('base64url');
    expect(() => cipher.decrypt(parts.join(':'))).toThrow(SecretDecryptionError);
  });

  it('rejects a ciphertext moved to another owner through the associated data', () => {
    const cipher = new SecretCipher(keyring('k1'));
    const envelope = cipher.encrypt('value', 'server-a');
    expect(() => cipher.decrypt(envelope, 'server-b')).toThrow(SecretDecryptionError);
  });

  it('names a missing key id instead of failing obscurely', () => {
    const envelope = new SecretCipher(keyring('gone')).encrypt('value');
    expect(() => new SecretCipher(keyring('k1')).decrypt(envelope)).toThrow(/key "gone"/);
  });

  it('refuses keys of the wrong length', () => {
    expect(() => new SecretCipher({ keys: { k: Buffer.alloc(16) }, activeKeyId: 'k' })).toThrow(/32 bytes/);
  });
});
