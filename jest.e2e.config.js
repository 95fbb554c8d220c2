import base from './jest.config.js'

const unit = base.projects[0]

/** Browser tests against the built app on a fresh SQLite database (`npm run test:e2e`). */
export default {
  ...unit,
  displayName: 'e2e',
  testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
  globalSetup: '<rootDir>/tests/e2e/support/globalSetup.ts',
  globalTeardown: '<rootDir>/tests/e2e/support/globalTeardown.ts',
  testTimeout: 120_000,
  maxWorkers: 1,
}
