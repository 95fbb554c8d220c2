import type { Payload } from 'payload'

import { migrations as postgresMigrations } from '../../migrations/postgres'
import { migrations as sqliteMigrations } from '../../migrations/sqlite'
import type { DatabaseTarget } from './databaseUrl'

type Migration = { name: string; up: (args: never) => Promise<void>; down: (args: never) => Promise<void> }

/** The committed migrations for a database kind; MongoDB needs none. */
export const migrationsFor = (kind: DatabaseTarget['kind']): Migration[] => {
  if (kind === 'sqlite') return sqliteMigrations as Migration[]
  if (kind === 'postgres') return postgresMigrations as Migration[]
  return []
}

/** Names of committed migrations the database has not applied yet. */
export const pendingMigrations = async (payload: Payload, kind: DatabaseTarget['kind']): Promise<string[]> => {
  const committed = migrationsFor(kind).map((migration) => migration.name)
  if (committed.length === 0) return []
  let applied = new Set<string>()
  try {
    const { docs } = await payload.find({
      collection: 'payload-migrations',
      limit: 0,
      pagination: false,
      depth: 0,
      overrideAccess: true,
    })
    applied = new Set(docs.map((doc) => String((doc as { name?: string }).name)))
  } catch {
    // No migrations table: nothing has been applied.
  }
  return committed.filter((name) => !applied.has(name))
}

export const applyMigrations = async (payload: Payload, kind: DatabaseTarget['kind']): Promise<void> => {
  const migrations = migrationsFor(kind)
  if (migrations.length > 0) await payload.db.migrate({ migrations: migrations as never })
}
