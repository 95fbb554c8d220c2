import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import request from 'supertest'

import { canonicalJson } from '../../src/delivery/document'
import { createBoardMembers, eventsOf, lexicalParagraph, transition, type BoardMember } from '../support/articles'
import { auth, gql, login, type Session } from '../support/http'
import { startTestApp, type TestApp } from '../support/testApp'

/*
 * Issue 11, second acceptance item: after approval, a change to a linked reference, related question
 * or reviewer profile reaches no reader until the board approves again; meanwhile the article is
 * flagged "changed since approval" with what changed, and is listed in the Needs re-review queue.
 */

let ctx: TestApp
let editor: Session
let admin: Session
let board: BoardMember
/** Public articles a related question can link to. */
let demoId: number
let otherPublicId: number

type Doc = Record<string, unknown>
type Reference = { id: number; title: string; url: string; doi: string; authors: string }
type RelatedQuestion = { id: number; question: string; article: number | null }
type Scenario = { id: number; slug: string; question: string; references: Reference[]; relatedQuestions: RelatedQuestion[]; approver: BoardMember }
type LiveRow = { id: number; edition: number; needsReReview: boolean; changes: { kind: string; id: string; label: string; fields: string[]; changedAt: string }[] | null }

let stamp = 0
const unique = () => `${Date.now().toString(36)}${(stamp += 1)}`

const createReference = async (title = `Trial of ${unique()}`): Promise<Reference> => {
  const key = unique()
  const res = await request(ctx.app)
    .post('/api/references')
    .set(auth(editor))
    .send({ type: 'journal_article', title, authors: 'Valle J, Wasan H', publisher: 'N Engl J Med', year: 2010, doi: `10.1056/nejm${key}`, url: `https://journal.example/${key}` })
  expect(res.status).toBe(201)
  return res.body.doc as Reference
}

const createRelatedQuestion = async (article: number | null): Promise<RelatedQuestion> => {
  const res = await request(ctx.app).post('/api/related-questions').set(auth(editor)).send({ question: `Is ${unique()} safe after surgery?`, article })
  expect(res.status).toBe(201)
  return res.body.doc as RelatedQuestion
}

const approve = async (id: number, approver: Session) => {
  expect((await transition(ctx.app, approver, id, { reviewStatus: 'under_review' })).status).toBe(200)
  const approved = await transition(ctx.app, approver, id, { reviewStatus: 'approved' })
  expect(approved.status).toBe(200)
}

/** An article citing two new references and showing two related questions (one linked to a public article), approved by `approver`. */
const approvedScenario = async (approver: BoardMember = board): Promise<Scenario> => {
  const references = [await createReference(), await createReference()]
  const relatedQuestions = [await createRelatedQuestion(demoId), await createRelatedQuestion(null)]
  const created = await request(ctx.app)
    .post('/api/articles')
    .set(auth(editor))
    .send({
      question: `Does ${unique()} need re-review?`,
      bottomLine: lexicalParagraph('Only when what it cites changes.'),
      references: references.map((reference) => reference.id),
      relatedQuestions: relatedQuestions.map((question) => question.id),
      reviewStatus: 'submitted',
    })
  expect(created.status).toBe(201)
  const { id, slug, question } = created.body.doc as { id: number; slug: string; question: string }
  await approve(id, approver)
  return { id, slug, question, references, relatedQuestions, approver }
}

const liveRowOf = async (article: number): Promise<LiveRow | undefined> =>
  (await ctx.payload.find({ collection: 'live-editions', where: { article: { equals: article } }, depth: 0, overrideAccess: true })).docs[0] as unknown as LiveRow | undefined

const queue = async (session: Session | undefined) => request(ctx.app).get('/api/articles/needs-re-review').set(auth(session))

/* ------------------------------------------------------------------------------------------------
 * What the public gets: every path, read past the response cache (each read's URL or GraphQL text
 * is new to it), so the database's answer is compared.
 */

let readCounter = 0
const fresh = (path: string) => `${path}${path.includes('?') ? '&' : '?'}fresh=${(readCounter += 1)}`

const PUBLIC_FIELDS = `id question slug reviewStatus reviewedAt lastUpdated nextReviewDue
  references { id type title authors publisher year doi pmid url }
  relatedQuestions { id question slug article { id question slug } }
  reviewedBy { id name slug credentials specialties }`

const publicViews = async ({ id, slug }: Scenario) => {
  const rest: Record<string, unknown> = {}
  const bySlug = `/api/articles?where[slug][equals]=${encodeURIComponent(slug)}`
  for (const path of [
    bySlug,
    `${bySlug}&depth=0`,
    `${bySlug}&depth=1`,
    `${bySlug}&depth=2`,
    `${bySlug}&depth=1&select[references]=true&select[relatedQuestions]=true&select[reviewedBy]=true`,
    `/api/articles/${id}`,
    `/api/articles/${id}?depth=0`,
    `/api/articles/${id}?depth=1`,
    `/api/articles/${id}?depth=2`,
    `/api/articles/${id}?depth=1&select[references][title]=true&select[references][url]=true&select[reviewedBy][credentials]=true`,
    `/api/articles?where[id][equals]=${id}&depth=1`,
    '/api/articles?limit=100&sort=-lastUpdated',
    '/api/articles?limit=100&sort=-lastUpdated&depth=1&select[reviewedBy]=true&select[references]=true',
    `/api/articles/count?where[slug][equals]=${encodeURIComponent(slug)}`,
  ]) {
    const res = await request(ctx.app).get(fresh(path))
    expect({ path, status: res.status }).toEqual({ path, status: 200 })
    rest[path] = { body: res.body, etag: res.headers.etag }
  }
  const graphql = await gql(
    ctx.app,
    `query PublicView($id: Int!, $slug: String) {
      Article(id: $id) { ${PUBLIC_FIELDS} }
      Articles(where: { slug: { equals: $slug } }) { totalDocs docs { ${PUBLIC_FIELDS} } }
      countArticles(where: { slug: { equals: $slug } }) { totalDocs }
    } # ${(readCounter += 1)}`,
    { id, slug },
  )
  expect(graphql.errors).toBeUndefined()
  return { rest, graphql: graphql.data }
}

/** Stable URLs whose anonymous answers sit in the response cache. */
const cachedPaths = ({ id, slug }: Scenario) => [`/api/articles?where[slug][equals]=${encodeURIComponent(slug)}`, `/api/articles/${id}?depth=1`, '/api/articles?limit=100']

const warmCache = async (scenario: Scenario) => {
  const answers: Record<string, string> = {}
  for (const path of cachedPaths(scenario)) {
    await request(ctx.app).get(path)
    const second = await request(ctx.app).get(path)
    expect({ path, cache: second.headers['x-cache'] }).toEqual({ path, cache: 'hit' })
    answers[path] = second.text
  }
  return answers
}

type Change = {
  name: string
  kind: 'reference' | 'relatedQuestion' | 'reviewer'
  /** Makes the change as the role allowed to; returns the changed document's id and the new value readers must not see yet. */
  apply: (scenario: Scenario) => Promise<{ id: number; shows: string; fields: string[]; inEdition?: string }>
  /** Whether the change clears the response cache (reviewer profiles are public documents themselves). */
  clearsCache: boolean
}

const patch = async (session: Session, path: string, data: Doc) => {
  const res = await request(ctx.app).patch(path).set(auth(session)).send(data)
  expect({ path, status: res.status, errors: res.body.errors }).toEqual({ path, status: 200, errors: undefined })
  return res.body.doc as Doc
}

const CHANGES: Change[] = [
  {
    name: "a cited reference's title and URL (the issue's example), by an editor",
    kind: 'reference',
    clearsCache: false,
    apply: async ({ references: [reference] }) => {
      await patch(editor, `/api/references/${reference!.id}`, { title: 'Take a 10x dose of everything', url: 'https://phishing.example/' })
      return { id: reference!.id, shows: 'phishing.example', fields: ['title', 'url'] }
    },
  },
  {
    name: "a cited reference's DOI, by an editor",
    kind: 'reference',
    clearsCache: false,
    apply: async ({ references: [, reference] }) => {
      const doi = `10.9999/retracted.${unique()}`
      await patch(editor, `/api/references/${reference!.id}`, { doi })
      return { id: reference!.id, shows: doi, fields: ['doi'] }
    },
  },
  {
    name: "a cited reference's authors, by an admin",
    kind: 'reference',
    clearsCache: false,
    apply: async ({ references: [reference] }) => {
      await patch(admin, `/api/references/${reference!.id}`, { authors: 'Someone Else Entirely' })
      return { id: reference!.id, shows: 'Someone Else Entirely', fields: ['authors'] }
    },
  },
  {
    name: "a related question's text, by an editor",
    kind: 'relatedQuestion',
    clearsCache: false,
    apply: async ({ relatedQuestions: [question] }) => {
      const text = `Rewritten related question ${unique()}?`
      await patch(editor, `/api/related-questions/${question!.id}`, { question: text })
      return { id: question!.id, shows: text, fields: ['question'] }
    },
  },
  {
    name: "a related question's link to the article answering it, by an editor",
    kind: 'relatedQuestion',
    clearsCache: false,
    apply: async ({ relatedQuestions: [question] }) => {
      await patch(editor, `/api/related-questions/${question!.id}`, { article: otherPublicId })
      // Readers get the linked answer as {id, slug, question} (depth 2); the edition stores its id (compared key-sorted).
      return { id: question!.id, shows: `"article":{"id":${otherPublicId},`, inEdition: `"article":${otherPublicId},"id":${question!.id},`, fields: ['article'] }
    },
  },
  {
    name: "the reviewer's credentials, by the reviewer themself",
    kind: 'reviewer',
    clearsCache: true,
    apply: async ({ approver }) => {
      const credentials = `MD, PhD, ${unique()}`
      await patch(approver, `/api/reviewers/${approver.profileId}`, { credentials })
      return { id: Number(approver.profileId), shows: credentials, fields: ['credentials'] }
    },
  },
  {
    name: "the reviewer's credentials, by an admin",
    kind: 'reviewer',
    clearsCache: true,
    apply: async ({ approver }) => {
      const credentials = `FRCP ${unique()}`
      await patch(admin, `/api/reviewers/${approver.profileId}`, { credentials })
      return { id: Number(approver.profileId), shows: credentials, fields: ['credentials'] }
    },
  },
]

beforeAll(async () => {
  ctx = await startTestApp()
  editor = await login(ctx.app, 'editor@example.com')
  admin = await login(ctx.app, 'admin@example.com')
  ;[board] = (await createBoardMembers(ctx.app, ctx.payload, 1, 'rereview')) as [BoardMember]
  demoId = (await request(ctx.app).get('/api/articles')).body.docs[0].id
  otherPublicId = (await approvedScenario()).id
})
afterAll(async () => {
  await ctx?.close()
})

describe('a change to a linked document after approval', () => {
  test.each(CHANGES.map((change) => [change.name, change] as const))(
    '%s: readers keep the approved edition through every path, the article is flagged and queued, and re-approval publishes it with both editions listed',
    async (_name, change) => {
      // Reviewer changes get an approver of their own, so no other test's article shows the profile.
      const approver = change.kind === 'reviewer' ? ((await createBoardMembers(ctx.app, ctx.payload, 1, `profile${unique()}`))[0] as BoardMember) : board
      const scenario = await approvedScenario(approver)
      const approvedRow = (await liveRowOf(scenario.id))!
      expect(approvedRow).toMatchObject({ needsReReview: false, changes: [] })
      const before = await publicViews(scenario)
      const cached = await warmCache(scenario)

      const changed = await change.apply(scenario)

      // What the public gets has not moved, through any path.
      const after = await publicViews(scenario)
      expect(after).toEqual(before)
      expect(JSON.stringify(after)).not.toContain(changed.shows)
      for (const path of cachedPaths(scenario)) {
        const res = await request(ctx.app).get(path)
        expect(res.text).toBe(cached[path])
        // References and related questions are not public documents: the cache stays warm.
        if (!change.clearsCache) expect({ path, cache: res.headers['x-cache'] }).toEqual({ path, cache: 'hit' })
      }

      // The live row names what changed; the edition is the same one.
      const flagged = (await liveRowOf(scenario.id))!
      expect(flagged.edition).toBe(approvedRow.edition)
      expect(flagged.needsReReview).toBe(true)
      expect(flagged.changes).toHaveLength(1)
      const [entry] = flagged.changes!
      expect(entry).toMatchObject({ kind: change.kind, id: String(changed.id) })
      expect(entry!.fields).toEqual(expect.arrayContaining(changed.fields))
      expect(entry!.label).toEqual(expect.any(String))
      expect(new Date(entry!.changedAt).getTime()).not.toBeNaN()

      // Staff list it in the queue; the public may not.
      for (const session of [editor, admin, approver]) {
        const res = await queue(session)
        expect(res.status).toBe(200)
        const listed = (res.body.docs as Doc[]).find((doc) => doc.article === scenario.id)
        expect(listed).toEqual({ article: scenario.id, question: scenario.question, slug: scenario.slug, reviewStatus: 'approved', changes: flagged.changes, edition: approvedRow.edition })
      }
      const anonymous = await queue(undefined)
      expect(anonymous.status).toBe(403)
      expect(anonymous.text).not.toContain(scenario.slug)

      // Re-review without a text change: the public keeps the approved edition until the new approval.
      expect((await transition(ctx.app, editor, scenario.id, { reviewStatus: 'submitted' })).status).toBe(200)
      expect(await publicViews(scenario)).toEqual(before)
      await approve(scenario.id, approver)

      const reapproved = await publicViews(scenario)
      expect(JSON.stringify(reapproved)).toContain(changed.shows)
      const row = (await liveRowOf(scenario.id))!
      expect(row).toMatchObject({ needsReReview: false, changes: [] })
      expect(row.edition).not.toBe(approvedRow.edition)
      expect(((await queue(editor)).body.docs as Doc[]).some((doc) => doc.article === scenario.id)).toBe(false)

      // Both editions are in the article's history, each pointed at by its approval.
      const history = await request(ctx.app).get(`/api/editions?where[article][equals]=${scenario.id}&sort=publishedAt&depth=0`).set(auth(editor))
      expect(history.status).toBe(200)
      const editions = history.body.docs as (Doc & { id: number; document: Doc })[]
      expect(editions.map((edition) => edition.id)).toEqual([approvedRow.edition, row.edition])
      expect(editions.map((edition) => edition.kind)).toEqual(['reviewed', 'reviewed'])
      const approvals = (await eventsOf(ctx.payload, scenario.id)).filter((event) => event.action === 'approve')
      expect(approvals.map((event) => event.edition)).toEqual([approvedRow.edition, row.edition])
      // The first edition still reads as it did on its date.
      expect(canonicalJson(editions[0]!.document)).not.toContain(changed.inEdition ?? changed.shows)
      expect(canonicalJson(editions[1]!.document)).toContain(changed.inEdition ?? changed.shows)
      for (const path of ['/api/editions', `/api/editions/${row.edition}`, `/api/editions?where[article][equals]=${scenario.id}`]) {
        expect({ path, status: (await request(ctx.app).get(path)).status }).toEqual({ path, status: 403 })
      }
    },
  )
})

describe('what is and is not flagged', () => {
  test('changing a reference back to its approved value removes the flag', async () => {
    const scenario = await approvedScenario()
    const [reference] = scenario.references as [Reference]
    await patch(editor, `/api/references/${reference.id}`, { title: 'A title the board never saw' })
    expect((await liveRowOf(scenario.id))!.needsReReview).toBe(true)
    expect(((await queue(editor)).body.docs as Doc[]).some((doc) => doc.article === scenario.id)).toBe(true)

    await patch(editor, `/api/references/${reference.id}`, { title: reference.title })
    expect(await liveRowOf(scenario.id)).toMatchObject({ needsReReview: false, changes: [] })
    expect(((await queue(editor)).body.docs as Doc[]).some((doc) => doc.article === scenario.id)).toBe(false)
  })

  test('two changes to two linked documents are both listed; reverting one leaves the other', async () => {
    const scenario = await approvedScenario()
    const [first, second] = scenario.references as [Reference, Reference]
    await patch(editor, `/api/references/${first.id}`, { title: 'First changed title' })
    await patch(editor, `/api/references/${second.id}`, { url: 'https://elsewhere.example/' })
    const both = (await liveRowOf(scenario.id))!
    expect(both.changes!.map((change) => [change.id, change.fields])).toEqual([
      [String(first.id), ['title']],
      [String(second.id), ['url']],
    ])
    await patch(editor, `/api/references/${first.id}`, { title: first.title })
    const one = (await liveRowOf(scenario.id))!
    expect(one.needsReReview).toBe(true)
    expect(one.changes!.map((change) => [change.id, change.fields])).toEqual([[String(second.id), ['url']]])
  })

  test('every public article citing a changed reference is flagged', async () => {
    const a = await approvedScenario()
    const shared = a.references[0]!
    const created = await request(ctx.app)
      .post('/api/articles')
      .set(auth(editor))
      .send({ question: `Does ${unique()} share a citation?`, bottomLine: lexicalParagraph('It does.'), references: [shared.id], reviewStatus: 'submitted' })
    expect(created.status).toBe(201)
    const b = created.body.doc.id as number
    await approve(b, board)
    await patch(editor, `/api/references/${shared.id}`, { title: 'Shared and changed' })
    for (const article of [a.id, b]) {
      const row = (await liveRowOf(article))!
      expect(row.changes).toEqual([expect.objectContaining({ kind: 'reference', id: String(shared.id), label: 'Shared and changed', fields: ['title'] })])
    }
  })

  test('a change to a reference no public article cites flags nothing', async () => {
    const uncited = await createReference()
    const citedByDraft = await createReference()
    const draft = await request(ctx.app)
      .post('/api/articles')
      .set(auth(editor))
      .send({ question: `Is ${unique()} still a draft?`, bottomLine: lexicalParagraph('Yes.'), references: [citedByDraft.id] })
    expect(draft.status).toBe(201)
    const rowsBefore = (await ctx.payload.find({ collection: 'live-editions', pagination: false, depth: 0, overrideAccess: true })).docs
    const queueBefore = (await queue(editor)).body

    await patch(editor, `/api/references/${uncited.id}`, { title: 'Nobody reads this change' })
    await patch(editor, `/api/references/${citedByDraft.id}`, { title: 'Only a draft cites this' })

    const rowsAfter = (await ctx.payload.find({ collection: 'live-editions', pagination: false, depth: 0, overrideAccess: true })).docs
    expect(rowsAfter).toEqual(rowsBefore)
    expect((await queue(editor)).body).toEqual(queueBefore)
  })

  test('a withdrawn (unpublished) article is not flagged, and leaves the queue', async () => {
    const scenario = await approvedScenario()
    const [reference] = scenario.references as [Reference]
    await patch(editor, `/api/references/${reference.id}`, { title: 'Changed before the withdrawal' })
    expect(((await queue(editor)).body.docs as Doc[]).some((doc) => doc.article === scenario.id)).toBe(true)

    const unpublished = await request(ctx.app).patch(`/api/articles/${scenario.id}?draft=false`).set(auth(admin)).send({ _status: 'draft' })
    expect(unpublished.status).toBe(200)
    expect(await liveRowOf(scenario.id)).toBeUndefined()
    expect(((await queue(editor)).body.docs as Doc[]).some((doc) => doc.article === scenario.id)).toBe(false)

    await patch(editor, `/api/references/${reference.id}`, { title: 'Changed after the withdrawal' })
    expect(await liveRowOf(scenario.id)).toBeUndefined()
    expect(((await queue(editor)).body.docs as Doc[]).some((doc) => doc.article === scenario.id)).toBe(false)
    expect((await request(ctx.app).get(`/api/articles/${scenario.id}`)).status).toBe(404)
    // The withdrawn edition is stamped, not changed.
    const [edition] = (await request(ctx.app).get(`/api/editions?where[article][equals]=${scenario.id}&depth=0`).set(auth(editor))).body.docs as Doc[]
    expect(edition!.withdrawnAt).toEqual(expect.any(String))
    expect(JSON.stringify(edition!.document)).toContain(reference.title)
  })
})
