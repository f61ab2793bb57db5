import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

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
