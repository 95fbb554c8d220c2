import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import request from 'supertest'

import { createArticle, eventsOf, latest, lexicalParagraph, publicRead, transition } from '../support/articles'
import { auth, gql, login, type Session } from '../support/http'
import { startTestApp, type TestApp } from '../support/testApp'

let ctx: TestApp
let editor: Session
let reviewer1: Session
let reviewer2: Session
let admin: Session
let reviewer1Profile: number

const setPolicy = async (data: Record<string, unknown>) => {
  const res = await request(ctx.app).post('/api/globals/editorial-policy').set(auth(admin)).send(data)
  expect(res.status).toBe(200)
}

/** Draft → submitted → under review (reviewer1) → approved, through REST. */
const approvedArticle = async () => {
  const article = await createArticle(ctx.app, editor, { reviewStatus: 'submitted' })
  expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'under_review' })).status).toBe(200)
  expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'approved' })).status).toBe(200)
  return article
}

beforeAll(async () => {
  ctx = await startTestApp()
  editor = await login(ctx.app, 'editor@example.com')
  reviewer1 = await login(ctx.app, 'reviewer1@example.com')
  reviewer2 = await login(ctx.app, 'reviewer2@example.com')
  admin = await login(ctx.app, 'admin@example.com')
  const profiles = await ctx.payload.find({ collection: 'reviewers', where: { user: { equals: reviewer1.userId } }, depth: 0 })
  reviewer1Profile = profiles.docs[0]!.id
})
afterAll(async () => {
  await ctx?.close()
})

describe('the review path through REST', () => {
  test('create, submit, claim, request changes, resubmit, approve: each step one event, approval stamps and publishes', async () => {
    const article = await createArticle(ctx.app, editor)
    expect(article.reviewStatus).toBe('draft')
    expect((await publicRead(ctx.app, article.id)).status).toBe(404)

    expect((await transition(ctx.app, editor, article.id, { reviewStatus: 'submitted' })).status).toBe(200)
    const claimed = await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'under_review' })
    expect(claimed.status).toBe(200)
    expect(claimed.body.doc.assignedReviewer).toBe(reviewer1Profile)

    const noComment = await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'changes_requested' })
    expect(noComment.status).toBe(400)
    expect(noComment.body.errors[0].message).toMatch(/needs a comment/)
    const changes = await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'changes_requested', reviewComment: 'Cite the ABC-02 trial.' })
    expect(changes.status).toBe(200)
    expect(changes.body.doc).not.toHaveProperty('reviewComment')

    const fixed = await transition(ctx.app, editor, article.id, { bottomLine: lexicalParagraph('Answer with ABC-02'), reviewStatus: 'submitted' })
    expect(fixed.status).toBe(200)
    expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'under_review' })).status).toBe(200)
    const before = Date.now()
    const approved = await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'approved' })
    expect(approved.status).toBe(200)

    const stored = await latest(ctx.payload, article.id)
    expect(stored).toMatchObject({ reviewStatus: 'approved', _status: 'published', reviewedBy: reviewer1Profile })
    const reviewedAt = new Date(stored.reviewedAt!).getTime()
    expect(reviewedAt).toBeGreaterThanOrEqual(before - 1000)
    expect(new Date(stored.nextReviewDue!).getTime() - reviewedAt).toBe(365 * 86_400_000)

    const events = await eventsOf(ctx.payload, article.id)
    expect(events.map((event) => [event.action, event.from ?? null, event.to])).toEqual([
      ['create', null, 'draft'],
      ['submit', 'draft', 'submitted'],
      ['claim', 'submitted', 'under_review'],
      ['request_changes', 'under_review', 'changes_requested'],
      ['submit', 'changes_requested', 'submitted'],
      ['claim', 'submitted', 'under_review'],
      ['approve', 'under_review', 'approved'],
    ])
    expect(events[3]!.comment).toBe('Cite the ABC-02 trial.')
    expect(events.map((event) => (event.actor as number))).toEqual([editor.userId, editor.userId, reviewer1.userId, reviewer1.userId, editor.userId, reviewer1.userId, reviewer1.userId])
    const versions = await ctx.payload.findVersions({ collection: 'articles', where: { parent: { equals: article.id } }, limit: 0, pagination: false, depth: 0 })
    const versionIds = new Set(versions.docs.map((version) => String(version.id)))
    for (const event of events) expect(versionIds.has(String(event.version))).toBe(true)
    const publishedVersion = versions.docs.find((version) => String(version.id) === String(events[6]!.version))
    expect(publishedVersion?.version._status).toBe('published')

    const publicCopy = await publicRead(ctx.app, article.id)
    expect(publicCopy.status).toBe(200)
    expect(publicCopy.body).toMatchObject({ reviewStatus: 'approved', reviewedBy: reviewer1Profile })
    expect(publicCopy.body).not.toHaveProperty('authors')
  })

  test('an illegal transition is a 400 naming from and to, and changes nothing', async () => {
    const article = await createArticle(ctx.app, editor)
    const eventsBefore = (await eventsOf(ctx.payload, article.id)).length
    const versionsBefore = (await ctx.payload.countVersions({ collection: 'articles', where: { parent: { equals: article.id } } })).totalDocs
    const res = await transition(ctx.app, admin, article.id, { reviewStatus: 'approved', question: 'Renamed while cheating?' })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].message).toMatch(/"draft" cannot move to "approved"/)
    expect(await latest(ctx.payload, article.id)).toMatchObject({ reviewStatus: 'draft', question: article.question })
    expect((await eventsOf(ctx.payload, article.id)).length).toBe(eventsBefore)
    expect((await ctx.payload.countVersions({ collection: 'articles', where: { parent: { equals: article.id } } })).totalDocs).toBe(versionsBefore)
  })

  test('a forbidden transition is a 403 naming the missing right', async () => {
    const article = await createArticle(ctx.app, editor, { reviewStatus: 'submitted' })
    const editorClaims = await transition(ctx.app, editor, article.id, { reviewStatus: 'under_review' })
    expect(editorClaims.status).toBe(403)
    expect(editorClaims.body.errors[0].message).toMatch(/^Claiming a review needs the reviewer role/)
    expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'under_review' })).status).toBe(200)
    const editorApproves = await transition(ctx.app, editor, article.id, { reviewStatus: 'approved' })
    expect(editorApproves.status).toBe(403)
    expect(editorApproves.body.errors[0].message).toMatch(/^Approving needs the reviewer role/)
    const otherApproves = await transition(ctx.app, reviewer2, article.id, { reviewStatus: 'approved' })
    expect(otherApproves.status).toBe(403)
    expect(otherApproves.body.errors[0].message).toMatch(/assigned reviewer/)
    expect((await latest(ctx.payload, article.id)).reviewStatus).toBe('under_review')
  })

  test('unknown status values are a 400', async () => {
    const article = await createArticle(ctx.app, editor)
    const res = await transition(ctx.app, editor, article.id, { reviewStatus: 'published' })
    expect(res.status).toBe(400)
  })
})

describe('authors and four-eyes', () => {
  test('a reviewer who also edited the revision cannot claim or approve it; nor can an admin author', async () => {
    await ctx.payload.update({ collection: 'users', id: reviewer2.userId, data: { roles: ['reviewer', 'editor'] } })
    await ctx.payload.update({ collection: 'users', id: admin.userId, data: { roles: ['admin', 'reviewer'] } })
    await ctx.payload.create({ collection: 'reviewers', data: { name: 'Dr. Admin', credentials: 'MD', user: Number(admin.userId), active: true } })
    const [r2, adm] = await Promise.all([login(ctx.app, 'reviewer2@example.com'), login(ctx.app, 'admin@example.com')])
    try {
      const article = await createArticle(ctx.app, editor)
      expect((await transition(ctx.app, r2, article.id, { plainLanguageAnswer: 'Edited by reviewer two' })).status).toBe(200)
      expect((await latest(ctx.payload, article.id)).authors).toEqual([editor.userId, r2.userId])
      expect((await transition(ctx.app, editor, article.id, { reviewStatus: 'submitted' })).status).toBe(200)
      const claim = await transition(ctx.app, r2, article.id, { reviewStatus: 'under_review' })
      expect(claim.status).toBe(403)
      expect(claim.body.errors[0].message).toMatch(/four-eyes/)

      const adminWrote = await createArticle(ctx.app, adm, { reviewStatus: 'submitted' })
      const adminR2 = (await ctx.payload.find({ collection: 'reviewers', where: { user: { equals: reviewer1.userId } } })).docs[0]!
      expect((await transition(ctx.app, adm, adminWrote.id, { reviewStatus: 'under_review', assignedReviewer: adminR2.id })).status).toBe(200)
      const adminApproves = await transition(ctx.app, adm, adminWrote.id, { reviewStatus: 'approved' })
      expect(adminApproves.status).toBe(403)
      expect(adminApproves.body.errors[0].message).toMatch(/four-eyes/)
      expect((await transition(ctx.app, reviewer1, adminWrote.id, { reviewStatus: 'approved' })).status).toBe(200)
    } finally {
      await ctx.payload.update({ collection: 'users', id: reviewer2.userId, data: { roles: ['reviewer'] } })
      await ctx.payload.update({ collection: 'users', id: admin.userId, data: { roles: ['admin'] } })
      await ctx.payload.delete({ collection: 'reviewers', where: { user: { equals: admin.userId } } })
    }
  })
})

describe('revision binding', () => {
  test('under review, editors cannot change content; an admin change restarts the review with an event', async () => {
    const article = await createArticle(ctx.app, editor, { reviewStatus: 'submitted' })
    expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'under_review' })).status).toBe(200)
    const frozen = await transition(ctx.app, editor, article.id, { question: 'Changed under review?' })
    expect(frozen.status).toBe(403)
    expect(frozen.body.errors[0].message).toMatch(/frozen/)
    const adminEdit = await transition(ctx.app, admin, article.id, { question: `${article.question} (clarified)` })
    expect(adminEdit.status).toBe(200)
    expect((await latest(ctx.payload, article.id)).reviewStatus).toBe('submitted')
    const last = (await eventsOf(ctx.payload, article.id)).at(-1)!
    expect(last).toMatchObject({ action: 'restart_review', from: 'under_review', to: 'submitted', comment: expect.stringMatching(/Content changed during review/) })
  })

  test('editing an approved article makes a draft revision; the approved one stays live until the new one is approved', async () => {
    const article = await approvedArticle()
    const edited = await transition(ctx.app, editor, article.id, { question: `${article.question} Revised?` })
    expect(edited.status).toBe(200)
    expect((await latest(ctx.payload, article.id)).reviewStatus).toBe('draft')
    const live = await publicRead(ctx.app, article.id)
    expect(live.body).toMatchObject({ question: article.question, reviewStatus: 'approved' })
    const liveDraft = await request(ctx.app).get(`/api/articles/${article.id}?draft=true`)
    expect(liveDraft.body.question).toBe(article.question)
    expect((await eventsOf(ctx.payload, article.id)).at(-1)).toMatchObject({ action: 'revise', from: 'approved', to: 'draft' })

    expect((await transition(ctx.app, editor, article.id, { reviewStatus: 'submitted' })).status).toBe(200)
    expect((await publicRead(ctx.app, article.id)).body.question).toBe(article.question)
    expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'under_review' })).status).toBe(200)
    expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'approved' })).status).toBe(200)
    expect((await publicRead(ctx.app, article.id)).body.question).toBe(`${article.question} Revised?`)
  })
})

describe('no path around the guard', () => {
  test('publish controls and _status never publish unapproved content', async () => {
    const created = await request(ctx.app).post('/api/articles?draft=false').set(auth(editor)).send({ question: 'Published on create?', bottomLine: lexicalParagraph('x'), _status: 'published' })
    expect(created.status).toBe(201)
    const article = created.body.doc
    const published = await request(ctx.app).patch(`/api/articles/${article.id}?draft=false`).set(auth(editor)).send({ _status: 'published' })
    expect(published.status).toBe(200)
    expect((await publicRead(ctx.app, article.id)).status).toBe(404)
    expect((await latest(ctx.payload, article.id))._status).toBe('draft')

    const approved = await approvedArticle()
    const unpublish = await request(ctx.app).patch(`/api/articles/${approved.id}`).set(auth(editor)).send({ _status: 'draft' })
    expect(unpublish.status).toBe(200)
    expect((await publicRead(ctx.app, approved.id)).status).toBe(200)
  })

  test('bulk update goes through the guard per article', async () => {
    const a = await createArticle(ctx.app, editor, { specialties: ['bulk-test'] })
    const b = await createArticle(ctx.app, editor, { specialties: ['bulk-test'] })
    const illegal = await request(ctx.app).patch('/api/articles?where[specialties][contains]=bulk-test').set(auth(editor)).send({ reviewStatus: 'approved' })
    expect(illegal.status).toBe(400)
    expect(JSON.stringify(illegal.body.errors)).toMatch(/cannot move to \\"approved\\"/)
    for (const id of [a.id, b.id]) expect((await latest(ctx.payload, id)).reviewStatus).toBe('draft')

    const submitted = await request(ctx.app).patch('/api/articles?where[specialties][contains]=bulk-test').set(auth(editor)).send({ reviewStatus: 'submitted' })
    expect(submitted.status).toBe(200)
    for (const id of [a.id, b.id]) {
      expect((await latest(ctx.payload, id)).reviewStatus).toBe('submitted')
      expect((await eventsOf(ctx.payload, id)).map((event) => event.action)).toEqual(['create', 'submit'])
    }
  })

  test('GraphQL mutations meet the same guard', async () => {
    const article = await createArticle(ctx.app, editor, { reviewStatus: 'submitted' })
    const mutation = `mutation ($id: Int!, $status: ArticleUpdate_reviewStatus_MutationInput) { updateArticle(id: $id, data: { reviewStatus: $status }) { reviewStatus } }`
    const denied = await gql(ctx.app, mutation, { id: article.id, status: 'under_review' }, editor)
    expect(denied.errors?.[0]?.message).toMatch(/^Claiming a review needs/)
    const claimed = await gql(ctx.app, mutation, { id: article.id, status: 'under_review' }, reviewer1)
    expect(claimed.errors).toBeUndefined()
    const approved = await gql(ctx.app, mutation, { id: article.id, status: 'approved' }, reviewer1)
    expect(approved.data?.updateArticle).toEqual({ reviewStatus: 'approved' })
    expect((await publicRead(ctx.app, article.id)).status).toBe(200)
  })

  test('the Local API with overrideAccess: false meets the same guard', async () => {
    const article = await createArticle(ctx.app, editor, { reviewStatus: 'submitted' })
    const editorUser = await ctx.payload.findByID({ collection: 'users', id: editor.userId })
    await expect(
      ctx.payload.update({ collection: 'articles', id: article.id, data: { reviewStatus: 'under_review' }, overrideAccess: false, user: { ...editorUser, collection: 'users' } }),
    ).rejects.toMatchObject({ status: 403 })
    expect((await latest(ctx.payload, article.id)).reviewStatus).toBe('submitted')
  })

  test('restoring a version makes a draft revision, never a published one', async () => {
    const article = await approvedArticle()
    expect((await transition(ctx.app, editor, article.id, { question: `${article.question} v2?` })).status).toBe(200)
    const versions = await ctx.payload.findVersions({ collection: 'articles', where: { parent: { equals: article.id } }, sort: 'createdAt', depth: 0 })
    const firstDraft = versions.docs[0]!
    const published = await request(ctx.app).post(`/api/articles/versions/${firstDraft.id}`).set(auth(editor))
    expect(published.status).toBe(400)
    expect(published.body.errors[0].message).toMatch(/^Restore as a draft/)
    expect((await publicRead(ctx.app, article.id)).body.question).toBe(article.question)
    const restored = await request(ctx.app).post(`/api/articles/versions/${firstDraft.id}?draft=true`).set(auth(editor))
    expect(restored.status).toBe(200)
    const live = await publicRead(ctx.app, article.id)
    expect(live.body).toMatchObject({ question: article.question, reviewStatus: 'approved' })
    const newest = await latest(ctx.payload, article.id)
    expect(newest.reviewStatus).toBe('draft')
    expect(newest.reviewedBy).toBe(reviewer1Profile)
  })

  test('a duplicate starts as a fresh draft with no review history and is not public', async () => {
    const article = await approvedArticle()
    const duplicated = await request(ctx.app).post(`/api/articles/${article.id}/duplicate?depth=0`).set(auth(editor)).send({})
    expect(duplicated.status).toBe(200)
    const copy = duplicated.body.doc
    expect(copy).toMatchObject({ reviewStatus: 'draft', reviewedBy: null, reviewedAt: null, assignedReviewer: null, _status: 'draft' })
    expect(copy.authors).toEqual([editor.userId])
    expect((await publicRead(ctx.app, copy.id)).status).toBe(404)
  })
})

describe('the audit trail', () => {
  test('if writing the event fails, the transition is rolled back', async () => {
    const article = await createArticle(ctx.app, editor)
    const hooks = ctx.payload.collections['review-events'].config.hooks
    const failing = () => {
      throw new Error('simulated storage failure')
    }
    hooks.beforeChange.push(failing)
    try {
      const res = await transition(ctx.app, editor, article.id, { reviewStatus: 'submitted', question: `${article.question} (edited)` })
      expect(res.status).toBe(500)
    } finally {
      hooks.beforeChange.splice(hooks.beforeChange.indexOf(failing), 1)
    }
    expect(await latest(ctx.payload, article.id)).toMatchObject({ reviewStatus: 'draft', question: article.question })
    expect((await eventsOf(ctx.payload, article.id)).map((event) => event.action)).toEqual(['create'])
  })

  test('events cannot be changed or deleted through any API; staff list them, the public cannot', async () => {
    const article = await createArticle(ctx.app, editor)
    const [event] = await eventsOf(ctx.payload, article.id)
    for (const session of [admin, editor, reviewer1]) {
      expect((await request(ctx.app).patch(`/api/review-events/${event!.id}`).set(auth(session)).send({ comment: 'rewritten' })).status).toBe(403)
      expect((await request(ctx.app).delete(`/api/review-events/${event!.id}`).set(auth(session))).status).toBe(403)
    }
    const gqlDelete = await gql(ctx.app, `mutation ($id: Int!) { deleteReviewEvent(id: $id) { id } }`, { id: event!.id }, admin)
    expect(gqlDelete.errors?.[0]?.message).toMatch(/not allowed/i)
    const listed = await request(ctx.app).get(`/api/review-events?where[article][equals]=${article.id}`).set(auth(reviewer1))
    expect(listed.body.totalDocs).toBe(1)
    expect((await request(ctx.app).get(`/api/review-events?where[article][equals]=${article.id}`)).status).toBe(403)
    const anonGql = await gql(ctx.app, `{ ReviewEvents { docs { comment } } }`)
    expect(anonGql.errors?.[0]?.message).toMatch(/not allowed/i)
  })
})

describe('editorial policy', () => {
  test('approvalsRequired = 2: two distinct eligible reviewers approve the same revision', async () => {
    await setPolicy({ approvalsRequired: 2 })
    try {
      const article = await createArticle(ctx.app, editor, { reviewStatus: 'submitted' })
      expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'under_review' })).status).toBe(200)
      expect((await transition(ctx.app, reviewer2, article.id, { reviewStatus: 'approved' })).status).toBe(200)
      expect(await latest(ctx.payload, article.id)).toMatchObject({ reviewStatus: 'under_review', _status: 'draft' })
      expect((await publicRead(ctx.app, article.id)).status).toBe(404)
      const twice = await transition(ctx.app, reviewer2, article.id, { reviewStatus: 'approved' })
      expect(twice.status).toBe(400)
      expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'approved' })).status).toBe(200)
      expect(await latest(ctx.payload, article.id)).toMatchObject({ reviewStatus: 'approved', _status: 'published' })
      expect((await eventsOf(ctx.payload, article.id)).slice(-2).map((event) => [event.action, event.to])).toEqual([
        ['record_approval', 'under_review'],
        ['approve', 'approved'],
      ])
    } finally {
      await setPolicy({ approvalsRequired: 1 })
    }
  })

  test('with a quorum in pending mode, the public never learns who has approved so far', async () => {
    await setPolicy({ approvalsRequired: 2, publicVisibility: 'pending_with_caution' })
    try {
      const article = await createArticle(ctx.app, editor, { reviewStatus: 'submitted' })
      await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'under_review' })
      expect((await transition(ctx.app, reviewer2, article.id, { reviewStatus: 'approved' })).status).toBe(200)
      const staffView = await ctx.payload.findByID({ collection: 'articles', id: article.id, draft: true, depth: 0 })
      expect(staffView.approvals).toHaveLength(1)
      const rest = await publicRead(ctx.app, article.id)
      expect(rest.status).toBe(200)
      expect(rest.body.reviewStatus).toBe('under_review')
      expect(rest.body).not.toHaveProperty('approvals')
      const graphql = await gql(ctx.app, `{ Article(id: ${article.id}) { reviewStatus approvals { reviewer { name } } } }`)
      expect((graphql.data?.Article as { reviewStatus: string; approvals: unknown } | null)?.reviewStatus).toBe('under_review')
      expect((graphql.data?.Article as { approvals: unknown } | null)?.approvals ?? null).toBeNull()
    } finally {
      await setPolicy({ approvalsRequired: 1, publicVisibility: 'approved_only' })
    }
  })

  test('pending_with_caution: submitted and in-review revisions are public with their status; drafts and changes requested never', async () => {
    await setPolicy({ publicVisibility: 'pending_with_caution' })
    try {
      const draft = await createArticle(ctx.app, editor)
      expect((await publicRead(ctx.app, draft.id)).status).toBe(404)
      const article = await createArticle(ctx.app, editor, { reviewStatus: 'submitted' })
      const submitted = await publicRead(ctx.app, article.id)
      expect(submitted.status).toBe(200)
      expect(submitted.body.reviewStatus).toBe('submitted')
      expect(submitted.body).not.toHaveProperty('authors')
      expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'under_review' })).status).toBe(200)
      expect((await publicRead(ctx.app, article.id)).body.reviewStatus).toBe('under_review')
      expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'changes_requested', reviewComment: 'No.' })).status).toBe(200)
      expect((await publicRead(ctx.app, article.id)).status).toBe(404)
      const list = await request(ctx.app).get('/api/articles?limit=100&draft=true')
      for (const doc of list.body.docs) expect(['submitted', 'under_review', 'approved']).toContain(doc.reviewStatus)
      expect((await request(ctx.app).get('/api/articles/versions')).status).toBe(403)

      expect((await transition(ctx.app, editor, article.id, { reviewStatus: 'submitted' })).status).toBe(200)
      expect((await publicRead(ctx.app, article.id)).status).toBe(200)
      await setPolicy({ publicVisibility: 'approved_only' })
      expect((await publicRead(ctx.app, article.id)).status).toBe(404)
    } finally {
      await setPolicy({ publicVisibility: 'approved_only' })
    }
  })

  test('approved_only: submission publishes nothing', async () => {
    const article = await createArticle(ctx.app, editor, { reviewStatus: 'submitted' })
    expect((await publicRead(ctx.app, article.id)).status).toBe(404)
    const list = await request(ctx.app).get('/api/articles?limit=100')
    for (const doc of list.body.docs) expect(doc.reviewStatus).toBe('approved')
  })
})

describe('citation check', () => {
  const cite = (reference: number) => ({ type: 'inlineBlock', version: 1, fields: { id: `c${reference}${Date.now()}`, blockType: 'citation', blockName: '', reference } })
  const bodyCiting = (...ids: number[]) => ({
    root: { type: 'root', version: 1, direction: 'ltr', format: '', indent: 0, children: [{ type: 'paragraph', version: 1, direction: 'ltr', format: '', indent: 0, children: [{ type: 'text', text: 'Claim', version: 1, detail: 0, format: 0, mode: 'normal', style: '' }, ...ids.map(cite)] }] },
  })

  test('approval is refused while a citation points at a reference missing from the list; staff see the report', async () => {
    const make = async (title: string, extra: Record<string, unknown> = {}) =>
      (await request(ctx.app).post('/api/references').set(auth(editor)).send({ title, type: 'journal_article', ...extra })).body.doc.id as number
    const listed = await make('Listed trial', { year: 2021, publisher: 'Lancet' })
    const unlisted = await make('Unlisted trial', { year: 2019, publisher: 'BMJ' })
    const article = await createArticle(ctx.app, editor, { body: bodyCiting(listed, unlisted), references: [listed], reviewStatus: 'submitted' })
    expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'under_review' })).status).toBe(200)

    const refused = await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'approved' })
    expect(refused.status).toBe(400)
    expect(refused.body.errors[0].message).toMatch(new RegExp(`^Approval refused until every citation points at a listed reference: Citation 2 points at reference ${unlisted}`))
    expect((await latest(ctx.payload, article.id)).reviewStatus).toBe('under_review')

    const report = await request(ctx.app).get(`/api/articles/${article.id}/citation-check`).set(auth(reviewer1))
    expect(report.status).toBe(200)
    expect(report.body.citations.map((citation: { number: number }) => citation.number)).toEqual([1, 0])
    expect(report.body.blocking).toHaveLength(1)
    expect((await request(ctx.app).get(`/api/articles/${article.id}/citation-check`)).status).toBe(403)

    expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'changes_requested', reviewComment: 'Add the unlisted trial to the references.' })).status).toBe(200)
    expect((await transition(ctx.app, editor, article.id, { references: [listed, unlisted], reviewStatus: 'submitted' })).status).toBe(200)
    expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'under_review' })).status).toBe(200)
    expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'approved' })).status).toBe(200)
  })
})
