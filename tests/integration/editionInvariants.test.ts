/**
 * The editions' checker (tests/support/editionInvariants.ts), used after every step of the model
 * test and every cycle of the soak and crash test, finds what it is there to find: each kind of
 * damage below is made behind the hooks' back (Payload's database adapter, which runs no hooks) and
 * must be named, while the untouched state passes.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import request from 'supertest'

import { createArticle, lexicalParagraph, transition } from '../support/articles'
import { auth, login, type Session } from '../support/http'
import { checkEditions, EditionLedger } from '../support/invariants'
import { startTestApp, type TestApp } from '../support/testApp'

let ctx: TestApp
let editor: Session
let reviewer: Session
let admin: Session

const approvedArticle = async (label: string): Promise<number> => {
  const article = await createArticle(ctx.app, editor, { question: `Checker article ${label}?`, bottomLine: lexicalParagraph(`Checker answer ${label}`), reviewStatus: 'submitted' })
  for (const reviewStatus of ['under_review', 'approved']) expect((await transition(ctx.app, reviewer, article.id, { reviewStatus })).status).toBe(200)
  return article.id
}

const editionsOf = async (article: number) =>
  (await ctx.payload.find({ collection: 'editions', where: { article: { equals: article } }, sort: 'publishedAt', limit: 0, pagination: false, depth: 0, overrideAccess: true })).docs

beforeAll(async () => {
  ctx = await startTestApp()
  editor = await login(ctx.app, 'editor@example.com')
  reviewer = await login(ctx.app, 'reviewer1@example.com')
  admin = await login(ctx.app, 'admin@example.com')
})
afterAll(async () => {
  await ctx?.close()
})

test('an edition changed or deleted behind the hooks, or a changed withdrawal stamp, is named', async () => {
  const ledger = new EditionLedger()
  const changed = await approvedArticle('changed')
  const withdrawn = await approvedArticle('withdrawn')
  // Re-approved without a text change: its first edition is no longer the public one.
  const reApproved = await approvedArticle('re-approved')
  for (const reviewStatus of ['submitted', 'under_review', 'approved']) {
    const session = reviewStatus === 'submitted' ? editor : reviewer
    expect((await transition(ctx.app, session, reApproved, { reviewStatus })).status).toBe(200)
  }
  expect((await request(ctx.app).patch(`/api/articles/${withdrawn}?depth=0&draft=false`).set(auth(admin)).send({ _status: 'draft' })).status).toBe(200)
  const articles = [changed, withdrawn, reApproved]
  expect(await checkEditions(ctx, ledger, articles)).toEqual([])
  expect(ledger.size).toBe(4)
  expect(ledger.withdrawn).toBe(1)

  const [edition] = await editionsOf(changed)
  await ctx.payload.db.updateOne({ collection: 'editions', id: edition!.id, data: { question: 'Take ten times the dose?' } })
  const [stamped] = await editionsOf(withdrawn)
  await ctx.payload.db.updateOne({ collection: 'editions', id: stamped!.id, data: { withdrawnAt: new Date(Date.now() + 60_000).toISOString() } })
  const [superseded] = await editionsOf(reApproved)
  // Its approval event lets go of it first (SQLite's foreign key would refuse the delete).
  await ctx.payload.db.updateOne({ collection: 'review-events', where: { edition: { equals: superseded!.id } }, data: { edition: null } })
  await ctx.payload.db.deleteOne({ collection: 'editions', where: { id: { equals: superseded!.id } } })

  const found = await checkEditions(ctx, ledger, articles)
  expect(found).toEqual(
    expect.arrayContaining([
      expect.stringMatching(new RegExp(`^article ${changed}: edition modified: edition ${edition!.id} .* changed in .*question`)),
      expect.stringMatching(new RegExp(`^article ${withdrawn}: withdrawal stamp changed: edition ${stamped!.id} `)),
      expect.stringMatching(new RegExp(`^article ${reApproved}: edition disappeared: edition ${superseded!.id} is gone`)),
    ]),
  )
  expect(found).toHaveLength(3)
})

test('a public copy that is not the latest edition, or outlives its withdrawal, is named', async () => {
  const ledger = new EditionLedger()
  const missing = await approvedArticle('missing copy')
  const stale = await approvedArticle('stale copy')
  const articles = [missing, stale]
  expect(await checkEditions(ctx, ledger, articles)).toEqual([])

  // The live row goes without a withdrawal: the latest edition is current but not public.
  await ctx.payload.db.deleteOne({ collection: 'live-editions', where: { article: { equals: missing } } })
  // The latest edition is stamped withdrawn, but the live row stays.
  const [latest] = await editionsOf(stale)
  await ctx.payload.db.updateOne({ collection: 'editions', id: latest!.id, data: { withdrawnAt: new Date().toISOString(), withdrawnReason: 'Checker test' } })

  const found = await checkEditions(ctx, ledger, articles)
  expect(found).toEqual(
    expect.arrayContaining([
      expect.stringMatching(new RegExp(`^article ${missing}: current edition not public: .* there is no live row`)),
      expect.stringMatching(new RegExp(`^article ${stale}: public copy without a current edition: .* is withdrawn`)),
      expect.stringMatching(new RegExp(`^article ${stale}: public read without a current edition: the anonymous read answered 200`)),
    ]),
  )
})
