/** What a worker tells the supervisor (node:cluster IPC). */
export interface WorkerListening {
  kind: 'tenantry.listening';
}

/** The environment variable the supervisor numbers its workers with (0: the first, which prints the start-up lines). */
export const WORKER_INDEX_VARIABLE = 'TENANTRY_WORKER_INDEX';
/** Set for workers of a supervisor that started the embedded PostgreSQL: DATABASE_URL then points at it. */
export const EMBEDDED_DATABASE_VARIABLE = 'TENANTRY_EMBEDDED_DATABASE';

export function isListening(message: unknown): message is WorkerListening {
  return typeof message === 'object' && message !== null && (message as { kind?: unknown }).kind === 'tenantry.listening';
}

/** Tells the supervisor, if there is one, that this worker serves requests. */
export function announceListening(): void {
  const listening: WorkerListening = { kind: 'tenantry.listening' };
  process.send?.(listening);
}
