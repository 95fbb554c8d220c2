import type { Express } from 'express'
import type { Payload, SanitizedConfig } from 'payload'

import { createTestDatabase, type TestDatabase } from './testDatabase'

export type TestApp = {
  app: Express
  payload: Payload
  config: Promise<SanitizedConfig>
  database: TestDatabase
  close: () => Promise<void>
}

export const DEMO_PASSWORD = 'demo-password-for-tests'

/** Boots Payload on a fresh migrated database and builds the Express app around it (no Next, no listen). */
export const startTestApp = async ({ seedDemo = true }: { seedDemo?: boolean } = {}): Promise<TestApp> => {
  const database = await createTestDatabase()
  process.env.DATABASE_URL = database.url
  process.env.PAYLOAD_SECRET ??= 'test-secret-for-jest-only'
  const { default: config } = await import('../../src/payload.config')
  const { getPayload } = await import('payload')
  const { applyMigrations } = await import('../../src/db/migrations')
  const { createApp } = await import('../../src/server/app')
  const { guardPoolErrors } = await import('../../src/db/adapter')
  const payload = await getPayload({ config })
  guardPoolErrors(payload)
  await applyMigrations(payload, database.kind)
  if (seedDemo) {
    const { seed } = await import('../../seeds/seed')
    await seed(payload, { demo: true, password: DEMO_PASSWORD })
  }
  const app = createApp({ config, payload })
  return {
    app,
    payload,
    config,
    database,
    close: async () => {
      await payload.destroy()
      await database.drop()
    },
  }
}
