/**
 * Contention never hangs and never becomes a 500: a deadlock or serialization failure is replayed
 * (it rolled everything back), a saturated database answers 503 with Retry-After, and 200
 * concurrent workflow writes with the default pool all finish with a 2xx, a 409 or a 503.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import request from 'supertest'

import { createArticle, eventsOf, latest, lexicalParagraph, transition } from '../support/articles'
import { auth, login, type Session } from '../support/http'
import { startTestApp, type TestApp } from '../support/testApp'

let ctx: TestApp
let editor: Session
let admin: Session
let reviewer1: Session
let reviewer2: Session

beforeAll(async () => {
  delete process.env.DB_POOL_MAX
  ctx = await startTestApp()
  editor = await login(ctx.app, 'editor@example.com')
  admin = await login(ctx.app, 'admin@example.com')
  reviewer1 = await login(ctx.app, 'reviewer1@example.com')
  reviewer2 = await login(ctx.app, 'reviewer2@example.com')
})
afterAll(async () => {
  await ctx?.close()
})

const driverError = (code: string, message: string) => Object.assign(new Error(message), { code })

/** Runs `work` with a beforeChange hook on review events that throws `failures` times. */
const withFailingEventWrite = async <T>(error: Error, failures: number, work: () => Promise<T>) => {
  const hooks = ctx.payload.collections['review-events'].config.hooks
  let calls = 0
  const failing = () => {
    calls++
    if (calls <= failures) throw error
  }
  hooks.beforeChange.push(failing)
  try {
    return { result: await work(), calls: () => calls }
  } finally {
    hooks.beforeChange.splice(hooks.beforeChange.indexOf(failing), 1)
  }
}

describe('a transaction that lost a deadlock', () => {
  test('is replayed: the write lands once, with one event', async () => {
    const article = await createArticle(ctx.app, editor)
    const { result: res, calls } = await withFailingEventWrite(driverError('40P01', 'deadlock detected'), 2, () =>
      transition(ctx.app, editor, article.id, { reviewStatus: 'submitted', plainLanguageAnswer: 'replayed' }),
    )
    expect(res.status).toBe(200)
    expect(calls()).toBe(3)
    expect(await latest(ctx.payload, article.id)).toMatchObject({ reviewStatus: 'submitted', plainLanguageAnswer: 'replayed' })
    expect((await eventsOf(ctx.payload, article.id)).map((event) => event.action)).toEqual(['create', 'submit'])
  })

  test('that keeps losing gets a 503 with Retry-After and a message, and nothing changes', async () => {
    const article = await createArticle(ctx.app, editor)
    const { result: res } = await withFailingEventWrite(driverError('40001', 'could not serialize access due to concurrent update'), 100, () =>
      transition(ctx.app, editor, article.id, { reviewStatus: 'submitted', plainLanguageAnswer: 'never' }),
    )
    expect(res.status).toBe(503)
    expect(res.headers['retry-after']).toBe('1')
    expect(res.body.errors[0].message).toMatch(/at the same moment/)
    expect(JSON.stringify(res.body)).not.toMatch(/serialize/)
    expect(await latest(ctx.payload, article.id)).toMatchObject({ reviewStatus: 'draft' })
    expect((await eventsOf(ctx.payload, article.id)).map((event) => event.action)).toEqual(['create'])
  })
})

test('a lock or pool timeout is a 503 with Retry-After, not a 500, and is not replayed', async () => {
  const article = await createArticle(ctx.app, editor)
  const { result: res, calls } = await withFailingEventWrite(driverError('55P03', 'canceling statement due to lock timeout'), 100, () =>
    transition(ctx.app, editor, article.id, { reviewStatus: 'submitted' }),
  )
  expect(res.status).toBe(503)
  expect(res.headers['retry-after']).toBe('1')
  expect(res.body.errors[0].message).toMatch(/busy/)
  expect(calls()).toBe(1)
  const timeout = await withFailingEventWrite(new Error('timeout exceeded when trying to connect'), 100, () => transition(ctx.app, editor, article.id, { reviewStatus: 'submitted' }))
  expect(timeout.result.status).toBe(503)
  expect(await latest(ctx.payload, article.id)).toMatchObject({ reviewStatus: 'draft' })
})

test('GraphQL: contention is a 503 in the error and the response carries Retry-After', async () => {
  const article = await createArticle(ctx.app, editor)
  const { result: res } = await withFailingEventWrite(driverError('55P03', 'lock timeout'), 100, () =>
    request(ctx.app)
      .post('/api/graphql')
      .set(auth(editor))
      .send({ query: `mutation ($id: Int!) { updateArticle(id: $id, data: { reviewStatus: submitted }) { id } }`, variables: { id: article.id } }),
  )
  expect(res.headers['retry-after']).toBe('1')
  expect(res.body.errors[0]).toMatchObject({ message: expect.stringMatching(/busy/), extensions: { statusCode: 503 } })
  expect(await latest(ctx.payload, article.id)).toMatchObject({ reviewStatus: 'draft' })
})

test('200 concurrent workflow writes with the default pool all finish with a 2xx, a 409 or a 503', async () => {
  const articles = await Promise.all(Array.from({ length: 10 }, () => createArticle(ctx.app, editor, { reviewStatus: 'submitted' })))
  const sessions = [editor, admin, reviewer1, reviewer2]
  const writes = Array.from({ length: 200 }, (_, i) => {
    const article = articles[i % articles.length]!
    const session = sessions[i % sessions.length]!
    const kind = Math.floor(i / articles.length) % 4
    if (kind === 0) return transition(ctx.app, session, article.id, { reviewStatus: 'under_review' })
    if (kind === 1) return transition(ctx.app, session, article.id, { plainLanguageAnswer: `write ${i}` })
    if (kind === 2) return transition(ctx.app, session, article.id, { reviewStatus: 'approved' })
    return transition(ctx.app, session, article.id, { bottomLine: lexicalParagraph(`write ${i}`), reviewStatus: 'submitted' })
  })
  const started = Date.now()
  const results = await Promise.all(writes)
  const statuses = results.map((res) => res.status)
  const counts = statuses.reduce<Record<number, number>>((all, status) => ({ ...all, [status]: (all[status] ?? 0) + 1 }), {})
  console.log(`${process.env.TEST_DB ?? 'sqlite'}: 200 concurrent workflow writes in ${Date.now() - started} ms: ${JSON.stringify(counts)}`)
  expect(statuses.filter((status) => status >= 500 && status !== 503)).toEqual([])
  for (const res of results) {
    if (res.status >= 400) expect(typeof res.body.errors?.[0]?.message).toBe('string')
    if (res.status === 503) expect(res.headers['retry-after']).toBeDefined()
  }
  // Every article's trail is one unbroken chain ending in its status.
  for (const article of articles) {
    const events = await eventsOf(ctx.payload, article.id)
    for (let i = 1; i < events.length; i++) expect(events[i]!.from).toBe(events[i - 1]!.to)
    expect((await latest(ctx.payload, article.id)).reviewStatus).toBe(events[events.length - 1]!.to)
  }
  // And the server still answers at once.
  expect((await request(ctx.app).get('/readyz')).status).toBe(200)
})
