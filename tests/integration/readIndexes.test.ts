import { afterAll, beforeAll, expect, test } from '@jest/globals'

import { keepPlannerStatistics } from '../../src/db/plannerStatistics'
import { startTestApp, type TestApp } from '../support/testApp'

let ctx: TestApp

beforeAll(async () => {
  ctx = await startTestApp()
})
afterAll(async () => {
  await ctx?.close()
})

type Rows = { rows: Record<string, unknown>[] }

const query = async (statement: string): Promise<Record<string, unknown>[]> => {
  const db = ctx.payload.db as unknown as { client?: { execute: (sql: string) => Promise<Rows> }; pool?: { query: (sql: string) => Promise<Rows> } }
  if (ctx.database.kind === 'sqlite') return (await db.client!.execute(statement)).rows
  return (await db.pool!.query(statement)).rows
}

const indexNames = async (): Promise<string[]> =>
  (ctx.database.kind === 'sqlite'
    ? await query(`SELECT name FROM sqlite_master WHERE type = 'index'`)
    : await query(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()`)
  ).map((row) => String(row.name))

test('the migrated schema has the indexes public reads rely on', async () => {
  const names = await indexNames()
  for (const expected of [
    'articles_slug_idx',
    'lastUpdated_createdAt_idx',
    '_status_reviewStatus_idx',
    'articles_texts_parent_lookup_idx',
    'reviewers_texts_parent_lookup_idx',
  ]) {
    expect(names).toContain(expected)
  }
})

test('on SQLite, planner statistics are gathered so the public list walks the lastUpdated index', async () => {
  const stop = await keepPlannerStatistics(ctx.payload, ctx.database.kind)
  stop?.()
  if (ctx.database.kind !== 'sqlite') {
    expect(stop).toBeUndefined()
    return
  }
  const stats = await query(`SELECT idx FROM sqlite_stat1 WHERE tbl = 'articles'`)
  expect(stats.map((row) => row.idx)).toEqual(expect.arrayContaining(['lastUpdated_createdAt_idx', '_status_reviewStatus_idx']))
})
