import { mongooseAdapter } from '@payloadcms/db-mongodb'
import { postgresAdapter } from '@payloadcms/db-postgres'
import { sqliteAdapter } from '@payloadcms/db-sqlite'
import path from 'node:path'
import type { DatabaseAdapterObj, Payload } from 'payload'

import type { DatabaseTarget } from './databaseUrl'
import { postgresSchemaHooks, sqliteSchemaHooks } from './indexes'
import { instrumentAdapter } from './instrument'

export const migrationDirFor = (kind: 'sqlite' | 'postgres', root: string = process.cwd()): string =>
  path.resolve(root, 'migrations', kind)

/**
 * Schema changes reach SQL databases only through committed migrations (`npm run migrate`), so
 * development, tests and production all run the same schema. `DB_PUSH=true` restores Payload's dev push.
 */
export const createDatabaseAdapter = (target: DatabaseTarget): DatabaseAdapterObj => {
  const created = createPayloadAdapter(target)
  return { ...created, init: (args) => instrumentAdapter(created.init(args), { kind: target.kind, url: target.url, busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS }) }
}

const SQLITE_BUSY_TIMEOUT_MS = 10_000

/** How long a request waits for a pool connection before it is answered 503. */
export const poolAcquireTimeoutMs = (): number => Number(process.env.DB_POOL_ACQUIRE_TIMEOUT_MS ?? 10_000)

const createPayloadAdapter = (target: DatabaseTarget): DatabaseAdapterObj => {
  const push = process.env.DB_PUSH === 'true'
  const logger = process.env.DB_LOG_SQL === 'true'
  switch (target.kind) {
    case 'sqlite':
      return sqliteAdapter({
        client: { url: target.url },
        wal: true,
        busyTimeout: SQLITE_BUSY_TIMEOUT_MS,
        transactionOptions: { behavior: 'immediate' },
        migrationDir: migrationDirFor('sqlite'),
        push,
        logger,
        afterSchemaInit: sqliteSchemaHooks as never,
      })
    case 'postgres':
      return postgresAdapter({
        pool: {
          connectionString: target.url,
          max: Number(process.env.DB_POOL_MAX ?? 10),
          // Without it a saturated pool makes requests wait forever.
          connectionTimeoutMillis: poolAcquireTimeoutMs(),
        },
        migrationDir: migrationDirFor('postgres'),
        push,
        logger,
        afterSchemaInit: postgresSchemaHooks as never,
      })
    case 'mongodb':
      return mongooseAdapter({
        url: target.url,
        connectOptions: { serverSelectionTimeoutMS: 5_000 },
      })
  }
}

/**
 * node-postgres emits 'error' on the pool when the server drops an idle connection (a restart, a
 * failover, an administrator). Unhandled, that event would crash the process; log it and let the
 * pool reconnect on the next query instead.
 */
export const guardPoolErrors = (payload: Payload): void => {
  const pool = (payload.db as { pool?: { on: (event: 'error', listener: (err: Error) => void) => void } }).pool
  pool?.on('error', (err) => payload.logger.warn(`PostgreSQL dropped an idle connection: ${err.message}`))
}
