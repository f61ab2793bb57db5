import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SecretCipher } from '../../../libs/secrets';
import { ResolvedSecrets } from './app-config';
import { EnvironmentVariables } from './environment';

/**
 * Outside production, secrets the user did not set are generated once and kept in
 * `<DATA_DIR>/development-secrets.json`, so tokens and encrypted credentials survive restarts.
 * Production refuses to start without them (see validateEnvironment).
 */
export async function resolveSecrets(vars: EnvironmentVariables): Promise<ResolvedSecrets & { generated: boolean }> {
  if (vars.JWT_SECRET && vars.SECRETS_KEYS) {
    return { jwtSecret: vars.JWT_SECRET, secretsKeys: vars.SECRETS_KEYS, generated: false };
  }
  const path = join(vars.DATA_DIR, 'development-secrets.json');
  let stored: ResolvedSecrets;
  try {
    stored = JSON.parse(await readFile(path, 'utf8')) as ResolvedSecrets;
  } catch {
    stored = {
      jwtSecret: randomBytes(48).toString('base64url'),
      secretsKeys: `dev1:${SecretCipher.generateKey().toString('base64')}`,
    };
    await mkdir(vars.DATA_DIR, { recursive: true });
    await writeFile(path, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return {
    jwtSecret: vars.JWT_SECRET ?? stored.jwtSecret,
    secretsKeys: vars.SECRETS_KEYS ?? stored.secretsKeys,
    generated: true,
  };
}
