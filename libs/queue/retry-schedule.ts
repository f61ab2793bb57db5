const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** A comma-separated list of waits such as `5s,5m,30m,2h` (e.g. WEBHOOK_RETRY_SCHEDULE). */
export const RETRY_SCHEDULE_PATTERN = /^\d{1,5}[smh](,\d{1,5}[smh]){0,19}$/;

/** The waits, in seconds, before each retry of a failed step (its length is the number of retries). */
export function parseRetrySchedule(text: string): number[] {
  if (!RETRY_SCHEDULE_PATTERN.test(text)) throw new Error(`not a retry schedule: ${text}`);
  return text.split(',').map((wait) => Number(wait.slice(0, -1)) * UNIT_SECONDS[wait.slice(-1)]);
}

/** Seconds to wait after failed attempt number `attempt` (1-based), or null when it was the last try. */
export function retryDelayAfter(schedule: readonly number[], attempt: number): number | null {
  return attempt <= schedule.length ? schedule[attempt - 1] : null;
}
