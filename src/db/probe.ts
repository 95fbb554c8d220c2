import { mkdir } from 'node:fs/promises'
import path from 'node:path'

import type { DatabaseTarget } from './databaseUrl'

const TIMEOUT_MS = 5_000

const reason = (err: unknown): string => {
  const error = err as { code?: string; message?: string }
  return [error.code, error.message].filter(Boolean).join(': ') || String(err)
}

/**
 * Checks the database answers before Payload starts, so an unreachable one is reported as one line
 * naming it rather than as a stack trace from deep inside an adapter.
 */
export const probeDatabase = async (target: DatabaseTarget): Promise<void> => {
  if (target.kind === 'sqlite') {
    if (target.file === ':memory:') return
    try {
      await mkdir(path.dirname(target.file), { recursive: true })
    } catch (err) {
      throw new Error(`Cannot create the SQLite folder for ${target.file}: ${reason(err)}`)
    }
    return
  }
  if (target.kind === 'postgres') {
    const { default: pg } = await import('pg')
    const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: TIMEOUT_MS })
    client.on('error', () => {})
    try {
      await client.connect()
      await client.query('select 1')
    } catch (err) {
      // A missing database is fine: the adapter creates it.
      if ((err as { code?: string }).code === '3D000') return
      throw new Error(`Cannot reach PostgreSQL at ${target.redacted}: ${reason(err)}`)
    } finally {
      await client.end().catch(() => {})
    }
    return
  }
  const { default: mongoose } = await import('mongoose')
  const connection = mongoose.createConnection(target.url, { serverSelectionTimeoutMS: TIMEOUT_MS })
  try {
    await connection.asPromise()
  } catch (err) {
    throw new Error(`Cannot reach MongoDB at ${target.redacted}: ${reason(err)}`)
  } finally {
    await connection.close().catch(() => {})
  }
}
