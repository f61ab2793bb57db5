import cluster, { Worker } from 'node:cluster';
import { EMBEDDED_DATABASE_VARIABLE, isListening, WORKER_INDEX_VARIABLE } from './worker-messages';

const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;
/** A worker that ran this long before dying resets the restart delay: it was not a crash loop. */
const STABLE_AFTER_MS = 60_000;

export interface SupervisorOptions {
  workers: number;
  /** Set when the supervisor started the embedded PostgreSQL: workers connect to it. */
  embeddedDatabaseUrl?: string;
  /** Called once every worker has stopped, before the supervisor exits. */
  onStopped: () => Promise<void>;
}

/**
 * `npm start` with WEB_CONCURRENCY > 1: the primary process runs no app, it forks the workers that
 * do, all listening on the one port (node:cluster hands them connections in turn). The first worker
 * starts alone, so the control-plane migrations and first-start bootstraps run once; the others
 * follow once it listens. A worker that dies is started again, with a growing delay while it keeps
 * dying. SIGTERM/SIGINT stop every worker gracefully (each finishes its in-flight requests and
 * deregisters), then the supervisor.
 */
export async function superviseWorkers(options: SupervisorOptions): Promise<void> {
  let stopping = false;
  let restartDelayMs = FIRST_RESTART_DELAY_MS;
  const live = new Map<Worker, { index: number; startedAt: number }>();

  const fork = (index: number): Worker => {
    const worker = cluster.fork({
      [WORKER_INDEX_VARIABLE]: String(index),
      ...(options.embeddedDatabaseUrl ? { DATABASE_URL: options.embeddedDatabaseUrl, [EMBEDDED_DATABASE_VARIABLE]: 'true' } : {}),
    });
    live.set(worker, { index, startedAt: Date.now() });
    return worker;
  };

  const listening = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      worker.on('message', (message) => isListening(message) && resolve());
      worker.once('exit', (code) =>
        reject(new Error(`worker ${live.get(worker)?.index ?? '?'} exited with code ${code} before it listened`)),
      );
    });

  const stopAll = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const exits = [...live.keys()].map(
      (worker) => new Promise((resolve) => (worker.isDead() ? resolve(undefined) : worker.once('exit', resolve))),
    );
    for (const worker of live.keys()) worker.process.kill(signal);
    await Promise.all(exits);
    await options.onStopped();
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stopAll(signal));
  process.on('SIGTERM', (signal) => void stopAll(signal));

  await listening(fork(0));
  await Promise.all(Array.from({ length: options.workers - 1 }, (_, offset) => listening(fork(offset + 1))));

  cluster.on('exit', (worker, code, signal) => {
    const started = live.get(worker);
    live.delete(worker);
    if (stopping || !started) return;
    if (Date.now() - started.startedAt > STABLE_AFTER_MS) restartDelayMs = FIRST_RESTART_DELAY_MS;
    process.stderr.write(
      `Worker ${started.index} (pid ${worker.process.pid}) died (${signal ?? `code ${code}`}); starting it again in ${restartDelayMs} ms\n`,
    );
    setTimeout(() => {
      if (!stopping) fork(started.index);
    }, restartDelayMs);
    restartDelayMs = Math.min(restartDelayMs * 2, MAX_RESTART_DELAY_MS);
  });
}
