// First of all: tracing (when configured) must hook node:http and pg before anything requires them.
import './platform/tracing/start';
import 'reflect-metadata';
import { EmbeddedPostgresNotInstalledError, EmbeddedPostgresServer } from '../libs/embedded-postgres';
import { createApp } from './app.factory';
import { buildAppConfig } from './platform/config/app-config';
import { resolveSecrets } from './platform/config/development-secrets';
import { loadDotenv } from './platform/config/dotenv';
import { ConfigurationError, EnvironmentVariables, validateEnvironment } from './platform/config/environment';
import { DefaultPlacementBootstrap } from './control-plane/default-placement.bootstrap';
import { PlatformAdminBootstrap } from './control-plane/platform-admin.bootstrap';
import cluster from 'node:cluster';
import { join } from 'node:path';
import { announceListening, EMBEDDED_DATABASE_VARIABLE, WORKER_INDEX_VARIABLE } from './platform/cluster/worker-messages';
import { superviseWorkers } from './platform/cluster/worker-supervisor';
import { stopProcessTracing } from './platform/tracing/process-tracing';

async function main(): Promise<void> {
  const dotenv = loadDotenv(process.env);
  const vars = validateEnvironment(process.env);
  const secrets = await resolveSecrets(vars);
  if (cluster.isPrimary && vars.WEB_CONCURRENCY > 1) return supervise(vars);
  // A worker of a supervisor that started the embedded PostgreSQL connects to it like a single process would.
  const embeddedByPrimary = process.env[EMBEDDED_DATABASE_VARIABLE] === 'true';
  const embedded = vars.DATABASE_URL
    ? undefined
    : await EmbeddedPostgresServer.start({ baseDir: join(vars.DATA_DIR, 'postgres'), port: vars.EMBEDDED_POSTGRES_PORT });
  const config = buildAppConfig(vars, vars.DATABASE_URL ?? embedded!.url, secrets);

  const startingWorker = cluster.isWorker ? deferStopUntilStarted() : undefined;
  const app = await createApp(config).catch(async (error: unknown) => {
    await embedded?.stop();
    throw error;
  });
  if (config.database.autoRegisterServer) {
    await app
      .get(DefaultPlacementBootstrap)
      .ensure(
        embedded || embeddedByPrimary
          ? { name: 'embedded', url: config.database.url }
          : { name: 'control-plane', url: config.database.url },
      )
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
    await stopProcessTracing();
    process.exit(0);
  };
  startingWorker?.started();
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
  if (startingWorker?.stopRequested) return stop(startingWorker.stopRequested);

  announceListening();
  const workerIndex = process.env[WORKER_INDEX_VARIABLE];
  if (workerIndex !== undefined && workerIndex !== '0') return;
  const url = await app.getUrl();
  const base = url.replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');
  const admin = app.get(PlatformAdminBootstrap).outcome;
  const lines = [
    '',
    `Tenantry is listening on ${base}`,
    config.http.swaggerUi
      ? `  Swagger UI:  ${base}/docs    (OpenAPI JSON at ${base}/docs-json)`
      : '  Swagger UI:  off (SWAGGER_UI=true serves it)',
    `  Database:    ${embedded || embeddedByPrimary ? `embedded PostgreSQL (data in ${join(vars.DATA_DIR, 'postgres')})` : 'DATABASE_URL'}`,
    `  Admin:       ${admin.email}`,
  ];
  if (workerIndex !== undefined) lines.push(`  Workers:     ${vars.WEB_CONCURRENCY} processes on this port (WEB_CONCURRENCY)`);
  if (admin.generatedPassword) {
    lines.push(`  Password:    ${admin.generatedPassword}    (generated; shown this once, store it now)`);
  }
  if (dotenv) lines.push(`  Settings:    ${dotenv} (variables set in the environment win)`);
  if (secrets.generated) lines.push(`  Secrets:     generated for development in ${join(vars.DATA_DIR, 'development-secrets.json')}`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

/** WEB_CONCURRENCY > 1: this process only supervises the workers (and the embedded PostgreSQL, if it is used). */
async function supervise(vars: EnvironmentVariables): Promise<void> {
  const embedded = vars.DATABASE_URL
    ? undefined
    : await EmbeddedPostgresServer.start({ baseDir: join(vars.DATA_DIR, 'postgres'), port: vars.EMBEDDED_POSTGRES_PORT });
  const stopped = async () => {
    await embedded?.stop();
  };
  try {
    await superviseWorkers({ workers: vars.WEB_CONCURRENCY, embeddedDatabaseUrl: embedded?.url, onStopped: stopped });
  } catch (error) {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    await stopped();
    throw new StartupError(`Tenantry failed to start: ${(error as Error).message}`);
  }
}

/**
 * A worker told to stop while it starts (the supervisor stopping meanwhile) finishes starting, so
 * it stops as a started process does: in-flight work done, deregistered. A second signal ends it at once.
 */
function deferStopUntilStarted(): { stopRequested?: NodeJS.Signals; started(): void } {
  const state: { stopRequested?: NodeJS.Signals; started(): void } = {
    started: () => {
      process.off('SIGINT', defer);
      process.off('SIGTERM', defer);
    },
  };
  function defer(signal: NodeJS.Signals): void {
    if (state.stopRequested) process.exit(1);
    state.stopRequested = signal;
  }
  process.on('SIGINT', defer);
  process.on('SIGTERM', defer);
  return state;
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
