import { afterAll, beforeAll, expect, test } from '@jest/globals'
import type { Server } from 'node:http'

import { createVettedClient, type VettedClient } from '../../src/client/vettedClient'
import { createArticle } from '../support/articles'
import { login } from '../support/http'
import { startTestApp, type TestApp } from '../support/testApp'

const DEMO_SLUG = 'can-interventional-ablation-be-done-for-liver-metastases-mets-in-a-patient-with-carcinoma-of'

let ctx: TestApp
let server: Server
let client: VettedClient

beforeAll(async () => {
  ctx = await startTestApp()
  server = ctx.app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const address = server.address()
  if (!address || typeof address !== 'object') throw new Error('no address')
  client = createVettedClient(`http://127.0.0.1:${address.port}/api`)
})
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve))
  await ctx?.close()
})

test('the typed client reads a published article by slug with its references, related questions and reviewer', async () => {
  const article = await client.articleBySlug(DEMO_SLUG)
  expect(article).not.toBeNull()
  expect(article!.question).toMatch(/^Can interventional ablation/)
  expect(article!.reviewStatus).toBe('approved')
  expect(article!.references.map((reference) => reference.title)).toContain('Treatment of Hepatic Metastases')
  expect(article!.relatedQuestions.length).toBe(10)
  expect(article!.relatedQuestions[0]!.slug).toMatch(/^[a-z0-9-]+$/)
  expect(article!.reviewedBy).toMatchObject({ name: 'Dr. Rosa Kimura', credentials: 'MD, FACS' })
  expect(await client.articleBySlug('no-such-question')).toBeNull()
})

test('the typed client lists and searches, and never sees an unreviewed article', async () => {
  const editor = await login(ctx.app, 'editor@example.com')
  const draft = await createArticle(ctx.app, editor, { question: 'Does ablation help an unreviewed draft question?' })
  const list = await client.listArticles({ limit: 5 })
  expect(list.totalDocs).toBe(1)
  expect(list.docs[0]!.slug).toBe(DEMO_SLUG)
  expect(Object.keys(list.docs[0]!).sort()).toEqual(['id', 'lastUpdated', 'question', 'reviewStatus', 'slug', 'specialties'])
  expect((await client.listArticles({ search: 'gallbladder' })).totalDocs).toBe(1)
  expect((await client.listArticles({ search: 'unreviewed draft' })).totalDocs).toBe(0)
  expect(await client.sdk.find({ collection: 'articles', where: { id: { equals: draft.id } }, draft: true }).then((r) => r.totalDocs)).toBe(0)
})

test('the typed client reads the advisory board and the policy', async () => {
  const board = await client.advisoryBoard()
  expect(board.map((member) => member.name)).toEqual(expect.arrayContaining(['Dr. Rosa Kimura']))
  for (const member of board) expect(member).not.toHaveProperty('user')
  const policy = await client.policy()
  expect(policy.publicVisibility).toBe('approved_only')
  expect(policy.disclaimer).toMatch(/\w/)
})
