import type { Payload } from 'payload'

import type { DatabaseTarget } from './databaseUrl'

const REFRESH_EVERY_MS = 6 * 60 * 60 * 1000

type SqliteClient = { execute: (statement: string) => Promise<unknown> }

/**
 * SQLite plans queries from `ANALYZE` statistics. Without them it assumes an equality on any
 * indexed column is selective, so the public list (`_status = 'published' … ORDER BY lastUpdated`)
 * filtered on the `_status` index and sorted every published article instead of walking the
 * lastUpdated index: 10,000 articles made a list of 20 take a third of a second. Statistics are
 * gathered at start-up and refreshed every few hours (150 ms at 10,000 articles). PostgreSQL's
 * autovacuum keeps its own.
 */
export const keepPlannerStatistics = async (payload: Payload, kind: DatabaseTarget['kind']): Promise<(() => void) | undefined> => {
  if (kind !== 'sqlite') return undefined
  const client = (payload.db as unknown as { client?: SqliteClient }).client
  if (!client) return undefined
  const analyze = async () => {
    // Sampling fewer rows misjudges low-cardinality columns (1,000 made `_status` look selective).
    await client.execute('PRAGMA analysis_limit = 100000')
    await client.execute('ANALYZE')
  }
  await analyze()
  const timer = setInterval(() => {
    analyze().catch((err: unknown) => payload.logger.warn(`Refreshing SQLite planner statistics failed: ${String(err)}`))
  }, REFRESH_EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}
