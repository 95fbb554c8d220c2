import type { PostgresAdapter } from '@payloadcms/db-postgres'
import { sql } from '@payloadcms/db-postgres'
import os from 'node:os'
import type { PayloadRequest } from 'payload'

/** The channel every replica LISTENs on; PostgreSQL scopes it to the database. */
export const PUBLIC_CHANGE_CHANNEL = 'vetted_public_change'

/** Names the sender in each notification, for whoever watches the channel (`LISTEN vetted_public_change`). */
export const PROCESS_ID = `${os.hostname()}:${process.pid}`

const postgresOf = (req: PayloadRequest): PostgresAdapter | undefined => {
  const db = req.payload.db as unknown as PostgresAdapter
  return db.name === 'postgres' ? db : undefined
}

/**
 * Tells every replica (this one included) that public content changed. The NOTIFY is part of the
 * request's transaction, so PostgreSQL delivers it only if the write commits, and only after it:
 * a replica that clears its cache then cannot read the old rows again. SQLite and MongoDB have no
 * such channel; there other processes see the change within RESPONSE_CACHE_TTL.
 */
export const notifyPublicChange = async (req: PayloadRequest): Promise<void> => {
  const db = postgresOf(req)
  if (!db) return
  const transactionID = req.transactionID === undefined ? undefined : await req.transactionID
  const session = transactionID === undefined ? undefined : db.sessions[String(transactionID)]
  await (session?.db ?? db.drizzle).execute(sql`select pg_notify(${PUBLIC_CHANGE_CHANNEL}, ${PROCESS_ID})`)
}
