/**
 * Issue 10, observation 8: a rich-text value sent as `{ id: <anything>, root: <new text> }` used to
 * compare as its `id` alone, so it passed the content freeze and four-eyes. Content changes are
 * compared by deep equality, whatever keys the request adds, through every path.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import request from 'supertest'

import { createArticle, latest, lexicalParagraph, profileIdOf, publicRead, transition, versionsOf } from '../support/articles'
import { auth, gql, login, type Session } from '../support/http'
import { contentOf, eventIdsOf, textOf } from '../support/invariants'
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/testApp'

process.env.RESPONSE_CACHE = 'off'

let ctx: TestApp
let editor: Session
let reviewer1: Session
let editorReviewer: Session

const ORIGINAL = 'The bottom line the reviewer read'
const DISGUISED = 'A bottom line nobody reviewed'

/** The bottom line as stored when it carries an `id` key of its own. */
const bottomLineWithId = (id: string, text: string) => ({ id, ...lexicalParagraph(text) })

type Via = 'rest' | 'bulk' | 'graphql'

/** Sends `data` to one article as `session`, through REST by id, a bulk PATCH, or GraphQL. */
const write = async (via: Via, session: Session, id: number, data: Record<string, unknown>): Promise<{ status: number; message?: string }> => {
  if (via === 'rest') {
    const res = await transition(ctx.app, session, id, data)
    return { status: res.status, message: res.body?.errors?.[0]?.message }
  }
  if (via === 'bulk') {
    const res = await request(ctx.app).patch(`/api/articles?depth=0&where[id][equals]=${id}`).set(auth(session)).send(data)
    return { status: res.status, message: res.body?.errors?.[0]?.message }
  }
  const res = await gql(ctx.app, `mutation ($id: Int!, $data: mutationArticleUpdateInput!) { updateArticle(id: $id, data: $data) { id reviewStatus } }`, { id, data }, session)
  if (!res.errors?.length) return { status: 200 }
  const statusCode = (res.errors[0] as { extensions?: { statusCode?: number } }).extensions?.statusCode
  return { status: statusCode ?? 400, message: res.errors[0]!.message }
}

/** A bulk update refuses as a whole (400) and names each article's 403 in its message. */
const refusedStatus = (via: Via) => (via === 'bulk' ? 400 : 403)

/** Everything a refused write must leave as it was. */
const stateOf = async (id: number) => {
  const doc = await latest(ctx.payload, id)
  return {
    content: contentOf(doc as unknown as Record<string, unknown>),
    reviewStatus: doc.reviewStatus,
    authors: (doc.authors ?? []).map(String),
    assignedReviewer: doc.assignedReviewer,
    versions: (await versionsOf(ctx.payload, id)).length,
    events: [...(await eventIdsOf(ctx.payload, id))],
  }
}

const underReview = async (bottomLine: Record<string, unknown>, claimant: Session = reviewer1) => {
  const article = await createArticle(ctx.app, editor, { reviewStatus: 'submitted', bottomLine })
  expect((await transition(ctx.app, claimant, article.id, { reviewStatus: 'under_review' })).status).toBe(200)
  return article
}

beforeAll(async () => {
  ctx = await startTestApp()
  editor = await login(ctx.app, 'editor@example.com')
  reviewer1 = await login(ctx.app, 'reviewer1@example.com')
  const email = `editor-reviewer-${Date.now()}@example.com`
  const user = await ctx.payload.create({
    collection: 'users',
    data: { email, password: DEMO_PASSWORD, name: 'Dr. Editor Reviewer', roles: ['editor', 'reviewer'] },
    overrideAccess: true,
  })
  await ctx.payload.create({ collection: 'reviewers', data: { name: 'Dr. Editor Reviewer', credentials: 'MD', user: user.id, active: true }, overrideAccess: true })
  editorReviewer = await login(ctx.app, email)
  await profileIdOf(ctx.payload, editorReviewer)
})
afterAll(async () => {
  await ctx?.close()
})

describe.each<Via>(['rest', 'bulk', 'graphql'])('through %s', (via) => {
  test.each([
    ['an id the value does not have', () => lexicalParagraph(ORIGINAL), () => ({ id: 'anything', ...lexicalParagraph(DISGUISED) })],
    ['the id the stored value carries', () => bottomLineWithId('bottom-line-1', ORIGINAL), () => bottomLineWithId('bottom-line-1', DISGUISED)],
    ['a numeric id', () => bottomLineWithId('7', ORIGINAL), () => ({ id: 7, ...lexicalParagraph(DISGUISED) })],
    ['the id and the old root, plus a new key', () => bottomLineWithId('bottom-line-2', ORIGINAL), () => ({ ...bottomLineWithId('bottom-line-2', ORIGINAL), root: lexicalParagraph(DISGUISED).root, extra: true })],
  ])('an editor rewriting bottomLine under review with %s is refused (403 frozen; bulk: 400 naming it) and nothing changes', async (_name, stored, disguise) => {
    const article = await underReview(stored())
    const before = await stateOf(article.id)
    const res = await write(via, editor, article.id, { bottomLine: disguise() })
    expect(res.status).toBe(refusedStatus(via))
    expect(res.message).toMatch(/frozen/i)
    expect(await stateOf(article.id)).toEqual(before)

    // The reviewer approves what they read, and that is what goes public.
    expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'approved' })).status).toBe(200)
    const publicCopy = await publicRead(ctx.app, article.id)
    expect(publicCopy.status).toBe(200)
    expect(textOf(publicCopy.body.bottomLine)).toBe(ORIGINAL)
  })

  test('a user who is editor and reviewer cannot claim, rewrite bottomLine as { id, root } and approve their own text', async () => {
    const article = await underReview(bottomLineWithId('bottom-line-3', ORIGINAL), editorReviewer)
    const before = await stateOf(article.id)
    const rewrite = await write(via, editorReviewer, article.id, { bottomLine: bottomLineWithId('bottom-line-3', DISGUISED) })
    const after = await stateOf(article.id)
    if (rewrite.status === 200) {
      // Recorded as their change: they are an author of the revision now.
      expect(after.authors).toContain(String(editorReviewer.userId))
      expect(textOf((await latest(ctx.payload, article.id)).bottomLine)).toBe(DISGUISED)
    } else {
      expect(rewrite.status).toBe(refusedStatus(via))
      expect(after).toEqual(before)
    }

    const approve = await write(via, editorReviewer, article.id, { reviewStatus: 'approved' })
    const publicCopy = await publicRead(ctx.app, article.id)
    if (rewrite.status === 200) {
      expect(approve.status).toBe(refusedStatus(via))
      expect(approve.message).toMatch(/four-eyes|changed this revision/i)
      expect(publicCopy.status).toBe(404)
    } else {
      expect(approve.status).toBe(200)
      expect(textOf(publicCopy.body.bottomLine)).toBe(ORIGINAL)
    }
    expect(textOf(publicCopy.body?.bottomLine)).not.toBe(DISGUISED)
  })
})

test('an admin rewriting bottomLine as { id, root } under review is a change: the review restarts and the admin becomes an author', async () => {
  const admin = await login(ctx.app, 'admin@example.com')
  const article = await underReview(bottomLineWithId('bottom-line-4', ORIGINAL))
  const res = await transition(ctx.app, admin, article.id, { bottomLine: bottomLineWithId('bottom-line-4', DISGUISED) })
  expect(res.status).toBe(200)
  const doc = await latest(ctx.payload, article.id)
  expect(doc.reviewStatus).toBe('submitted')
  expect((doc.authors ?? []).map(String)).toContain(String(admin.userId))
  const events = await ctx.payload.find({ collection: 'review-events', where: { article: { equals: article.id } }, sort: '-createdAt', limit: 1, depth: 0, overrideAccess: true })
  expect(events.docs[0]?.action).toBe('restart_review')
})
