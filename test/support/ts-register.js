// Lets a child process run the TypeScript sources directly (`node -r ./test/support/ts-register.js src/main.ts`),
// compiled by swc with the project's .swcrc, as Jest does for the tests themselves.
const { transformSync } = require('@swc/core');
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

// The project's .swcrc, whatever directory the process runs in (a test may start one elsewhere).
const ROOT = join(__dirname, '..', '..');

Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { filename, cwd: ROOT, swcrc: true });
  module._compile(code, filename);
};
