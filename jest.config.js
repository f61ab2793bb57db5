/**
 * Unit tests sit beside the code (*.spec.ts); service tests call domain services on scratch databases
 * without HTTP (test/service/*.service-spec.ts); end-to-end tests drive the real HTTP API (test/*.e2e-spec.ts).
 */
const transform = { '^.+\\.(t|j)s$': ['@swc/jest'] };
// ESM-only dependencies (Nest 12, pg-boss, otplib's hashes...) load through Jest's native require(esm),
// which needs Node's vm modules: `npm test` sets --experimental-vm-modules.

module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  // ES modules loaded through vm modules stay in a worker's memory from one test file to the next:
  // a worker that has grown past this is replaced after its current file, before GC slows it down.
  workerIdleMemoryLimit: '1GB',
  // A global option (Jest ignores it inside projects): e2e hooks create and drop real databases.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      setupFiles: ['reflect-metadata'],
      transform,
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
    },
    {
      displayName: 'service',
      testEnvironment: 'node',
      setupFiles: ['reflect-metadata'],
      transform,
      testMatch: ['<rootDir>/test/service/**/*.service-spec.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      setupFiles: ['reflect-metadata'],
      transform,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
