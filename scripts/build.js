// `npm run build`: compiles the app into dist/ (nest build), bundles the admin console into dist/admin
// (vite build of admin/) and stamps the build.
// `--if-stale` (used by `npm start` and `npm run cli`): builds only when dist/ has no build or a
// source file changed since the last one, so running the build does not rebuild it every time.
//
// "Changed" is by modification time against dist/.build-stamp, which carries the time the build
// started: a file saved during a build makes the next call build again. dist/ is compiled over in
// place, never deleted (nest-cli.json deleteOutDir: false), so a running server keeps its files.
// Its output goes to stderr: stdout belongs to the command that runs next (`cli --json`).
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');
const ENTRY_POINTS = ['dist/src/main.js', 'dist/src/cli.js', 'dist/admin/index.html'];
const SOURCES = [
  'src',
  'libs',
  'migrations',
  'bench',
  'admin',
  'packages/client',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
  'package-lock.json',
];

/** Why a build is needed, or undefined when dist/ is up to date. */
function staleness() {
  const missing = ENTRY_POINTS.find((file) => !existsSync(join(ROOT, file)));
  if (missing) return `${missing} is missing`;
  if (!existsSync(STAMP)) return 'no build stamp';
  const builtAt = statSync(STAMP).mtimeMs;
  const changed = SOURCES.map((source) => changedSince(join(ROOT, source), builtAt)).find(Boolean);
  return changed && `${relative(ROOT, changed)} changed`;
}

/** The first file under `path` modified after `time` (tests are not compiled, so they do not count). */
function changedSince(path, time) {
  if (!existsSync(path)) return undefined;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs > time && !path.endsWith('.spec.ts') ? path : undefined;
  for (const entry of readdirSync(path)) {
    const changed = changedSince(join(path, entry), time);
    if (changed) return changed;
  }
  return undefined;
}

const reason = process.argv.includes('--if-stale') ? staleness() : 'requested';
if (reason) {
  process.stderr.write(`Building dist/ (${reason})\n`);
  const startedAt = new Date();
  const nest = spawnSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build'], {
    cwd: ROOT,
    stdio: ['inherit', process.stderr, process.stderr],
  });
  if (nest.status !== 0) process.exit(nest.status ?? 1);
  // vite's package exports no bin path: its directory is found through package.json.
  const viteCli = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const vite = spawnSync(process.execPath, [viteCli, 'build', '--config', join(ROOT, 'admin', 'vite.config.mts')], {
    cwd: ROOT,
    stdio: ['inherit', process.stderr, process.stderr],
  });
  if (vite.status !== 0) process.exit(vite.status ?? 1);
  writeFileSync(STAMP, '');
  utimesSync(STAMP, startedAt, startedAt);
}
