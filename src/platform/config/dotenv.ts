import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * In development a `.env` file in the working directory fills in the variables the real
 * environment leaves unset: the real environment always wins, so `PORT=4000 npm start` beats the
 * file. Production and tests never read one (their settings come from the real environment only).
 * Returns the file read, if any; its values are validated with the rest (validateEnvironment).
 */
export function loadDotenv(env: NodeJS.ProcessEnv, path = '.env'): string | undefined {
  if ((env.NODE_ENV ?? 'development') !== 'development') return undefined;
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  for (const [name, value] of Object.entries(parseEnv(content))) {
    if (env[name] === undefined && value !== undefined) env[name] = value;
  }
  return resolve(path);
}
