/** Unit tests sit beside the code (*.spec.ts); end-to-end tests drive the real HTTP API (test/*.e2e-spec.ts). */
const transform = { '^.+\\.(t|j)s$': ['@swc/jest'] };
// ESM-only dependencies Jest cannot require natively on Node 20; swc compiles them to CommonJS.
// @scure/base and @noble/hashes are otplib's (base32 and HMAC).
const esmOnlyDependencies = ['content-disposition', '@scure/base', '@noble/hashes'];
const transformIgnorePatterns = [`/node_modules/(?!(${esmOnlyDependencies.join('|')})/)`];

module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  // A global option (Jest ignores it inside projects): e2e hooks create and drop real databases.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      setupFiles: ['reflect-metadata'],
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      setupFiles: ['reflect-metadata'],
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
