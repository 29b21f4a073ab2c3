/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // Not in the temporary folder: a run leaves nothing there (test/support/global-setup.ts).
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  // Hubs started by tests hold ports and databases; a clean exit is checked by the suites themselves.
  forceExit: true,
};
