import { afterAll, beforeAll, expect, test } from '@jest/globals'
import request from 'supertest'

import { createArticle } from '../support/articles'
import { auth, login, type Session } from '../support/http'
import { startTestApp, type TestApp } from '../support/testApp'

let ctx: TestApp
let editor: Session

beforeAll(async () => {
  ctx = await startTestApp()
  editor = await login(ctx.app, 'editor@example.com')
})
afterAll(async () => {
  await ctx?.close()
})

test('concurrent writes wait for each other instead of failing', async () => {
  const writes = Array.from({ length: 24 }, (_, i) =>
    request(ctx.app).post('/api/references').set(auth(editor)).send({ title: `Concurrent reference ${i}`, type: 'other' }),
  )
  const articles = Array.from({ length: 6 }, () => createArticle(ctx.app, editor, { reviewStatus: 'submitted' }))
  const results = await Promise.all(writes)
  await Promise.all(articles)
  expect(results.map((res) => res.status)).toEqual(results.map(() => 201))
  expect((await ctx.payload.count({ collection: 'references', where: { title: { like: 'Concurrent reference' } } })).totalDocs).toBe(24)
})
