/** Unit specs live beside the code; integration and e2e suites under test/. */
const tsJest = ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node', isolatedModules: true } }];
module.exports = {
  testTimeout: 60000,
  // Most suites wait on HTTP, Postgres and child processes: two workers overlap that on 2 cores.
  maxWorkers: 2,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      // A global lookup inside jest's vm context costs ~1 µs (jestjs/jest#5163, nodejs/node#31658):
      // the seeded simulations call Math millions of times and ran 8x slower without this.
      sandboxInjectedGlobals: ['Math'],
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.int-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      globalSetup: '<rootDir>/test/setup/global-setup.js',
      globalTeardown: '<rootDir>/test/setup/global-teardown.js',
      setupFiles: ['<rootDir>/test/setup/env.js'],
    },
  ],
};
