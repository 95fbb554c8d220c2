/**
 * One request, several articles or several operations: Payload runs a bulk update's articles in
 * parallel on one shared request and a GraphQL document's mutations on one request, so nothing the
 * workflow notes for one article may leak into another, and a version restore's request-wide
 * mark must not let a later write drop content unseen. Regressions found by an outside attack.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import type { Payload } from 'payload'
import request from 'supertest'

import { createArticle, eventsOf, latest, latestVersionId, lexicalParagraph, publicRead, transition } from '../support/articles'
import { auth, gql, login, type Session } from '../support/http'
import { startTestApp, type TestApp } from '../support/testApp'

let ctx: TestApp
let editor: Session
let admin: Session
let reviewer1: Session
let reviewer2: Session

beforeAll(async () => {
  ctx = await startTestApp()
  editor = await login(ctx.app, 'editor@example.com')
  admin = await login(ctx.app, 'admin@example.com')
  reviewer1 = await login(ctx.app, 'reviewer1@example.com')
  reviewer2 = await login(ctx.app, 'reviewer2@example.com')
})
afterAll(async () => {
  await ctx?.close()
})

const claimed = async (session: Session, extra: Record<string, unknown> = {}) => {
  const article = await createArticle(ctx.app, editor, { reviewStatus: 'submitted', ...extra })
  expect((await transition(ctx.app, session, article.id, { reviewStatus: 'under_review' })).status).toBe(200)
  return article
}

const bulk = (session: Session, ids: number[], data: Record<string, unknown>) => {
  const query = ids.map((id, i) => `where[id][in][${i}]=${id}`).join('&')
  return request(ctx.app).patch(`/api/articles?${query}&depth=0`).set(auth(session)).send(data)
}

test('a bulk approval approves, publishes and records each article, or none', async () => {
  const articles = await Promise.all(Array.from({ length: 6 }, () => claimed(reviewer1)))
  const res = await bulk(reviewer1, articles.map((article) => article.id), { reviewStatus: 'approved' })
  expect(res.status).toBe(200)
  for (const article of articles) {
    const events = await eventsOf(ctx.payload, article.id)
    expect(events.map((event) => event.action)).toEqual(['submit', 'claim', 'approve'])
    const publicCopy = await publicRead(ctx.app, article.id)
    expect(publicCopy.status).toBe(200)
    expect(publicCopy.body.reviewStatus).toBe('approved')
    const approvedVersion = await ctx.payload.findVersionByID({ collection: 'articles', id: String(events[2]!.version), depth: 0, overrideAccess: true })
    expect(approvedVersion.version).toMatchObject({ _status: 'published', reviewStatus: 'approved', question: article.question })
  }
})

test('a restore and an update in one GraphQL document cannot drop content unseen, and the reviewer stays out of the approval', async () => {
  const article = await claimed(reviewer1, { plainLanguageAnswer: 'Keep this sentence.', specialties: ['Oncology'], body: lexicalParagraph('The body.') })
  const before = await latest(ctx.payload, article.id)
  const versionId = await latestVersionId(ctx.payload, article.id)
  const res = await gql(
    ctx.app,
    `mutation ($id: Int!, $version: String!, $bottomLine: JSON, $createdAt: String) {
      r: restoreVersionArticle(id: $version, draft: true) { id }
      b: updateArticle(id: $id, data: { question: ${JSON.stringify(before.question)}, bottomLine: $bottomLine, createdAt: $createdAt }) { id }
    }`,
    { id: article.id, version: versionId, bottomLine: before.bottomLine, createdAt: before.createdAt },
    reviewer1,
  )
  const after = await latest(ctx.payload, article.id)
  expect(res.errors?.length ?? 0).toBeGreaterThan(0)
  expect(after).toMatchObject({ plainLanguageAnswer: 'Keep this sentence.', specialties: ['Oncology'], reviewStatus: 'under_review' })
  expect(JSON.stringify(after.body)).toBe(JSON.stringify(before.body))
  // Whatever happened, the reviewer did not change content that they could then approve as unchanged.
  const approval = await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'approved' })
  if (approval.status === 200) {
    const published = await ctx.payload.findByID({ collection: 'articles', id: article.id, depth: 0, overrideAccess: true })
    expect(published.plainLanguageAnswer).toBe('Keep this sentence.')
    expect(JSON.stringify(published.body)).toBe(JSON.stringify(before.body))
  }
  expect(approval.status).toBeLessThan(500)
})

test('a restore by an admin is a content change like any other: the review restarts with its event', async () => {
  const article = await claimed(reviewer2, { plainLanguageAnswer: 'First wording.' })
  const first = await latestVersionId(ctx.payload, article.id)
  expect((await transition(ctx.app, admin, article.id, { plainLanguageAnswer: 'Second wording.' })).status).toBe(200)
  expect((await transition(ctx.app, reviewer2, article.id, { reviewStatus: 'under_review' })).status).toBe(200)
  const restored = await request(ctx.app).post(`/api/articles/versions/${first}?draft=true&depth=0`).set(auth(admin))
  expect(restored.status).toBe(200)
  expect(await latest(ctx.payload, article.id)).toMatchObject({ plainLanguageAnswer: 'First wording.', reviewStatus: 'submitted' })
  expect((await eventsOf(ctx.payload, article.id)).map((event) => event.action).slice(-1)).toEqual(['restart_review'])
})

test('a bulk claim touches only the articles it locked, even if another starts matching while it waits', async () => {
  const tag = `Race ${Date.now()}`
  const matching = await createArticle(ctx.app, editor, { reviewStatus: 'submitted', specialties: [tag] })
  const latecomer = await createArticle(ctx.app, editor, { reviewStatus: 'submitted' })
  const hooks = ctx.payload.collections.articles.config.hooks
  let changedLatecomer = false
  // Runs after the bulk update has taken its locks and before Payload matches `where` again.
  const makeLatecomerMatch = async ({ args, operation, req }: { args: Record<string, unknown>; operation: string; req: Parameters<Payload['update']>[0]['req'] }) => {
    if (operation === 'update' && !args.id && !changedLatecomer) {
      changedLatecomer = true
      const editorUser = await ctx.payload.findByID({ collection: 'users', id: editor.userId, depth: 0, overrideAccess: true })
      const change = { collection: 'articles' as const, id: latecomer.id, data: { specialties: [tag] }, draft: true, overrideAccess: true }
      if (ctx.database.kind === 'postgres') {
        // Another request, committed while the bulk update holds its locks.
        await ctx.payload.update({ ...change, user: { ...editorUser, collection: 'users' } })
      } else {
        // SQLite has one writer: the only way in is the bulk update's own transaction.
        const reviewer = req!.user
        req!.user = { ...editorUser, collection: 'users' } as typeof reviewer
        try {
          await ctx.payload.update({ ...change, req })
        } finally {
          req!.user = reviewer
        }
      }
    }
    return args
  }
  hooks.beforeOperation.push(makeLatecomerMatch as never)
  try {
    const where = `where[and][0][specialties][equals]=${encodeURIComponent(tag)}&where[and][1][reviewStatus][equals]=submitted`
    const res = await request(ctx.app).patch(`/api/articles?${where}&depth=0`).set(auth(reviewer1)).send({ reviewStatus: 'under_review' })
    expect(res.body.errors ?? []).toEqual([])
    expect(res.status).toBe(200)
  } finally {
    hooks.beforeOperation.splice(hooks.beforeOperation.indexOf(makeLatecomerMatch as never), 1)
  }
  expect(changedLatecomer).toBe(true)
  expect((await latest(ctx.payload, matching.id)).reviewStatus).toBe('under_review')
  expect((await latest(ctx.payload, latecomer.id)).reviewStatus).toBe('submitted')
  // The latecomer is still free to be claimed, once.
  expect((await transition(ctx.app, reviewer2, latecomer.id, { reviewStatus: 'under_review' })).status).toBe(200)
  expect((await eventsOf(ctx.payload, latecomer.id)).filter((event) => event.action === 'claim')).toHaveLength(1)
})

test('an article with a review trail cannot be deleted: 409 with the reason, nothing removed', async () => {
  const article = await createArticle(ctx.app, editor)
  const res = await request(ctx.app).delete(`/api/articles/${article.id}`).set(auth(admin))
  expect(res.status).toBe(409)
  expect(res.body.errors[0].message).toMatch(/review event.*Unpublish/)
  const bulkDelete = await request(ctx.app).delete(`/api/articles?where[id][equals]=${article.id}`).set(auth(admin))
  expect(bulkDelete.status).toBeGreaterThanOrEqual(400)
  expect(bulkDelete.status).toBeLessThan(500)
  expect((await latest(ctx.payload, article.id)).id).toBe(article.id)
  expect(await eventsOf(ctx.payload, article.id)).toHaveLength(1)
})
