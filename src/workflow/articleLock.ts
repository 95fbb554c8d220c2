import { APIError, type PayloadRequest } from 'payload'
import { sql } from '@payloadcms/db-postgres'

import type { Id } from '../rules/workflow'

/**
 * One decision per article at a time. A workflow write holds its article's lock from before
 * Payload reads the article until its transaction ends, so it is decided against the latest state
 * and nothing it did not see can slip in before it commits:
 *
 * - PostgreSQL: `SELECT … FOR NO KEY UPDATE` on the article's row (other replicas wait too; review
 *   events may still reference the row meanwhile). Waits at most `DB_LOCK_TIMEOUT_MS`, then 503.
 * - SQLite: every write transaction holds the database's write lock from `BEGIN IMMEDIATE`, and
 *   transactions in one process queue for it (src/db/instrument.ts): already one at a time.
 * - MongoDB: the transaction's write conflict aborts the loser, which is retried or answered 503.
 */
export const lockTimeoutMs = (): number => Number(process.env.DB_LOCK_TIMEOUT_MS ?? 10_000)

type SqlSession = { execute: (query: unknown) => Promise<unknown> }
type PostgresAdapter = { name: string; sessions: Record<string, { db: SqlSession } | undefined>; tables: Record<string, Record<string, unknown>> }

export const lockArticles = async (req: PayloadRequest, ids: Id[]): Promise<void> => {
  if (ids.length === 0) return
  const adapter = req.payload.db as unknown as PostgresAdapter
  if (adapter.name !== 'postgres') return
  const transactionID = req.transactionID instanceof Promise ? await req.transactionID : req.transactionID
  const session = transactionID === undefined ? undefined : adapter.sessions[String(transactionID)]?.db
  if (!session) throw new APIError('A workflow write must run in a transaction; this one has none', 500)
  const table = adapter.tables.articles!
  await session.execute(sql.raw(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs()))}`))
  // A fixed order, so two bulk writes over the same articles cannot deadlock each other.
  const ordered = [...new Set(ids.map((id) => Number(id)))].sort((a, b) => a - b)
  for (const id of ordered) {
    await session.execute(sql`select 1 from ${table} where ${table.id} = ${id} for no key update`)
  }
}

/** The id of the article's newest version (the revision a write would be decided against). */
export const latestVersionId = async (req: PayloadRequest, id: Id): Promise<string | null> => {
  const { docs } = await req.payload.findVersions({
    collection: 'articles',
    where: { and: [{ parent: { equals: id } }, { latest: { equals: true } }] },
    // Two versions saved in the same millisecond can both keep `latest`; the later row wins.
    sort: ['-updatedAt', '-id'],
    limit: 1,
    pagination: false,
    depth: 0,
    overrideAccess: true,
    req,
  })
  return docs[0] ? String(docs[0].id) : null
}

/**
 * Holds the rows an edition copies (its references, related questions, reviewer) against change
 * until the edition's transaction ends (PostgreSQL `FOR SHARE`): an edit to one of them either
 * commits first, and the edition copies it, or waits, and then finds the edition and flags it.
 * SQLite runs one write transaction at a time already.
 */
export const holdRowsForShare = async (req: PayloadRequest, tableName: string, ids: Id[]): Promise<void> => {
  if (ids.length === 0) return
  const adapter = req.payload.db as unknown as PostgresAdapter
  if (adapter.name !== 'postgres') return
  const transactionID = req.transactionID instanceof Promise ? await req.transactionID : req.transactionID
  const session = transactionID === undefined ? undefined : adapter.sessions[String(transactionID)]?.db
  if (!session) throw new APIError('An edition must be written in a transaction; this one has none', 500)
  const table = adapter.tables[tableName]
  if (!table) throw new APIError(`No table ${tableName}`, 500)
  const ordered = [...new Set(ids.map((id) => Number(id)))].sort((a, b) => a - b)
  await session.execute(sql`select 1 from ${table} where ${table.id} in ${ordered} order by ${table.id} for share`)
}
