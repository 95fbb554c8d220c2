import type { PostgresAdapter } from '@payloadcms/db-postgres'
import type { SQLiteAdapter } from '@payloadcms/db-sqlite'
import type { Payload } from 'payload'

const STARTUP_LOCK = 'vetted:start-up'
const SQLITE_RETRY_MS = 100

const waitingMessage = 'Waiting for another replica to finish starting up (migrations, demo content)'

/**
 * PostgreSQL: an advisory lock shared by every replica of the database, on a connection of its own
 * outside Payload's pool; it dies with that connection if the process does.
 */
const withAdvisoryLock = async <T>(payload: Payload, db: PostgresAdapter, work: () => Promise<T>): Promise<T> => {
  const client = new db.pg.Client({ ...db.poolOptions, application_name: 'vetted start-up lock' })
  client.on('error', () => {})
  await client.connect()
  try {
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [STARTUP_LOCK])
    if (!rows[0]?.locked) {
      payload.logger.info(waitingMessage)
      await client.query('select pg_advisory_lock(hashtext($1))', [STARTUP_LOCK])
    }
    return await work()
  } finally {
    // Ending the session releases the lock.
    await client.end().catch(() => {})
  }
}

/**
 * SQLite: an exclusive transaction on a small file beside the database (`<file>.startup-lock`).
 * The operating system drops it if the process dies. Payload's migrations end the process on any
 * error, so two processes migrating one file at once must not happen.
 */
const withLockFile = async <T>(payload: Payload, databaseUrl: string, work: () => Promise<T>): Promise<T> => {
  const { createClient } = await import('@libsql/client')
  const lock = createClient({ url: `${databaseUrl}.startup-lock` })
  let held = false
  try {
    // libsql waits synchronously on a busy file; poll instead so the event loop stays free.
    await lock.execute('PRAGMA busy_timeout = 0')
    for (let waited = false; ; waited = true) {
      try {
        await lock.execute('BEGIN EXCLUSIVE')
        held = true
        break
      } catch (err) {
        if (!/SQLITE_BUSY|database is locked/i.test(String((err as { code?: string }).code) + String((err as Error).message))) throw err
        if (!waited) payload.logger.info(waitingMessage)
        await new Promise((resolve) => setTimeout(resolve, SQLITE_RETRY_MS))
      }
    }
    return await work()
  } finally {
    // Closing the client does not end its transaction: the lock stays until it is rolled back.
    if (held) await lock.execute('ROLLBACK').catch(() => {})
    lock.close()
  }
}

/**
 * Runs `work` while no other process of this database runs its own: replicas started together
 * migrate (in development) and seed one after the other, and each checks what exists only once
 * the previous one has committed. MongoDB runs `work` as is (the seed retries a lost race).
 */
export const withStartupLock = async <T>(payload: Payload, work: () => Promise<T>): Promise<T> => {
  const name = (payload.db as { name?: string }).name
  if (name === 'postgres') return withAdvisoryLock(payload, payload.db as unknown as PostgresAdapter, work)
  if (name === 'sqlite') {
    const url = (payload.db as unknown as SQLiteAdapter).clientConfig?.url
    if (typeof url === 'string' && url.startsWith('file:') && !url.includes(':memory:')) return withLockFile(payload, url, work)
  }
  return work()
}
