import { ConfigurationError, validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  it('applies documented defaults to an empty environment', () => {
    const vars = validateEnvironment({});
    expect(vars.PORT).toBe(3000);
    expect(vars.NODE_ENV).toBe('development');
    expect(vars.DATABASE_URL).toBeUndefined();
    expect(vars.BODY_LIMIT_BYTES).toBe(1024 * 1024);
  });

  it('converts numeric strings', () => {
    expect(validateEnvironment({ PORT: '8080' }).PORT).toBe(8080);
  });

  it('names every wrong variable in one error', () => {
    try {
      validateEnvironment({ PORT: 'eighty', JWT_SECRET: 'short', NODE_ENV: 'staging' });
      throw new Error('expected a ConfigurationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      const message = (error as Error).message;
      expect(message).toMatch(/PORT=/);
      expect(message).toMatch(/JWT_SECRET/);
      expect(message).toMatch(/NODE_ENV/);
    }
  });

  it('takes an S3 bucket for archives only with a valid name and endpoint, and its credentials only as a pair', () => {
    expect(
      validateEnvironment({ ARCHIVE_S3_BUCKET: 'tenantry-archives', ARCHIVE_S3_ENDPOINT: 'http://minio:9000' }).ARCHIVE_S3_BUCKET,
    ).toBe('tenantry-archives');
    expect(() => validateEnvironment({ ARCHIVE_S3_BUCKET: 'Bad_Bucket' })).toThrow(/ARCHIVE_S3_BUCKET/);
    expect(() => validateEnvironment({ ARCHIVE_S3_ENDPOINT: 'minio:9000' })).toThrow(/ARCHIVE_S3_ENDPOINT/);
    expect(() => validateEnvironment({ ARCHIVE_S3_BUCKET: 'tenantry-archives', ARCHIVE_S3_ACCESS_KEY_ID: 'key' })).toThrow(
      /set both or neither/,
    );
  });

  it('reads REQUIRE_ADMIN_MFA as a flag, off by default, and refuses anything but true or false', () => {
    expect(validateEnvironment({}).REQUIRE_ADMIN_MFA).toBe('false');
    expect(validateEnvironment({ REQUIRE_ADMIN_MFA: 'true' }).REQUIRE_ADMIN_MFA).toBe('true');
    expect(() => validateEnvironment({ REQUIRE_ADMIN_MFA: 'yes' })).toThrow(/REQUIRE_ADMIN_MFA must be true or false/);
  });

  it('refuses 1 and 0 for every switch, which would otherwise be read as false', () => {
    for (const name of ['RATE_LIMITS', 'METRICS', 'USAGE_METERING', 'TRUST_PROXY', 'QUEUE_WORKER', 'SWAGGER_UI']) {
      expect(() => validateEnvironment({ [name]: '1' })).toThrow(new RegExp(`${name} must be true or false`));
      expect(() => validateEnvironment({ [name]: '0' })).toThrow(new RegExp(`${name} must be true or false`));
    }
  });

  it('bounds control-plane lock waits by the statement timeout', () => {
    expect(validateEnvironment({}).CONTROL_PLANE_LOCK_TIMEOUT_MS).toBe(5_000);
    expect(validateEnvironment({}).CONTROL_PLANE_STATEMENT_TIMEOUT_MS).toBe(30_000);
    expect(() => validateEnvironment({ CONTROL_PLANE_LOCK_TIMEOUT_MS: '60000' })).toThrow(/CONTROL_PLANE_LOCK_TIMEOUT_MS: must not exceed/);
    expect(() => validateEnvironment({ CONTROL_PLANE_STATEMENT_TIMEOUT_MS: '0' })).toThrow(/CONTROL_PLANE_STATEMENT_TIMEOUT_MS="0"/);
  });

  it('never echoes secret values in its error', () => {
    expect(() => validateEnvironment({ JWT_SECRET: 'tooshort-but-secret' })).toThrow(/\[redacted\]/);
    expect(() => validateEnvironment({ JWT_SECRET: 'tooshort-but-secret' })).not.toThrow(/tooshort-but-secret/);
  });

  it('requires real secrets and a database in production', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET.*\n.*SECRETS_KEYS.*\n.*DATABASE_URL.*\n.*SMTP_URL.*\n.*PUBLIC_URL/,
    );
  });

  it('rejects an active key id that is not in the keyring', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(() => validateEnvironment({ SECRETS_KEYS: `k1:${key}`, SECRETS_ACTIVE_KEY_ID: 'k2' })).toThrow(/SECRETS_ACTIVE_KEY_ID/);
  });

  it('refuses a fleet staleness so short that a live run missing two heartbeats would be declared dead', () => {
    expect(() => validateEnvironment({ FLEET_HEARTBEAT_SECONDS: '5', FLEET_STALE_AFTER_SECONDS: '10' })).toThrow(
      /FLEET_STALE_AFTER_SECONDS: must be at least 3 × FLEET_HEARTBEAT_SECONDS/,
    );
    expect(validateEnvironment({ FLEET_HEARTBEAT_SECONDS: '1', FLEET_STALE_AFTER_SECONDS: '3' }).FLEET_STALE_AFTER_SECONDS).toBe(3);
  });

  it('takes a redis:// URL for the shared rate-limit counters, refuses anything else without echoing it, and needs none', () => {
    expect(validateEnvironment({}).REDIS_URL).toBeUndefined();
    expect(validateEnvironment({ REDIS_URL: 'redis://:pw@127.0.0.1:6379/0' }).REDIS_URL).toBe('redis://:pw@127.0.0.1:6379/0');
    expect(() => validateEnvironment({ REDIS_URL: 'http://user:hunter2@cache' })).toThrow(
      /REDIS_URL="\[redacted\]": REDIS_URL must be a redis/,
    );
    expect(() => validateEnvironment({ REDIS_URL: 'http://user:hunter2@cache' })).not.toThrow(/hunter2/);
  });
});
