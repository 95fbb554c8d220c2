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
}

/** The integration suite runs twice: once on SQLite, once on a real PostgreSQL server. */
export default {
  // Integration files boot Payload and spawn servers; a slow shared CI machine must not fail them on time alone.
  testTimeout: 120_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    { ...shared, displayName: 'process', testMatch: ['<rootDir>/tests/process/**/*.test.ts'] },
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
