import type { PostgresAdapter } from '@payloadcms/db-postgres'
import type { Payload } from 'payload'

const STARTUP_LOCK = 'vetted:start-up'

/**
 * Runs `work` while holding a PostgreSQL advisory lock shared by every replica of this database,
 * so replicas started together migrate (in development) and seed one after the other: each checks
 * what exists only once the previous one has committed. The lock lives on a connection of its own,
 * outside Payload's pool, and dies with it if the process does. Other databases run `work` as is.
 */
export const withStartupLock = async <T>(payload: Payload, work: () => Promise<T>): Promise<T> => {
  const db = payload.db as unknown as PostgresAdapter
  if (db.name !== 'postgres') return work()
  const client = new db.pg.Client({ ...db.poolOptions, application_name: 'vetted start-up lock' })
  client.on('error', () => {})
  await client.connect()
  try {
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [STARTUP_LOCK])
    if (!rows[0]?.locked) {
      payload.logger.info('Waiting for another replica to finish starting up (migrations, demo content)')
      await client.query('select pg_advisory_lock(hashtext($1))', [STARTUP_LOCK])
    }
    return await work()
  } finally {
    // Ending the session releases the lock.
    await client.end().catch(() => {})
  }
}
