import { Client, ClientConfig } from 'pg';

/** How often a cancel is repeated while the work has not given up: one that lands between two statements cancels nothing. */
const CANCEL_REPEAT_MS = 200;

/**
 * Runs `work`, whose statements run on the server session `pid`; when `signal` aborts, the
 * statement in flight is cancelled from another connection (`pg_cancel_backend`, so a statement
 * waiting on a lock stops too), again and again until `work` settles, and if it fails, the abort's
 * reason is thrown. Closing our end of the connection would not do: the server finishes a statement whose
 * client has gone, e.g. creates the database after all. Without a signal, just `work()`.
 */
export async function cancellingOnAbort<T>(
  connection: ClientConfig,
  pid: number,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (!signal) return work();
  signal.throwIfAborted();
  let settled = false;
  let cancelling: Promise<void> | undefined;
  const cancel = async () => {
    while (!settled) {
      await cancelBackend(connection, pid).catch(() => undefined);
      if (!settled) await new Promise((resolve) => setTimeout(resolve, CANCEL_REPEAT_MS));
    }
  };
  const onAbort = () => {
    cancelling = cancel();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    // A result that arrives despite the abort is returned: what it did (e.g. a database created) is the caller's to undo.
    return await work();
  } catch (error) {
    throw signal.aborted ? signal.reason : error;
  } finally {
    settled = true;
    signal.removeEventListener('abort', onAbort);
    await cancelling;
  }
}

/** The server session of a connected pg Client (sent by the server at start-up; missing from pg's typings). */
export function sessionOf(client: Client): number {
  return (client as unknown as { processID: number }).processID;
}

async function cancelBackend(connection: ClientConfig, pid: number): Promise<void> {
  const client = new Client({ ...connection, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await client.end();
  }
}
