import { afterAll, beforeAll, expect, test } from '@jest/globals'
import request from 'supertest'

import { seed } from '../../seeds/seed'
import { login } from '../support/http'
import { startTestApp, type TestApp } from '../support/testApp'

let ctx: TestApp

beforeAll(async () => {
  ctx = await startTestApp({ seedDemo: false })
})
afterAll(async () => {
  await ctx?.close()
})

const COLLECTIONS = ['users', 'reviewers', 'references', 'related-questions', 'articles'] as const

const snapshot = async () => {
  const state: Record<string, unknown> = {}
  for (const collection of COLLECTIONS) {
    const { docs } = await ctx.payload.find({ collection, limit: 0, pagination: false, depth: 0, sort: 'id' })
    state[collection] = docs.map((doc) => ({ id: doc.id, updatedAt: doc.updatedAt }))
  }
  state.versions = (await ctx.payload.countVersions({ collection: 'articles' })).totalDocs
  return state
}

test('SEED_DEMO=false creates nothing', async () => {
  const report = await seed(ctx.payload, { demo: false })
  expect(Object.values(report.created).every((n) => n === 0)).toBe(true)
  for (const collection of COLLECTIONS) expect((await ctx.payload.count({ collection })).totalDocs).toBe(0)
})

test('a clean database seeds, with a generated password shown once', async () => {
  const report = await seed(ctx.payload, { demo: true })
  expect(report.created).toEqual({ users: 4, reviewers: 2, references: 3, relatedQuestions: 10, articles: 1 })
  expect(report.generatedPassword).toMatch(/^[\w-]{16}$/)
  await login(ctx.app, 'reviewer2@example.com', report.generatedPassword)
  const reviewers = await ctx.payload.find({ collection: 'reviewers', depth: 1 })
  expect(reviewers.docs.map((reviewer) => [reviewer.name, reviewer.credentials, (reviewer.user as { email: string }).email]).sort()).toEqual([
    ['Dr. Rosa Kimura', 'MD, FACS', 'reviewer1@example.com'],
    ['Dr. Samuel Okafor', 'MD, PhD', 'reviewer2@example.com'],
  ])
})

test('the demo article carries the page: citations as nodes pointing at its references', async () => {
  const [article] = (await ctx.payload.find({ collection: 'articles', depth: 0 })).docs
  expect(article).toMatchObject({ reviewStatus: 'approved', _status: 'published' })
  const citations: unknown[] = []
  const walk = (node: { type?: string; fields?: { blockType?: string; reference?: unknown }; children?: unknown[] }) => {
    if (node.type === 'inlineBlock' && node.fields?.blockType === 'citation') citations.push(node.fields.reference)
    for (const child of node.children ?? []) walk(child as never)
  }
  walk(article!.body!.root as never)
  walk(article!.bottomLine.root as never)
  const references = article!.references as number[]
  expect(citations.length).toBe(20)
  expect(new Set(citations)).toEqual(new Set(references))
  const headings = (article!.body!.root.children as { type: string }[]).filter((node) => node.type === 'heading')
  expect(headings).toHaveLength(7)
  expect((article!.relatedQuestions as number[]).length).toBe(10)
  expect(article!.plainLanguageAnswer).toMatch(/Ablation destroys small tumours/)
})

test('an already-seeded database is left unchanged', async () => {
  const before = await snapshot()
  const report = await seed(ctx.payload, { demo: true })
  expect(report.created).toEqual({ users: 0, reviewers: 0, references: 0, relatedQuestions: 0, articles: 0 })
  expect(report.generatedPassword).toBeUndefined()
  expect(await snapshot()).toEqual(before)
})

test('readiness fails with 503 once the database is gone', async () => {
  expect((await request(ctx.app).get('/readyz')).status).toBe(200)
  await ctx.payload.db.destroy?.()
  const res = await request(ctx.app).get('/readyz')
  expect(res.status).toBe(503)
  expect(res.headers['content-type']).toMatch(/^application\/health\+json/)
  expect(res.body.status).toBe('fail')
  expect(res.body.output).toMatch(/database unreachable/)
  expect((await request(ctx.app).get('/healthz')).status).toBe(200)
})
