import type { Payload } from 'payload'

/**
 * A Payload instance of this process on the database the servers use, for reading it directly
 * (Local API, overrideAccess) and for migrating it. One per process: the config reads DATABASE_URL
 * when it is first imported.
 */
export const openLocalPayload = async (databaseUrl: string, secret: string): Promise<Payload> => {
  process.env.DATABASE_URL = databaseUrl
  process.env.PAYLOAD_SECRET = secret
  // The config keeps Payload's own logging to errors under NODE_ENV=test.
  Object.assign(process.env, { NODE_ENV: 'test' })
  process.env.LOG_LEVEL ??= 'error'
  const { default: config } = await import('../src/payload.config')
  const { getPayload } = await import('payload')
  const { guardPoolErrors } = await import('../src/db/adapter')
  const payload = await getPayload({ config })
  // Dropping the database at the end ends this pool's idle connections: not an error here.
  guardPoolErrors(payload)
  return payload
}

export const migrateDatabase = async (payload: Payload, kind: 'sqlite' | 'postgres'): Promise<void> => {
  const { applyMigrations } = await import('../src/db/migrations')
  await applyMigrations(payload, kind)
}
