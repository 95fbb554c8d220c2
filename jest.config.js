const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022', transform: { react: { runtime: 'automatic' } } },
    module: { type: 'es6' },
  },
]

const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: { '^.+\\.tsx?$': swc },
  moduleNameMapper: { '^@payload-config$': '<rootDir>/src/payload.config.ts' },
  rootDir: import.meta.dirname,
}

const integration = {
  ...shared,
  testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
  testTimeout: 120_000,
}

/** The integration suite runs twice: once on SQLite, once on a real PostgreSQL server. */
export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    { ...integration, displayName: 'sqlite', setupFiles: ['<rootDir>/tests/support/useSqlite.ts'] },
    {
      ...integration,
      displayName: 'postgres',
      setupFiles: ['<rootDir>/tests/support/usePostgres.ts'],
      globalSetup: '<rootDir>/tests/support/postgresGlobalSetup.ts',
      globalTeardown: '<rootDir>/tests/support/postgresGlobalTeardown.ts',
    },
  ],
}
