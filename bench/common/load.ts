import autocannon from 'autocannon';

export interface LoadSettings {
  durationSeconds: number;
  connections: number;
  warmupSeconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
  /** What the target's probe read over the measured seconds (not the warm-up), when it has one. */
  probed?: Record<string, number>;
}

/** One request to send (a GET unless it says otherwise); called for every request, so targets can vary (random tenant, id, a mix of reads and writes). */
export type RequestFactory = () => { path: string; headers?: Record<string, string>; method?: 'GET' | 'POST'; body?: unknown };

/**
 * Reads something outside the load (database counters, say) when a measurement starts; the
 * function it returns reads it again when the measurement ends and reports the difference,
 * given how many requests were answered in between.
 */
export type Probe = () => Promise<(requests: number) => Promise<Record<string, number>>>;

/** Warms up, then measures one target with autocannon; requests vary per call of `next`. */
export async function measure(baseUrl: string, next: RequestFactory, settings: LoadSettings, probe?: Probe): Promise<LoadResult> {
  if (settings.warmupSeconds > 0) await run(baseUrl, next, settings.connections, settings.warmupSeconds);
  const finishProbe = await probe?.();
  const result = await run(baseUrl, next, settings.connections, settings.durationSeconds);
  const probed = await finishProbe?.(result.requests.total);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    ...(probed && { probed }),
  };
}

function run(baseUrl: string, next: RequestFactory, connections: number, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: baseUrl,
    connections,
    duration,
    requests: [
      {
        setupRequest: (request) => {
          const { path, headers, method = 'GET', body } = next();
          if (body === undefined) return { ...request, method, path, headers: { ...request.headers, ...headers } };
          const json = { 'content-type': 'application/json' };
          return { ...request, method, path, headers: { ...request.headers, ...headers, ...json }, body: JSON.stringify(body) };
        },
      },
    ],
  });
}

export function parseArgs(argv: string[]): { quick: boolean } {
  return { quick: argv.includes('--quick') };
}

export interface Target {
  name: string;
  baseUrl: string;
  next: RequestFactory;
  probe?: Probe;
}

/**
 * Measures targets in interleaved rounds, every other one in reverse (A B C, C B A, A B C, …), and
 * keeps each target's median round, so neither a burst of noise on the shared machine nor the caches
 * one target warms for the next (a twin on the previous build reads the same rows) favour whichever ran first.
 * Errors and non-2xx answers are summed over all rounds.
 */
export async function measureInRounds(targets: Target[], settings: LoadSettings, rounds: number): Promise<Record<string, LoadResult>> {
  const samples: Record<string, LoadResult[]> = Object.fromEntries(targets.map((target) => [target.name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
      samples[target.name].push(
        await measure(target.baseUrl, target.next, { ...settings, warmupSeconds: round === 0 ? settings.warmupSeconds : 0 }, target.probe),
      );
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, results]) => {
      const sorted = [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
      const median = sorted[Math.floor(sorted.length / 2)];
      const errors = results.reduce((sum, r) => sum + r.errors, 0);
      const non2xx = results.reduce((sum, r) => sum + r.non2xx, 0);
      return [name, { ...median, errors, non2xx }];
    }),
  );
}
