import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDotenv } from './dotenv';

function dotenvFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tenantry-dotenv-')), '.env');
  writeFileSync(path, content);
  return path;
}

describe('loadDotenv', () => {
  it('fills in variables the environment leaves unset, in development (NODE_ENV unset or development)', () => {
    const path = dotenvFile('PORT=4000\nADMIN_EMAIL="ops@example.com"\n# a comment\n');
    const env: NodeJS.ProcessEnv = {};
    expect(loadDotenv(env, path)).toBe(path);
    expect(env).toEqual({ PORT: '4000', ADMIN_EMAIL: 'ops@example.com' });
    const development: NodeJS.ProcessEnv = { NODE_ENV: 'development' };
    loadDotenv(development, path);
    expect(development.PORT).toBe('4000');
  });

  it('lets the real environment win over the file', () => {
    const env: NodeJS.ProcessEnv = { PORT: '5000' };
    loadDotenv(env, dotenvFile('PORT=4000\nHOST=127.0.0.1\n'));
    expect(env).toEqual({ PORT: '5000', HOST: '127.0.0.1' });
  });

  it('reads no file in production or in tests', () => {
    const path = dotenvFile('PORT=4000\n');
    for (const NODE_ENV of ['production', 'test']) {
      const env: NodeJS.ProcessEnv = { NODE_ENV };
      expect(loadDotenv(env, path)).toBeUndefined();
      expect(env.PORT).toBeUndefined();
    }
  });

  it('is no error when there is no file', () => {
    expect(loadDotenv({}, join(tmpdir(), 'no-such-dir-tenantry', '.env'))).toBeUndefined();
  });
});
