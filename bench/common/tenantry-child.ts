import { Type } from '@nestjs/common';
import { createApp } from '../../src/app.factory';
import { buildAppConfig } from '../../src/platform/config/app-config';
import { validateEnvironment } from '../../src/platform/config/environment';

/**
 * Runs Tenantry in a child process, so the load generator in the parent does not share its
 * event loop. The parent passes the environment and gets `{ url }` back over IPC.
 */
export interface ChildSettings {
  env: Record<string, string>;
  databaseUrl: string;
  jwtSecret: string;
  secretsKeys: string;
  /** Module files (compiled paths) whose exported `BENCH_MODULE` is mounted beside the app. */
  extraModuleFiles?: string[];
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.env.TENANTRY_BENCH_CHILD!) as ChildSettings;
  // Throughput benches measure the app, not the plans' rate limits: a bench that wants them (bench:noisy) says so.
  const vars = validateEnvironment({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RATE_LIMITS: 'false', ...settings.env });
  const config = buildAppConfig(vars, settings.databaseUrl, { jwtSecret: settings.jwtSecret, secretsKeys: settings.secretsKeys });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extra = (settings.extraModuleFiles ?? []).map((file) => (require(file) as { BENCH_MODULE: Type }).BENCH_MODULE);
  const app = await createApp(config, extra);
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.send?.({ url: await app.getUrl() });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench child failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
