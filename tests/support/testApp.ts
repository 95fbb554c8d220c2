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

/** Boots Payload on a fresh migrated database and builds the Express app around it (no Next, no listen). */
export const startTestApp = async (): Promise<TestApp> => {
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
