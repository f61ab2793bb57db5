import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LoadResult, RequestFactory, Target } from './load';

type RequestSpec = ReturnType<RequestFactory>;
import { startTenantry, TenantryProcess } from './tenantry-process';

/**
 * Another checkout's build of Tenantry (say, main before a dependency upgrade), measured beside this
 * one in the same run so the two see the same machine: `--previous <checkout> [--previous-node <binary>]`.
 * The checkout must be built (`npm run build` there); `node` defaults to this run's own.
 */
export interface PreviousBuild {
  checkout: string;
  node: string;
}

export function previousBuildOf(argv: string[]): PreviousBuild | undefined {
  const valueOf = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const checkout = valueOf('--previous');
  if (!checkout) return undefined;
  const build = { checkout: resolve(checkout), node: valueOf('--previous-node') ?? process.execPath };
  if (!existsSync(join(build.checkout, 'dist', 'bench', 'common', 'tenantry-child.js'))) {
    throw new Error(`--previous ${checkout}: no build there (run npm run build in it first)`);
  }
  return build;
}

/**
 * The previous build as a second process of the same deployment: the same control-plane database,
 * JWT secret and key ring as `current`, so it serves the very tenants, rows and tokens the bench set
 * up, and both builds read the same data. The previous build must run on this build's schema (a
 * change that adds a migration is measured by two separate runs instead).
 */
export function startPreviousBeside(current: TenantryProcess, previous: PreviousBuild): Promise<TenantryProcess> {
  const { databaseUrl, env, jwtSecret, secretsKeys } = current.settings;
  return startTenantry({ databaseUrl, env, jwtSecret, secretsKeys }, previous);
}

/**
 * One request per tenant on each build before the measurement, so that both have opened their
 * connections to every tenant's database and neither pays for it in its warm-up.
 */
export async function openTenantConnections(apps: Array<{ url: string }>, requests: RequestSpec[]): Promise<void> {
  for (const app of apps) {
    for (const { path, headers } of requests) {
      const response = await fetch(new URL(path, app.url), { headers });
      if (!response.ok) throw new Error(`GET ${path} on ${app.url}: ${response.status} ${await response.text()}`);
    }
  }
}

const PREVIOUS = 'Previous';

/**
 * Each target followed by its twin on the previous build (named `<name>Previous`), so that in every
 * round the two run one right after the other, on the same machine load and the same state of the caches.
 */
export function besidePrevious(targets: Target[], previousApp: TenantryProcess | undefined): Target[] {
  if (!previousApp) return targets;
  return targets.flatMap((target) => [target, { ...target, name: `${target.name}${PREVIOUS}`, baseUrl: previousApp.url }]);
}

export interface VersusPrevious {
  /** This build's requests per second over the previous build's: above 1 is faster. */
  requestsPerSecond: number;
  /** This build's latency over the previous build's: below 1 is faster. */
  p50Ms: number;
  p99Ms: number;
}

/** This build against the previous one, for every target measured on both. */
export function versusPrevious(results: Record<string, LoadResult>): Record<string, VersusPrevious> {
  const ratio = (current: number, previous: number) => (previous > 0 ? Math.round((current / previous) * 100) / 100 : NaN);
  return Object.fromEntries(
    Object.entries(results)
      .filter(([name]) => results[`${name}${PREVIOUS}`] !== undefined)
      .map(([name, current]) => {
        const previous = results[`${name}${PREVIOUS}`];
        return [
          name,
          {
            requestsPerSecond: ratio(current.requestsPerSecond, previous.requestsPerSecond),
            p50Ms: ratio(current.p50Ms, previous.p50Ms),
            p99Ms: ratio(current.p99Ms, previous.p99Ms),
          },
        ];
      }),
  );
}

/** One console line per target measured on both builds. */
export function printVersusPrevious(ratios: Record<string, VersusPrevious>): void {
  for (const [name, ratio] of Object.entries(ratios)) {
    console.log(`${name.padEnd(18)} this / previous build: req/s ${ratio.requestsPerSecond}   p50 ${ratio.p50Ms}   p99 ${ratio.p99Ms}`);
  }
}
