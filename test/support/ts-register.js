// Lets a child process run the TypeScript sources directly (`node -r ./test/support/ts-register.js src/main.ts`),
// compiled by swc with the project's .swcrc, as Jest does for the tests themselves.
const { transformSync } = require('@swc/core');
const { createHash } = require('node:crypto');
const Module = require('node:module');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

// The project's .swcrc, whatever directory the process runs in (a test may start one elsewhere).
const ROOT = join(__dirname, '..', '..');
// Tests start many child processes on the same sources: each file is compiled once, then read back by the hash of
// what it was compiled from (its path, its text, the .swcrc and swc's version), so a changed file is compiled again.
const CACHE = join(ROOT, 'node_modules', '.cache', 'ts-register');
const SETTINGS = readFileSync(join(ROOT, '.swcrc'), 'utf8') + require('@swc/core/package.json').version;
mkdirSync(CACHE, { recursive: true });

Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = readFileSync(filename, 'utf8');
  const cached = join(CACHE, `${createHash('sha256').update(SETTINGS).update(filename).update(source).digest('hex')}.js`);
  let code;
  try {
    code = readFileSync(cached, 'utf8');
  } catch {
    code = transformSync(source, { filename, cwd: ROOT, swcrc: true }).code;
    // Written whole under a name of its own, then renamed: a process reading it never sees half a file.
    const partial = `${cached}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, cached);
  }
  module._compile(code, filename);
};
