import 'reflect-metadata';
import { EmbeddedPostgresNotInstalledError, EmbeddedPostgresServer } from '../libs/embedded-postgres';
import { createApp } from './app.factory';
import { buildAppConfig } from './platform/config/app-config';
import { resolveSecrets } from './platform/config/development-secrets';
import { loadDotenv } from './platform/config/dotenv';
import { ConfigurationError, validateEnvironment } from './platform/config/environment';
import { DefaultPlacementBootstrap } from './control-plane/default-placement.bootstrap';
import { PlatformAdminBootstrap } from './control-plane/platform-admin.bootstrap';
import { join } from 'node:path';

async function main(): Promise<void> {
  const dotenv = loadDotenv(process.env);
  const vars = validateEnvironment(process.env);
  const secrets = await resolveSecrets(vars);
  const embedded = vars.DATABASE_URL
    ? undefined
    : await EmbeddedPostgresServer.start({ baseDir: join(vars.DATA_DIR, 'postgres'), port: vars.EMBEDDED_POSTGRES_PORT });
  const config = buildAppConfig(vars, vars.DATABASE_URL ?? embedded!.url, secrets);

  const app = await createApp(config).catch(async (error: unknown) => {
    await embedded?.stop();
    throw error;
  });
  if (config.database.autoRegisterServer) {
    await app
      .get(DefaultPlacementBootstrap)
      .ensure(embedded ? { name: 'embedded', url: embedded.url } : { name: 'control-plane', url: config.database.url })
      .catch(async (error: unknown) => {
        await app.close();
        await embedded?.stop();
        throw error;
      });
  }
  await app.listen({ host: config.http.host, port: config.http.port }).catch(async (error: unknown) => {
    await app.close();
    await embedded?.stop();
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new StartupError(
        `Port ${config.http.port} on ${config.http.host} is in use by another process: stop it, or start Tenantry with another PORT`,
      );
    }
    throw error;
  });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal} received: finishing in-flight requests and stopping\n`);
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));

  const url = await app.getUrl();
  const base = url.replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');
  const admin = app.get(PlatformAdminBootstrap).outcome;
  const lines = [
    '',
    `Tenantry is listening on ${base}`,
    config.http.swaggerUi
      ? `  Swagger UI:  ${base}/docs    (OpenAPI JSON at ${base}/docs-json)`
      : '  Swagger UI:  off (SWAGGER_UI=true serves it)',
    `  Database:    ${embedded ? `embedded PostgreSQL (data in ${join(vars.DATA_DIR, 'postgres')})` : 'DATABASE_URL'}`,
    `  Admin:       ${admin.email}`,
  ];
  if (admin.generatedPassword) {
    lines.push(`  Password:    ${admin.generatedPassword}    (generated; shown this once, store it now)`);
  }
  if (dotenv) lines.push(`  Settings:    ${dotenv} (variables set in the environment win)`);
  if (secrets.generated) lines.push(`  Secrets:     generated for development in ${join(vars.DATA_DIR, 'development-secrets.json')}`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

/** A start that cannot go on for a reason one line says fully: no stack trace. */
class StartupError extends Error {}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError || error instanceof StartupError || error instanceof EmbeddedPostgresNotInstalledError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Tenantry failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
