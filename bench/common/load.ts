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
}

/** One request to send; called for every request, so targets can vary (random tenant, id). */
export type RequestFactory = () => { path: string; headers?: Record<string, string> };

/** Warms up, then measures one target with autocannon; requests vary per call of `next`. */
export async function measure(baseUrl: string, next: RequestFactory, settings: LoadSettings): Promise<LoadResult> {
  if (settings.warmupSeconds > 0) await run(baseUrl, next, settings.connections, settings.warmupSeconds);
  const result = await run(baseUrl, next, settings.connections, settings.durationSeconds);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
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
          const { path, headers } = next();
          return { ...request, method: 'GET', path, headers: { ...request.headers, ...headers } };
        },
      },
    ],
  });
}

export function parseArgs(argv: string[]): { quick: boolean } {
  return { quick: argv.includes('--quick') };
}
