import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const KEY_BYTES = 32;
const FORMAT_VERSION = 'v1';

export interface SecretKeyring {
  /** Key id → 32-byte key. */
  keys: Record<string, Buffer>;
  /** The key new secrets are encrypted with; older keys stay readable for rotation. */
  activeKeyId: string;
}

export class SecretDecryptionError extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt secret: ${reason}`);
    this.name = 'SecretDecryptionError';
  }
}

/**
 * AES-256-GCM envelope for credentials at rest. The stored form is
 * `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts), so a key can be rotated by
 * re-encrypting under a new active key while old ciphertexts stay readable.
 */
export class SecretCipher {
  constructor(private readonly keyring: SecretKeyring) {
    for (const [id, key] of Object.entries(keyring.keys)) {
      if (key.length !== KEY_BYTES) throw new Error(`Secret key "${id}" must be ${KEY_BYTES} bytes, got ${key.length}`);
    }
    if (!keyring.keys[keyring.activeKeyId]) throw new Error(`Active secret key "${keyring.activeKeyId}" is not in the keyring`);
  }

  /** Parses `id:base64,id2:base64`; the active key defaults to the first listed. */
  static parseKeyring(spec: string, activeKeyId?: string): SecretKeyring {
    const entries = spec.split(',').map((entry) => {
      const [id, encoded] = entry.split(':');
      return [id, Buffer.from(encoded, 'base64')] as const;
    });
    return { keys: Object.fromEntries(entries), activeKeyId: activeKeyId ?? entries[0][0] };
  }

  static generateKey(): Buffer {
    return randomBytes(KEY_BYTES);
  }

  get activeKeyId(): string {
    return this.keyring.activeKeyId;
  }

  encrypt(plaintext: string, associatedData = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keyring.keys[this.keyring.activeKeyId], iv);
    cipher.setAAD(Buffer.from(associatedData));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
    return [FORMAT_VERSION, this.keyring.activeKeyId, ...parts].join(':');
  }

  /** `associatedData` binds a ciphertext to its owner (e.g. a row id) so it cannot be swapped. */
  decrypt(envelope: string, associatedData = ''): string {
    const [version, keyId, iv, tag, ciphertext] = envelope.split(':');
    if (version !== FORMAT_VERSION || ciphertext === undefined) throw new SecretDecryptionError('unknown format');
    const key = this.keyring.keys[keyId];
    if (!key) throw new SecretDecryptionError(`key "${keyId}" is not in the keyring`);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(associatedData));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError('authentication failed (wrong key or tampered data)');
    }
  }

  keyIdOf(envelope: string): string {
    return envelope.split(':')[1];
  }
}
