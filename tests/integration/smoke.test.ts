import { afterAll, beforeAll, expect, test } from '@jest/globals'
import request from 'supertest'

import { startTestApp, type TestApp } from '../support/testApp'

let ctx: TestApp

beforeAll(async () => {
  ctx = await startTestApp()
})
afterAll(async () => {
  await ctx?.close()
})

test('readyz', async () => {
  const res = await request(ctx.app).get('/readyz')
  expect(res.status).toBe(200)
  const list = await request(ctx.app).get('/api/articles')
  expect(list.status).toBe(200)
  expect(list.body.docs).toEqual([])
})
