import cluster from 'node:cluster';
import { buildTracingSettings, TracingSettings } from '../config/app-config';
import { loadDotenv } from '../config/dotenv';
import { validateEnvironment } from '../config/environment';
import type { RunningTracer } from './tracer-provider';

let running: RunningTracer | undefined;

/**
 * Starts tracing for this process when an OTLP endpoint is configured. It must run before the modules
 * it instruments (node:http, pg) are first required, so src/main.ts imports ./start (which calls it) first;
 * the SDK is required only then, so a process without an endpoint loads none of it. A supervisor of
 * WEB_CONCURRENCY workers serves no request and traces nothing: each worker runs main.ts and starts its own.
 * An invalid environment starts nothing here: main() reports it and stops.
 */
export function startProcessTracing(env: NodeJS.ProcessEnv = process.env): void {
  if (running) return;
  let settings: TracingSettings | null;
  try {
    loadDotenv(env);
    const vars = validateEnvironment(env);
    if (cluster.isPrimary && vars.WEB_CONCURRENCY > 1) return;
    settings = buildTracingSettings(vars);
  } catch {
    return;
  }
  if (!settings) return;
  // A conditional require, not an import: an import would load the SDK whether tracing is on or not.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startTracerProvider } = require('./tracer-provider') as typeof import('./tracer-provider');
  running = startTracerProvider(settings);
}

/** Exports the spans still buffered (graceful shutdown); nothing when tracing is off. */
export async function stopProcessTracing(): Promise<void> {
  const tracer = running;
  running = undefined;
  await tracer?.shutdown();
}
