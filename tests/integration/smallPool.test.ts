/**
 * Payload 3.90 looks up document locks outside the request's transaction, so every write needed a
 * second pool connection while its transaction held one; with the pool full of transactions,
 * every write waited for good. With one usable connection (node-postgres pool of 2, one kept by
 * Payload's adapter), a write must still go through: the lookup now joins the transaction.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals'

import { createArticle, eventsOf, transition } from '../support/articles'
import { login, type Session } from '../support/http'
import { startTestApp, type TestApp } from '../support/testApp'

let ctx: TestApp
let editor: Session
let reviewer1: Session

beforeAll(async () => {
  process.env.DB_POOL_MAX = '2'
  process.env.DB_POOL_ACQUIRE_TIMEOUT_MS = '3000'
  ctx = await startTestApp()
  editor = await login(ctx.app, 'editor@example.com')
  reviewer1 = await login(ctx.app, 'reviewer1@example.com')
})
afterAll(async () => {
  await ctx?.close()
  delete process.env.DB_POOL_MAX
  delete process.env.DB_POOL_ACQUIRE_TIMEOUT_MS
})

test('workflow writes need one connection each: they go through a pool with one usable connection', async () => {
  const article = await createArticle(ctx.app, editor)
  expect((await transition(ctx.app, editor, article.id, { reviewStatus: 'submitted' })).status).toBe(200)
  const claims = await Promise.all([reviewer1, reviewer1, reviewer1].map((session) => transition(ctx.app, session, article.id, { reviewStatus: 'under_review' })))
  expect(claims.map((res) => res.status).sort()).toEqual([200, 200, 200])
  expect((await eventsOf(ctx.payload, article.id)).map((event) => event.action)).toEqual(['create', 'submit', 'claim'])
})
