/**
 * Model-based test: fast-check drives a long random sequence of requests by random actors through
 * REST and GraphQL, and after every step the workflow's invariants must hold. A second test sends
 * the commands in batches of 2 to 6 at once and checks the invariants after each batch with the
 * shared checker (tests/support/invariants.ts). After every step and every batch, the editions'
 * invariants hold too (`checkEditions`): editions never change, and the public copy is each
 * article's latest edition unless that one is withdrawn. The sequential steps also switch the
 * editorial policy between its two modes. The seed is fixed, so a failure reproduces; the step or
 * batch that broke an invariant is named in the failure.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import fc from 'fast-check'
import request from 'supertest'

import { createArticle, lexicalParagraph } from '../support/articles'
import { auth, gql, login, type Session } from '../support/http'
import { answerWithin, checkBurst, checkEditions, EditionLedger, eventIdsOf, isSuccess, orderedEvents, ViolationLog, type Acknowledgement } from '../support/invariants'
import { startTestApp, type TestApp } from '../support/testApp'
import { publicationFor, publicStates, type PublicVisibility, type ReviewState } from '../../src/rules/workflow'

const STEPS = Number(process.env.MODEL_STEPS ?? 2000)
/**
 * The editions' checks cover the articles a step or batch wrote (a policy step: all of them, since
 * it changes what the public may see of each), and every article every this many steps or batches
 * and at the end. A step writes nothing else, so this catches what checking every article after
 * every step would, at most this many steps later, at a quarter of the cost.
 */
const ALL_EDITIONS_EVERY = 25
const BATCHES = Number(process.env.MODEL_BATCHES ?? 300)
const SEED = Number(process.env.MODEL_SEED ?? 20261126)
const ARTICLES = 4

let ctx: TestApp
const sessions: Record<string, Session | undefined> = { anonymous: undefined }
let articleIds: number[] = []
/** Every article either test made: the editions' checks cover them all (see ALL_EDITIONS_EVERY). */
const allArticleIds: number[] = []
/** Every edition seen, as first seen: one ledger for both tests. */
const editions = new EditionLedger()
/** Wall time spent in the editions' checks, for the summary lines. */
let editionCheckMs = 0
const timedCheckEditions = async (...args: Parameters<typeof checkEditions>) => {
  const started = performance.now()
  try {
    return await checkEditions(...args)
  } finally {
    editionCheckMs += performance.now() - started
  }
}
/** The editorial policy's mode, as the last accepted policy step left it. */
let mode: PublicVisibility = 'approved_only'
/** Advisory-board profile ids of the board members among the actors. */
const profiles: Record<string, number> = {}

const STATES = ['draft', 'submitted', 'under_review', 'changes_requested', 'approved'] as const
const ACTORS = ['anonymous', 'editor', 'reviewer1', 'reviewer2', 'admin'] as const

type Op =
  | { kind: 'status'; actor: string; article: number; to: string; comment: boolean; via: 'rest' | 'graphql' }
  | { kind: 'edit'; actor: string; article: number; to?: string }
  | { kind: 'publish' | 'unpublish'; actor: string; article: number }
  | { kind: 'bulk'; actor: string; articles: number[]; to: string }
  | { kind: 'restore'; actor: string; article: number; pick: number }
  | { kind: 'advance'; actor: string; article: number; choice: number; via: 'rest' | 'graphql' }
  | { kind: 'assign'; actor: string; article: number; reviewer: 'reviewer1' | 'reviewer2' | 'admin' }
  | { kind: 'policy'; actor: string; mode: PublicVisibility }

/**
 * Steers generation toward the next step of the review path, so long runs reach approval often.
 * From approved: a re-review without a text change (submitted), or an edit (a new draft revision).
 */
const NATURAL_NEXT: Record<string, string[]> = {
  draft: ['submitted'],
  submitted: ['under_review'],
  under_review: ['approved', 'changes_requested', 'approved'],
  changes_requested: ['submitted'],
  approved: ['submitted', 'draft'],
}

const actorArb = fc.constantFrom(...ACTORS)
const articleArb = fc.nat(ARTICLES - 1)
const stateArb = fc.constantFrom(...STATES)
/** The steps both tests send. */
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('status' as const), actor: actorArb, article: articleArb, to: stateArb, comment: fc.boolean(), via: fc.constantFrom('rest' as const, 'graphql' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('edit' as const), actor: actorArb, article: articleArb, to: fc.option(stateArb, { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('publish' as const, 'unpublish' as const), actor: actorArb, article: articleArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bulk' as const), actor: actorArb, articles: fc.uniqueArray(articleArb, { minLength: 2, maxLength: 3 }), to: stateArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const), actor: actorArb, article: articleArb, pick: fc.nat(50) }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('advance' as const), actor: fc.constantFrom('editor', 'reviewer1', 'reviewer2', 'admin'), article: articleArb, choice: fc.nat(2), via: fc.constantFrom('rest' as const, 'graphql' as const) }) },
)

/**
 * The sequential test also switches the policy's mode. The concurrent test does not: its checker
 * (`checkBurst`) reads the public copy from the events under one mode.
 */
const sequentialOpArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 20, arbitrary: opArb },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('policy' as const), actor: fc.constantFrom('admin', 'admin', 'admin', 'editor', 'anonymous'), mode: fc.constantFrom('approved_only' as const, 'pending_with_caution' as const) }),
  },
)

type Snapshot = { reviewStatus: string; question: string; plain: string | null; versions: number; events: number; editions: number; withdrawn: number }

const snapshot = async (id: number): Promise<Snapshot> => {
  const doc = await ctx.payload.findByID({ collection: 'articles', id, draft: true, depth: 0, overrideAccess: true })
  const versions = await ctx.payload.countVersions({ collection: 'articles', where: { parent: { equals: id } }, overrideAccess: true })
  const events = await ctx.payload.count({ collection: 'review-events', where: { article: { equals: id } }, overrideAccess: true })
  const written = await ctx.payload.find({ collection: 'editions', where: { article: { equals: id } }, select: { withdrawnAt: true }, limit: 0, pagination: false, depth: 0, overrideAccess: true })
  return {
    reviewStatus: doc.reviewStatus,
    question: doc.question,
    plain: doc.plainLanguageAnswer ?? null,
    versions: versions.totalDocs,
    events: events.totalDocs,
    editions: written.docs.length,
    withdrawn: written.docs.filter((edition) => edition.withdrawnAt).length,
  }
}

/** `returned`: the status each article had in a 2xx response; `requested`: the status the request asked for. */
type Result = { status: number; message?: string; retryAfter?: string; requested?: string; returned?: Record<string, string> }

const fromREST = (res: request.Response, requested?: string): Result => {
  const docs = (res.body?.docs ?? (res.body?.doc ? [res.body.doc] : [])) as { id?: unknown; reviewStatus?: unknown }[]
  const returned = Object.fromEntries(docs.filter((doc) => typeof doc.reviewStatus === 'string').map((doc) => [String(doc.id), String(doc.reviewStatus)]))
  return { status: res.status, message: res.body?.errors?.[0]?.message, retryAfter: res.headers['retry-after'], requested, returned }
}

const fromGraphQL = (res: Awaited<ReturnType<typeof gql>>, requested?: string): Result => {
  if (!res.errors?.length) {
    const doc = res.data?.updateArticle as { id?: unknown; reviewStatus?: unknown } | undefined
    return { status: 200, requested, returned: doc && typeof doc.reviewStatus === 'string' ? { [String(doc.id)]: doc.reviewStatus } : {} }
  }
  const code = (res.errors[0] as { extensions?: { statusCode?: number } }).extensions?.statusCode
  return { status: code ?? 400, message: res.errors[0]!.message, requested }
}

let edits = 0
const perform = async (op: Op): Promise<Result> => {
  const session = sessions[op.actor]
  const id = 'article' in op ? articleIds[op.article]! : 0
  if (op.kind === 'advance') {
    const current = (await ctx.payload.findByID({ collection: 'articles', id, draft: true, depth: 0, overrideAccess: true })).reviewStatus
    const options = NATURAL_NEXT[current]!
    const to = options[op.choice % options.length]!
    if (current === 'approved' && to === 'draft') return perform({ kind: 'edit', actor: op.actor, article: op.article })
    return perform({ kind: 'status', actor: op.actor, article: op.article, to, comment: true, via: op.via })
  }
  switch (op.kind) {
    case 'status': {
      const data: Record<string, unknown> = { reviewStatus: op.to }
      if (op.comment) data.reviewComment = 'Model-test comment'
      if (op.via === 'rest') return fromREST(await request(ctx.app).patch(`/api/articles/${id}?depth=0`).set(auth(session)).send(data), op.to)
      const res = await gql(
        ctx.app,
        `mutation ($id: Int!, $data: mutationArticleUpdateInput!) { updateArticle(id: $id, data: $data) { id reviewStatus } }`,
        { id, data },
        session,
      )
      return fromGraphQL(res, op.to)
    }
    case 'edit': {
      edits += 1
      const data: Record<string, unknown> = { plainLanguageAnswer: `Edit ${edits}`, question: `Model article ${op.article} edit ${edits}?` }
      if (op.to) data.reviewStatus = op.to
      return fromREST(await request(ctx.app).patch(`/api/articles/${id}?depth=0`).set(auth(session)).send(data), op.to)
    }
    case 'publish':
    case 'unpublish': {
      const res = await request(ctx.app)
        .patch(`/api/articles/${id}?depth=0&draft=false`)
        .set(auth(session))
        .send({ _status: op.kind === 'publish' ? 'published' : 'draft' })
      return fromREST(res)
    }
    case 'bulk': {
      const ids = op.articles.map((index) => articleIds[index]!)
      const res = await request(ctx.app)
        .patch(`/api/articles?depth=0&${ids.map((value, i) => `where[id][in][${i}]=${value}`).join('&')}`)
        .set(auth(session))
        .send({ reviewStatus: op.to, reviewComment: 'Bulk comment' })
      return fromREST(res, op.to)
    }
    case 'restore': {
      const versions = await ctx.payload.findVersions({ collection: 'articles', where: { parent: { equals: id } }, limit: 0, pagination: false, depth: 0, overrideAccess: true })
      const version = versions.docs[op.pick % Math.max(1, versions.docs.length)]
      if (!version) return { status: 404 }
      return fromREST(await request(ctx.app).post(`/api/articles/versions/${version.id}?draft=true&depth=0`).set(auth(session)))
    }
    case 'assign': {
      const data = { reviewStatus: 'under_review', assignedReviewer: profiles[op.reviewer] }
      return fromREST(await request(ctx.app).patch(`/api/articles/${id}?depth=0`).set(auth(session)).send(data), 'under_review')
    }
    case 'policy': {
      const res = await request(ctx.app).post('/api/globals/editorial-policy').set(auth(session)).send({ publicVisibility: op.mode })
      if (isSuccess(res.status) && mode !== op.mode) {
        stats.modeSwitches++
        mode = op.mode
      }
      return fromREST(res)
    }
  }
}

const touched = (op: Op): number[] => {
  if (op.kind === 'policy') return []
  return op.kind === 'bulk' ? op.articles.map((index) => articleIds[index]!) : [articleIds[op.article]!]
}

const stats = { accepted: 0, rejected: 0, transitions: 0, reReviews: 0, modeSwitches: 0, byStatus: {} as Record<number, number> }

/** Invariants after every step. */
const check = async (step: number, op: Op, result: Result, before: Map<number, Snapshot>) => {
  const where = `step ${step} ${JSON.stringify(op)} → ${result.status} ${result.message ?? ''}`
  stats.byStatus[result.status] = (stats.byStatus[result.status] ?? 0) + 1
  if (result.status >= 500) throw new Error(`server error at ${where}`)

  for (const id of touched(op)) {
    const was = before.get(id)!
    const now = await snapshot(id)
    if (result.status >= 400) {
      // A rejected request changes nothing.
      if (JSON.stringify(now) !== JSON.stringify(was)) throw new Error(`rejected request changed article ${id} at ${where}: ${JSON.stringify(was)} → ${JSON.stringify(now)}`)
      continue
    }
    // Each accepted status change writes exactly one event, and one edition when it publishes.
    const newEvents = now.events - was.events
    const newEditions = now.editions - was.editions
    if (now.reviewStatus !== was.reviewStatus) {
      stats.transitions++
      if (was.reviewStatus === 'approved' && now.reviewStatus === 'submitted') stats.reReviews++
      if (newEvents !== 1) throw new Error(`status ${was.reviewStatus} → ${now.reviewStatus} wrote ${newEvents} events at ${where}`)
      const [event] = (await ctx.payload.find({ collection: 'review-events', where: { article: { equals: id } }, sort: '-id', limit: 1, depth: 0, overrideAccess: true })).docs
      if (event!.to !== now.reviewStatus || (event!.from ?? null) !== was.reviewStatus) throw new Error(`event ${JSON.stringify(event)} does not match ${was.reviewStatus} → ${now.reviewStatus} at ${where}`)
      const publishes = publicationFor(now.reviewStatus as ReviewState, mode) === 'publish' ? 1 : 0
      if (newEditions !== publishes) throw new Error(`status ${was.reviewStatus} → ${now.reviewStatus} under ${mode} wrote ${newEditions} editions at ${where}`)
    } else if (newEvents !== 0 || newEditions !== 0) {
      throw new Error(`no status change but ${newEvents} events and ${newEditions} editions at ${where}`)
    }
  }
  if (result.status < 400) stats.accepted++
  else stats.rejected++

  // Everything the public can fetch is in a state the policy shows; for the articles this step
  // touched, an approved public copy is the content of the revision that was last approved.
  const list = await request(ctx.app).get('/api/articles?limit=100&depth=0&draft=true&select[reviewStatus]=true&select[question]=true')
  const publicDocs = list.body.docs as { id: number; reviewStatus: string; question: string }[]
  for (const doc of publicDocs) {
    if (!publicStates(mode).includes(doc.reviewStatus as ReviewState)) throw new Error(`public sees ${doc.reviewStatus} article ${doc.id} under ${mode} at ${where}`)
  }
  for (const id of touched(op)) {
    const doc = publicDocs.find((candidate) => candidate.id === id)
    if (!doc || doc.reviewStatus !== 'approved') continue
    const [approval] = (await ctx.payload.find({ collection: 'review-events', where: { and: [{ article: { equals: id } }, { action: { equals: 'approve' } }] }, sort: '-id', limit: 1, depth: 0, overrideAccess: true })).docs
    if (!approval) throw new Error(`public sees article ${id} that was never approved at ${where}`)
    const approvedVersion = await ctx.payload.findVersionByID({ collection: 'articles', id: approval.version!, depth: 0, overrideAccess: true })
    if (approvedVersion.version.question !== doc.question) throw new Error(`public copy of ${id} is not the approved revision at ${where}`)
  }

  const editionViolations = await timedCheckEditions(ctx, editions, op.kind === 'policy' || step % ALL_EDITIONS_EVERY === 0 ? allArticleIds : touched(op))
  if (editionViolations.length > 0) throw new Error(`editions broke at ${where}:\n${editionViolations.join('\n')}`)
}

/** No approval event was made by one of the authors of the revision it approved. */
const checkFourEyes = async () => {
  const { docs } = await ctx.payload.find({ collection: 'review-events', where: { action: { in: ['approve', 'record_approval'] } }, limit: 0, pagination: false, depth: 0, overrideAccess: true })
  for (const event of docs) {
    const version = await ctx.payload.findVersionByID({ collection: 'articles', id: event.version!, depth: 0, overrideAccess: true })
    const authors = (version.version.authors ?? []).map((author) => (typeof author === 'object' ? author.id : author))
    if (authors.includes(event.actor as number)) throw new Error(`event ${event.id}: ${event.actor} approved a revision they wrote`)
  }
  return docs.length
}

beforeAll(async () => {
  ctx = await startTestApp()
  // reviewer2 also edits and the admin also sits on the board, so four-eyes is exercised.
  const users = await ctx.payload.find({ collection: 'users', limit: 10, depth: 0 })
  const byEmail = (email: string) => users.docs.find((user) => user.email === email)!
  await ctx.payload.update({ collection: 'users', id: byEmail('reviewer2@example.com').id, data: { roles: ['reviewer', 'editor'] } })
  await ctx.payload.update({ collection: 'users', id: byEmail('admin@example.com').id, data: { roles: ['admin', 'reviewer'] } })
  await ctx.payload.create({ collection: 'reviewers', data: { name: 'Dr. Board Admin', credentials: 'MD', user: byEmail('admin@example.com').id, active: true } })
  for (const name of ['editor', 'reviewer1', 'reviewer2', 'admin']) sessions[name] = await login(ctx.app, `${name}@example.com`)
  for (const name of ['reviewer1', 'reviewer2', 'admin']) {
    const { docs } = await ctx.payload.find({ collection: 'reviewers', where: { user: { equals: sessions[name]!.userId } }, limit: 1, depth: 0, overrideAccess: true })
    profiles[name] = docs[0]!.id
  }
  articleIds = []
  for (let i = 0; i < ARTICLES; i++) {
    const article = await createArticle(ctx.app, sessions.editor!, { question: `Model article ${i}?`, bottomLine: lexicalParagraph(`Model answer ${i}`) })
    articleIds.push(article.id)
  }
  allArticleIds.push(...articleIds)
})
afterAll(async () => {
  await ctx?.close()
})

test(`${STEPS} random steps keep the workflow's invariants`, async () => {
  const started = performance.now()
  await fc.assert(
    fc.asyncProperty(fc.array(sequentialOpArb, { minLength: STEPS, maxLength: STEPS }), async (ops) => {
      let step = 0
      for (const op of ops) {
        step++
        const before = new Map<number, Snapshot>()
        for (const id of touched(op)) before.set(id, await snapshot(id))
        const result = await perform(op)
        await check(step, op, result, before)
      }
    }),
    { seed: SEED, numRuns: 1, endOnFailure: true },
  )
  expect(await timedCheckEditions(ctx, editions, allArticleIds)).toEqual([])
  const approvals = await checkFourEyes()
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  process.stdout.write(
    `model test (${process.env.TEST_DB}): ${STEPS} steps in ${seconds} s; ${stats.accepted} accepted, ${stats.rejected} rejected, ${stats.transitions} transitions (${stats.reReviews} re-reviews of an approved revision), ${stats.modeSwitches} policy mode switches, ${approvals} approvals checked for four-eyes; ${editions.size} editions (${editions.withdrawn} withdrawn), the written articles' checked after every step and all every ${ALL_EDITIONS_EVERY} steps, in ${(editionCheckMs / 1000).toFixed(1)} s; statuses ${JSON.stringify(stats.byStatus)}\n`,
  )
  expect(stats.transitions).toBeGreaterThan(100)
  expect(approvals).toBeGreaterThan(5)
  expect(stats.rejected).toBeGreaterThan(100)
  expect(stats.reReviews).toBeGreaterThan(0)
  expect(stats.modeSwitches).toBeGreaterThan(0)
  expect(editions.size).toBeGreaterThan(approvals)
  expect(editions.withdrawn).toBeGreaterThan(0)
}, 1_800_000)

/** The requests of one batch that concern one article, as the invariant checker sees them. */
const acknowledgementsFor = (id: number, batch: Op[], results: Result[]): Acknowledgement[] =>
  batch.flatMap((op, i) => {
    if (!touched(op).includes(id)) return []
    const result = results[i]!
    const session = sessions[op.actor]
    return [
      {
        label: `${JSON.stringify(op)} → ${result.status}${result.message ? ` ${result.message}` : ''}`,
        actor: session?.userId ?? null,
        status: result.status,
        message: result.message,
        retryAfter: result.retryAfter,
        kind: 'any' as const,
        requested: result.requested,
        returnedStatus: result.returned?.[String(id)],
      },
    ]
  })

/**
 * The sequential steps plus an admin assigning a reviewer: without it an article can stall for
 * good (the assigned reviewer became an author of the resubmitted revision, so nobody may claim it).
 */
const concurrentOpArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 19, arbitrary: opArb },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('assign' as const), actor: fc.constantFrom('admin', 'reviewer1'), article: articleArb, reviewer: fc.constantFrom('reviewer1' as const, 'reviewer2' as const, 'admin' as const) }) },
)

test(`${BATCHES} batches of 2 to 6 concurrent steps keep the workflow's invariants`, async () => {
  const started = performance.now()
  // The sequential test may have left the policy in caution mode; this test reads the public copy from the events as approved_only does.
  await ctx.payload.updateGlobal({ slug: 'editorial-policy', data: { publicVisibility: 'approved_only' }, overrideAccess: true })
  mode = 'approved_only'
  // Fresh articles: the sequential test may leave its own in states that only an assignment unblocks.
  articleIds = []
  for (let i = 0; i < ARTICLES; i++) {
    const article = await createArticle(ctx.app, sessions.editor!, { question: `Concurrent model article ${i}?`, bottomLine: lexicalParagraph(`Concurrent model answer ${i}`) })
    articleIds.push(article.id)
  }
  allArticleIds.push(...articleIds)
  const editionsBefore = editions.size
  editionCheckMs = 0
  const log = new ViolationLog()
  const counts = { requests: 0, accepted: 0, events: 0, byStatus: {} as Record<number, number> }
  // An admin's unpublish writes no event: until the next publication the public copy may be gone.
  // The sequential test may have left some articles withdrawn.
  const withdrawn = new Map<number, boolean>()
  for (const id of articleIds) {
    const approvedOnce = (await orderedEvents(ctx.payload, id)).some((event) => event.action === 'approve')
    const stored = await ctx.payload.findByID({ collection: 'articles', id, draft: false, depth: 0, overrideAccess: true })
    withdrawn.set(id, approvedOnce && stored._status !== 'published')
  }
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(concurrentOpArb, { minLength: 2, maxLength: 6 }), { minLength: BATCHES, maxLength: BATCHES }), async (batches) => {
      let index = 0
      for (const batch of batches) {
        index++
        const ids = [...new Set(batch.flatMap(touched))]
        const before = new Map<number, { events: Set<string>; status: string }>()
        for (const id of ids) {
          before.set(id, { events: await eventIdsOf(ctx.payload, id), status: (await ctx.payload.findByID({ collection: 'articles', id, draft: true, depth: 0, overrideAccess: true })).reviewStatus })
        }
        const results = await answerWithin(Promise.all(batch.map(perform)), `batch ${index}`)
        for (const result of results) {
          counts.requests++
          if (isSuccess(result.status)) counts.accepted++
          counts.byStatus[result.status] = (counts.byStatus[result.status] ?? 0) + 1
        }
        const violations: string[] = []
        for (const id of ids) {
          const { events: eventsBefore, status: statusBefore } = before.get(id)!
          const unpublished = batch.some((op, i) => op.kind === 'unpublish' && touched(op).includes(id) && isSuccess(results[i]!.status))
          const responses = acknowledgementsFor(id, batch, results)
          const found = await checkBurst(ctx, { article: id, eventsBefore, statusBefore, responses, withdrawalAllowed: unpublished || withdrawn.get(id) === true })
          violations.push(...found.map((violation) => `article ${id}: ${violation}`))
          const added = (await orderedEvents(ctx.payload, id)).filter((event) => !eventsBefore.has(String(event.id)))
          counts.events += added.length
          if (unpublished) withdrawn.set(id, true)
          else if (added.some((event) => event.action === 'approve')) withdrawn.set(id, false)
        }
        violations.push(...(await timedCheckEditions(ctx, editions, index % ALL_EDITIONS_EVERY === 0 ? allArticleIds : ids)))
        log.record(`batch ${index} ${JSON.stringify(batch)} → [${results.map((result) => result.status).join(', ')}]`, violations)
      }
    }),
    { seed: SEED, numRuns: 1, endOnFailure: true },
  )
  log.record('after the last batch', await timedCheckEditions(ctx, editions, allArticleIds))
  const approvals = await checkFourEyes()
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const summary = log.summary()
  process.stdout.write(
    `concurrent model test (${process.env.TEST_DB}): ${BATCHES} batches, ${counts.requests} requests in ${seconds} s; ${counts.accepted} accepted, ${counts.events} events, ${approvals} approvals checked for four-eyes; ${editions.size - editionsBefore} new editions of ${editions.size}, the written articles' checked after every batch and all every ${ALL_EDITIONS_EVERY} batches, in ${(editionCheckMs / 1000).toFixed(1)} s; statuses ${JSON.stringify(counts.byStatus)}; ${log.brokenBursts} batches broke an invariant\n${summary.map((line) => `  ${line}\n`).join('')}`,
  )
  expect(summary).toEqual([])
  expect(counts.events).toBeGreaterThan(BATCHES / 3)
  expect(editions.size).toBeGreaterThan(editionsBefore)
}, 1_800_000)
