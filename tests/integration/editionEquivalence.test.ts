import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import type { Where } from 'payload'
import * as qs from 'qs-esm'
import request from 'supertest'

import { blocksToLexical, citedTextToLexical } from '../../seeds/toLexical'
import type { PublicVisibility } from '../../src/rules/workflow'
import { setPolicy } from '../support/articles'
import { auth, gql, login, type Session } from '../support/http'
import { legacyCount, legacyFind, legacyFindByID, type LegacyPage } from '../support/legacyPublicView'
import { startTestApp, type TestApp } from '../support/testApp'

/*
 * Issue 11, first acceptance item: what the public gets from editions equals what the pre-edition
 * code returned for the same revision (`tests/support/legacyPublicView.ts`), in every workflow state
 * and both policy modes, through REST by slug, by id, lists, counts and GraphQL. Articles move
 * through the workflow over REST as the seeded editor, reviewer and admin; after every step the
 * whole public answer of every path is compared with the legacy view, whole values, not keys.
 * The public page's visible text is covered by the site's own tests, not here.
 */

type Id = number | string
type Doc = Record<string, unknown>
type Article = { id: Id; slug: string }

/*
 * The differences editions are meant to make. Each test names the one it relies on.
 */

/**
 * REST at depth >= 2 (the default depth): a related question's `article` is `{id, slug, question}`
 * of the public article it links to, taken from the live editions when the edition was written,
 * instead of the whole article read at request time (which would mean one more article read per
 * related question and, for a public reader, Payload's whole operation again).
 */
const DEPTH_2_ANSWER_IS_A_LINK = (doc: Doc): Doc => {
  if (!Array.isArray(doc.relatedQuestions)) return doc
  return {
    ...doc,
    relatedQuestions: doc.relatedQuestions.map((question: Doc) => {
      const answer = question.article as Doc | null
      if (answer === null || typeof answer !== 'object') return question
      return { ...question, article: { id: answer.id, slug: answer.slug, question: answer.question } }
    }),
  }
}

/**
 * Filtering or sorting on article fields outside the public list (rich text, the answers, the
 * linked documents' own fields) is a 400 "cannot be queried": the live editions only have columns
 * for the list fields. Before editions Payload answered these queries.
 */
const QUERIES_OUTSIDE_THE_PUBLIC_LIST: { path: string; legacy: { where?: Where; sort?: string } }[] = [
  { path: '/api/articles?where[plainLanguageAnswer][like]=Ablation', legacy: { where: { plainLanguageAnswer: { like: 'Ablation' } } } },
  { path: '/api/articles?where[references.title][like]=Hepatic', legacy: { where: { 'references.title': { like: 'Hepatic' } } } },
  { path: '/api/articles?where[reviewedBy.name][like]=Kimura', legacy: { where: { 'reviewedBy.name': { like: 'Kimura' } } } },
  { path: '/api/articles?sort=plainLanguageAnswer', legacy: { sort: 'plainLanguageAnswer' } },
  { path: '/api/articles?sort=-references.title', legacy: { sort: '-references.title' } },
]

/**
 * The point of the feature: after approval, a change to a cited reference does not reach readers
 * until a board member approves a revision that includes it. Before editions it showed at once.
 */
const REFERENCES_AS_APPROVED = 'a cited reference reads as it stood at approval'

/**
 * A related question links to its answer if that article was public when the edition was written
 * (issue 11: "the article each one links to, if that article is public at the time"). The legacy
 * read decided at request time, so an answer published or withdrawn after the approval shows up
 * (or goes) there at once, and in the edition only with the next edition.
 */
const ANSWER_LINKS_AS_APPROVED = 'a related question links to its answer as it stood at approval'

/*
 * Lists break ties on the article's creation, newest first, as Payload's SQL adapters did
 * (buildOrderBy appends `-createdAt`): no difference, checked by sorting on `reviewedAt`, which
 * most articles leave empty.
 */

let ctx: TestApp
let admin: Session
let editor: Session
let reviewer: Session
let sharedReferences: Id[]
let relatedQuestions: Id[]
let labels = 0

const expectOk = (res: request.Response, what: string) => {
  expect({ what, status: res.status, errors: res.body?.errors }).toEqual({ what, status: res.status < 300 ? res.status : 200, errors: undefined })
}

const createReference = async (title: string): Promise<Id> => {
  const res = await request(ctx.app)
    .post('/api/references')
    .set(auth(editor))
    .send({ type: 'journal_article', title, authors: 'Okafor S, Kimura R', publisher: 'Journal of Tests', year: 2024, url: 'https://example.org/paper' })
  expectOk(res, `create reference ${title}`)
  return res.body.doc.id as Id
}

const createRelatedQuestion = async (question: string, article?: Id): Promise<Id> => {
  const res = await request(ctx.app).post('/api/related-questions').set(auth(editor)).send({ question, article })
  expectOk(res, `create related question ${question}`)
  return res.body.doc.id as Id
}

/** An article's content: citations in both rich texts, references, related questions, specialties. */
const contentOf = (label: string, references: Id[]) => {
  const resolve = (n: number) => references[(n - 1) % references.length]!
  return {
    question: `${label}: does the edition read as the article did?`,
    bottomLine: citedTextToLexical({ text: `The bottom line for ${label}.`, citations: [1] }, resolve),
    plainLanguageAnswer: `Plain words for ${label}.`,
    body: blocksToLexical(
      [
        { kind: 'heading', level: 2, text: 'Evidence' },
        { kind: 'paragraph', text: 'Both sources agree.', citations: [1, 2] },
        { kind: 'list', items: [{ text: 'A point with a citation', citations: [2] }, { text: 'A point without one', citations: [] }] },
      ],
      resolve,
    ),
    references,
    relatedQuestions,
    specialties: ['Hepatology', label],
  }
}

const createArticle = async (label: string, extra: Doc = {}, references = sharedReferences): Promise<Article> => {
  const res = await request(ctx.app)
    .post('/api/articles?depth=0')
    .set(auth(editor))
    .send({ ...contentOf(label, references), ...extra })
  expectOk(res, `create ${label}`)
  return { id: res.body.doc.id as Id, slug: res.body.doc.slug as string }
}

const patchArticle = async (session: Session, article: Article, data: Doc, what: string, query = '') => {
  const res = await request(ctx.app).patch(`/api/articles/${article.id}?depth=0${query}`).set(auth(session)).send(data)
  expectOk(res, what)
}

/** Each step as the role the workflow gives it to. */
const steps = {
  submit: (article: Article) => patchArticle(editor, article, { reviewStatus: 'submitted' }, 'submit'),
  claim: (article: Article) => patchArticle(reviewer, article, { reviewStatus: 'under_review' }, 'claim'),
  requestChanges: (article: Article) =>
    patchArticle(reviewer, article, { reviewStatus: 'changes_requested', reviewComment: 'Cite the newer trial.' }, 'request changes'),
  approve: (article: Article) => patchArticle(reviewer, article, { reviewStatus: 'approved' }, 'approve'),
  editText: (article: Article) => patchArticle(editor, article, { plainLanguageAnswer: `Revised plain words, ${Date.now()}.` }, 'edit the text'),
  unpublish: (article: Article) => patchArticle(admin, article, { _status: 'draft' }, 'unpublish', '&draft=false'),
}

/* ------------------------------------------------------------------------------------------------
 * The comparison
 */

/** What the legacy code answered for a REST path: status and body. */
const legacyRest = async (mode: PublicVisibility, path: string): Promise<{ status: number; body: unknown }> => {
  const [pathname = '', search = ''] = path.split('?')
  const query = qs.parse(search, { depth: 10, arrayLimit: 1000 }) as Record<string, unknown>
  const depth = query.depth === undefined ? 2 : Number(query.depth)
  const where = query.where as Where | undefined
  const segment = pathname.replace(/^\/api\/articles\/?/, '')
  if (segment === 'count') return { status: 200, body: await legacyCount(ctx.payload, { mode, where }) }
  if (segment !== '') {
    const doc = await legacyFindByID(ctx.payload, { mode, id: segment, depth })
    // Payload's NotFound, as its REST handler rendered it.
    return doc ? { status: 200, body: doc } : { status: 404, body: { errors: [{ message: 'Not Found' }] } }
  }
  const pagination = query.pagination === undefined ? undefined : query.pagination !== 'false'
  const select = query.select ? (Object.fromEntries(Object.entries(query.select as Doc).map(([key, value]) => [key, value === 'true'])) as Doc) : undefined
  const page = await legacyFind(ctx.payload, {
    mode,
    where,
    sort: query.sort as string | undefined,
    depth,
    limit: query.limit === undefined ? 10 : Number(query.limit),
    page: query.page === undefined ? undefined : Number(query.page),
    pagination,
    select,
    api: 'REST',
  })
  return { status: 200, body: page }
}

/** The legacy answer with the intended differences applied. */
const asEditionsServeIt = (path: string, body: unknown): unknown => {
  const depth = Number((qs.parse(path.split('?')[1] ?? '') as { depth?: string }).depth ?? 2)
  if (depth < 2 || body === null || typeof body !== 'object') return body
  const page = body as Partial<LegacyPage> & Doc
  if (Array.isArray(page.docs)) return { ...page, docs: page.docs.map(DEPTH_2_ANSWER_IS_A_LINK) }
  return 'id' in page ? DEPTH_2_ANSWER_IS_A_LINK(page) : body
}

const restPathsFor = (article: Article): string[] => {
  const slug = encodeURIComponent(article.slug)
  return [
    `/api/articles?where[slug][equals]=${slug}&depth=1&limit=1`,
    `/api/articles?where[slug][equals]=${slug}&depth=0&limit=1`,
    `/api/articles?where[slug][equals]=${slug}&depth=2&limit=1`,
    `/api/articles?where[slug][equals]=${slug}`,
    `/api/articles?where[slug][equals]=${slug}&limit=0&depth=1`,
    `/api/articles/${article.id}?depth=1`,
    `/api/articles/${article.id}?depth=0`,
    `/api/articles/${article.id}`,
    `/api/articles/${article.id}?depth=1&draft=true`,
    '/api/articles',
    '/api/articles?sort=-lastUpdated',
    '/api/articles?sort=-lastUpdated&limit=100&depth=1',
    '/api/articles?sort=-lastUpdated&limit=3&page=2&depth=0',
    '/api/articles?sort=reviewedAt&limit=100&depth=0',
    '/api/articles?sort=-lastUpdated&pagination=false&depth=0',
    '/api/articles?sort=-lastUpdated&limit=100&select[question]=true&select[plainLanguageAnswer]=true&select[reviewedBy]=true&select[authors]=true',
    '/api/articles?sort=-lastUpdated&limit=100&depth=1&select[references]=true&select[relatedQuestions]=true',
    `/api/articles?where[reviewStatus][in][0]=submitted&where[reviewStatus][in][1]=under_review&limit=100&depth=1`,
    '/api/articles?where[specialties][in][0]=Hepatology&sort=-lastUpdated&limit=100&depth=0',
    '/api/articles?where[question][like]=edition read&sort=-lastUpdated&limit=100&depth=0',
    `/api/articles?where[id][equals]=${article.id}&depth=1`,
    `/api/articles?where[_status][equals]=draft`,
    '/api/articles/count',
    `/api/articles/count?where[reviewStatus][equals]=approved`,
    `/api/articles/count?where[slug][equals]=${slug}`,
  ]
}

const PUBLIC_FIELDS = `
  id question slug bottomLine plainLanguageAnswer body specialties reviewStatus lastUpdated reviewedAt nextReviewDue createdAt updatedAt _status
  references { id type title authors publisher year doi pmid url }
  relatedQuestions { id question slug article { id slug question } }
  reviewedBy { id name slug credentials specialties }`

const GRAPHQL_QUERY = `query Equivalence($id: Int!, $slug: String!) {
  one: Article(id: $id) { ${PUBLIC_FIELDS} }
  bySlug: Articles(where: { slug: { equals: $slug } }, limit: 1) { totalDocs docs { ${PUBLIC_FIELDS} } }
  list: Articles(sort: "-lastUpdated", limit: 100) { totalDocs docs { ${PUBLIC_FIELDS} } }
  approved: countArticles(where: { reviewStatus: { equals: approved } }) { totalDocs }
  all: countArticles { totalDocs }
}`

const pick = (doc: Doc | null | undefined, keys: string[]): Doc | null => (doc ? Object.fromEntries(keys.map((key) => [key, doc[key] ?? null])) : null)

/** A legacy document (depth 2) as the GraphQL selection above reads it. */
const asGraphQL = (doc: Doc): Doc => ({
  ...pick(doc, ['id', 'question', 'slug', 'bottomLine', 'plainLanguageAnswer', 'body', 'specialties', 'reviewStatus', 'lastUpdated', 'reviewedAt', 'nextReviewDue', 'createdAt', 'updatedAt', '_status']),
  references: Array.isArray(doc.references) ? doc.references.map((reference: Doc) => pick(reference, ['id', 'type', 'title', 'authors', 'publisher', 'year', 'doi', 'pmid', 'url'])) : null,
  relatedQuestions: Array.isArray(doc.relatedQuestions)
    ? doc.relatedQuestions.map((question: Doc) => ({ ...pick(question, ['id', 'question', 'slug']), article: pick(question.article as Doc | null, ['id', 'slug', 'question']) }))
    : null,
  reviewedBy: pick(doc.reviewedBy as Doc | null, ['id', 'name', 'slug', 'credentials', 'specialties']),
})

const legacyGraphQL = async (mode: PublicVisibility, article: Article) => {
  const [one, bySlug, list, approved, all] = await Promise.all([
    legacyFindByID(ctx.payload, { mode, id: article.id, depth: 2 }),
    legacyFind(ctx.payload, { mode, where: { slug: { equals: article.slug } }, limit: 1, depth: 2, api: 'GraphQL' }),
    legacyFind(ctx.payload, { mode, sort: '-lastUpdated', limit: 100, depth: 2, api: 'GraphQL' }),
    legacyCount(ctx.payload, { mode, where: { reviewStatus: { equals: 'approved' } } }),
    legacyCount(ctx.payload, { mode }),
  ])
  return {
    data: {
      one: one ? asGraphQL(one) : null,
      bySlug: { totalDocs: bySlug.totalDocs, docs: bySlug.docs.map(asGraphQL) },
      list: { totalDocs: list.totalDocs, docs: list.docs.map(asGraphQL) },
      approved,
      all,
    },
    // Payload's NotFound for an article the public cannot read.
    errors: one ? [] : ['Not Found'],
  }
}

/** toEqual, with what was compared named above jest's diff (which folds unchanged lines away). */
const expectSame = (what: string, received: unknown, expected: unknown) => {
  try {
    expect(received).toEqual(expected)
  } catch (error) {
    ;(error as Error).message = `${what}\n\n${(error as Error).message}`
    throw error
  }
}

/** Everything the public reads about this article (and the lists it is in) equals the legacy answer. */
const expectEquivalent = async (mode: PublicVisibility, article: Article, state: string) => {
  for (const path of restPathsFor(article)) {
    const [served, legacy] = await Promise.all([request(ctx.app).get(path), legacyRest(mode, path)])
    expectSame(`${mode}, ${state}: GET ${path}`, { status: served.status, body: served.body }, { status: legacy.status, body: asEditionsServeIt(path, legacy.body) })
  }
  const [served, legacy] = await Promise.all([gql(ctx.app, GRAPHQL_QUERY, { id: Number(article.id), slug: article.slug }), legacyGraphQL(mode, article)])
  expectSame(`${mode}, ${state}: GraphQL`, { data: served.data, errors: (served.errors ?? []).map((error) => error.message) }, legacy)
}

/** The comparison is only worth something if the article really is (or is not) public in it. */
const expectPublic = async (mode: PublicVisibility, article: Article, isPublic: boolean, state: string) => {
  const served = await request(ctx.app).get(`/api/articles/${article.id}?depth=0`)
  expect({ mode, state, status: served.status }).toEqual({ mode, state, status: isPublic ? 200 : 404 })
}

beforeAll(async () => {
  ctx = await startTestApp()
  ;[admin, editor, reviewer] = await Promise.all([
    login(ctx.app, 'admin@example.com'),
    login(ctx.app, 'editor@example.com'),
    login(ctx.app, 'reviewer1@example.com'),
  ])
  sharedReferences = [await createReference('A randomised trial of the first kind'), await createReference('A cohort study of the second kind')]
  // The demo article is approved and stays public; the draft is never public: the links to them
  // read the same at every moment, so the editions' snapshot of them equals the legacy read.
  const demo = await request(ctx.app).get('/api/articles?depth=0&limit=1')
  const demoId = demo.body.docs[0].id as Id
  const hidden = await request(ctx.app)
    .post('/api/articles?depth=0')
    .set(auth(editor))
    .send({ question: 'A draft nobody outside may read?', bottomLine: citedTextToLexical({ text: 'Hidden.', citations: [] }, () => 0) })
  expectOk(hidden, 'create the hidden draft')
  relatedQuestions = [
    await createRelatedQuestion('Which question does the demo answer?', demoId),
    await createRelatedQuestion('Which question does the hidden draft answer?', hidden.body.doc.id as Id),
    await createRelatedQuestion('Which question has no answer yet?'),
  ]
})

afterAll(async () => {
  await ctx?.close()
})

const MODES: PublicVisibility[] = ['approved_only', 'pending_with_caution']

/** Under which modes the public reads the article in a state: `both`, `caution` only, or `none`. */
type Visibility = 'both' | 'caution' | 'none'
const isPublicIn = (mode: PublicVisibility, visibility: Visibility): boolean =>
  visibility === 'both' || (visibility === 'caution' && mode === 'pending_with_caution')

type Step = [state: string, step: (article: Article) => Promise<void>, visibility: Visibility]

describe.each(MODES)('in %s mode, the public reads editions exactly as it read articles', (mode) => {
  beforeAll(async () => {
    await setPolicy(ctx.app, admin, { publicVisibility: mode })
  })

  /** Creates an article, runs the steps, and compares after creation and after every step. */
  const walk = async (name: string, path: Step[], { submitted = false } = {}) => {
    labels += 1
    const article = await createArticle(`${mode} ${name} ${labels}`, submitted ? { reviewStatus: 'submitted' } : {})
    const created: Step = submitted ? ['created submitted', async () => {}, 'caution'] : ['draft', async () => {}, 'none']
    for (const [state, step, visibility] of [created, ...path]) {
      await step(article)
      await expectPublic(mode, article, isPublicIn(mode, visibility), state)
      await expectEquivalent(mode, article, state)
    }
  }

  test('draft -> submitted -> under_review -> changes_requested -> resubmitted', async () => {
    await walk('changes requested', [
      ['submitted', steps.submit, 'caution'],
      ['under_review', steps.claim, 'caution'],
      ['changes_requested', steps.requestChanges, 'none'],
      ['resubmitted after changes', steps.submit, 'caution'],
    ])
  })

  test('submitted -> under_review -> approved -> approved with a newer draft -> that draft submitted, claimed and approved', async () => {
    await walk(
      'newer draft',
      [
        ['under_review', steps.claim, 'caution'],
        ['approved', steps.approve, 'both'],
        // approved_only keeps the approved revision public until the newer one is approved.
        ['approved with a newer draft', steps.editText, 'both'],
        ['the newer draft submitted', steps.submit, 'both'],
        ['the newer draft under review', steps.claim, 'both'],
        ['the newer draft approved', steps.approve, 'both'],
      ],
      { submitted: true },
    )
  })

  test('approved -> resubmitted without a text change (approved -> submitted) -> claimed -> approved again', async () => {
    await walk(
      're-review',
      [
        ['under_review', steps.claim, 'caution'],
        ['approved', steps.approve, 'both'],
        ['approved then resubmitted', steps.submit, 'both'],
        ['resubmitted and claimed', steps.claim, 'both'],
        ['approved again', steps.approve, 'both'],
      ],
      { submitted: true },
    )
  })

  test('approved -> unpublished by an admin', async () => {
    await walk(
      'unpublished',
      [
        ['under_review', steps.claim, 'caution'],
        ['approved', steps.approve, 'both'],
        ['unpublished by an admin', steps.unpublish, 'none'],
      ],
      { submitted: true },
    )
  })
})

describe('after switching modes, the articles written under the other mode still read the same', () => {
  test.each(MODES)('back in %s mode', async (mode) => {
    await setPolicy(ctx.app, admin, { publicVisibility: mode })
    const demo = (await request(ctx.app).get('/api/articles?depth=0&limit=1&sort=lastUpdated')).body.docs[0] as Article
    await expectEquivalent(mode, demo, `every article, after switching to ${mode}`)
  })
})

describe('intended differences', () => {
  test('filtering or sorting outside the public list fields is a 400 where Payload answered', async () => {
    for (const { path, legacy } of QUERIES_OUTSIDE_THE_PUBLIC_LIST) {
      const before = await legacyFind(ctx.payload, { mode: 'approved_only', ...legacy, depth: 0, api: 'REST' })
      expect({ path, legacyMatches: before.totalDocs > 0 }).toEqual({ path, legacyMatches: true })
      const res = await request(ctx.app).get(path)
      expect({ path, status: res.status }).toEqual({ path, status: 400 })
      expect(res.body.errors[0].message).toMatch(/cannot be queried/)
    }
  })

  test(`after approval, ${REFERENCES_AS_APPROVED}; the legacy read showed the change at once`, async () => {
    const mode: PublicVisibility = 'approved_only'
    await setPolicy(ctx.app, admin, { publicVisibility: mode })
    const cited = await createReference('A trial that is about to be edited')
    const article = await createArticle(`reference change ${Date.now()}`, { reviewStatus: 'submitted' }, [cited, sharedReferences[0]!])
    await steps.claim(article)
    await steps.approve(article)
    await expectEquivalent(mode, article, 'approved, before the reference changes')

    const paths = [...restPathsFor(article).filter((path) => !path.includes('count')), '/api/graphql']
    const read = async () => {
      const rest = await Promise.all(paths.slice(0, -1).map(async (path) => ({ path, body: (await request(ctx.app).get(path)).body as unknown })))
      const graph = await gql(ctx.app, GRAPHQL_QUERY, { id: Number(article.id), slug: article.slug })
      return [...rest, { path: '/api/graphql', body: graph.data as unknown }]
    }
    const approvedRead = await read()
    const legacyBefore = await legacyFindByID(ctx.payload, { mode, id: article.id, depth: 1 })

    const changed = { title: 'A trial: take ten times the dose', url: 'https://phishing.example/trial', doi: '10.9999/changed.1', authors: 'Nobody N' }
    const patched = await request(ctx.app).patch(`/api/references/${cited}`).set(auth(editor)).send(changed)
    expectOk(patched, 'change the cited reference')

    // The edition: every path reads exactly as approved.
    expect(await read()).toEqual(approvedRead)
    // The legacy read: the same article, with the changed reference in it.
    const legacyAfter = await legacyFindByID(ctx.payload, { mode, id: article.id, depth: 1 })
    const withChangedReference = (doc: Doc) => ({
      ...doc,
      references: (doc.references as Doc[]).map((reference) => (reference.id === cited ? { ...reference, ...changed } : reference)),
    })
    expect(legacyAfter).toEqual(withChangedReference(legacyBefore!))
    expect(legacyAfter).not.toEqual(legacyBefore)
    const served = (await request(ctx.app).get(`/api/articles/${article.id}?depth=1`)).body as Doc
    expect(served).toEqual(legacyBefore)
    expect(JSON.stringify(served)).not.toContain('phishing.example')

    // Re-approval without a text change brings the change to readers: equal to the legacy read again.
    await steps.submit(article)
    await steps.claim(article)
    await steps.approve(article)
    await expectEquivalent(mode, article, 're-approved with the changed reference')
    expect(((await request(ctx.app).get(`/api/articles/${article.id}?depth=1`)).body as Doc).references).toEqual(legacyAfter!.references)
  })
})

describe('sorting on reviewStatus', () => {
  test('orders the public list as before editions (PostgreSQL: workflow order of its enum; SQLite: text)', async () => {
    const mode: PublicVisibility = 'pending_with_caution'
    await setPolicy(ctx.app, admin, { publicVisibility: mode })
    labels += 1
    // Public in caution mode in three states, beside the approved ones.
    const submitted = await createArticle(`sorted submitted ${labels}`, { reviewStatus: 'submitted' })
    const underReview = await createArticle(`sorted under review ${labels}`, { reviewStatus: 'submitted' })
    await steps.claim(underReview)
    await expectPublic(mode, submitted, true, 'submitted')
    for (const path of ['/api/articles?sort=reviewStatus&limit=100&depth=0', '/api/articles?sort=-reviewStatus&limit=100&depth=0']) {
      const [served, legacy] = await Promise.all([request(ctx.app).get(path), legacyRest(mode, path)])
      const statuses = (body: unknown) => (body as LegacyPage).docs.map((doc) => `${String(doc.reviewStatus)} ${String(doc.id)}`)
      expectSame(`GET ${path}`, statuses(served.body), statuses(legacy.body))
    }
  })
})

describe('related questions link to public answers', () => {
  /** The `article` of one related question in the public read at depth 1, edition and legacy. */
  const linkShown = async (mode: PublicVisibility, article: Article, relatedQuestion: Id) => {
    const served = (await request(ctx.app).get(`/api/articles/${article.id}?depth=1`)).body as { relatedQuestions: Doc[] }
    const legacy = (await legacyFindByID(ctx.payload, { mode, id: article.id, depth: 1 })) as { relatedQuestions: Doc[] }
    const of = (doc: { relatedQuestions: Doc[] }) => doc.relatedQuestions.find((question) => question.id === relatedQuestion)?.article
    return { edition: of(served), legacy: of(legacy) }
  }

  test(`${ANSWER_LINKS_AS_APPROVED}: an answer published or withdrawn after the approval changes only the legacy read`, async () => {
    const mode: PublicVisibility = 'approved_only'
    await setPolicy(ctx.app, admin, { publicVisibility: mode })
    labels += 1
    const later = await createArticle(`answer published later ${labels}`, { reviewStatus: 'submitted' })
    const withdrawn = await createArticle(`answer withdrawn later ${labels}`, { reviewStatus: 'submitted' })
    await steps.claim(withdrawn)
    await steps.approve(withdrawn)
    const toLater = await createRelatedQuestion(`Which question is answered later, ${labels}?`, later.id)
    const toWithdrawn = await createRelatedQuestion(`Which question loses its answer, ${labels}?`, withdrawn.id)
    const article = await createArticle(`links at approval ${labels}`, { reviewStatus: 'submitted', relatedQuestions: [toLater, toWithdrawn] })
    await steps.claim(article)
    await steps.approve(article)
    await expectEquivalent(mode, article, 'approved, links as they stand')
    expect(await linkShown(mode, article, toLater)).toEqual({ edition: null, legacy: null })
    expect(await linkShown(mode, article, toWithdrawn)).toEqual({ edition: withdrawn.id, legacy: withdrawn.id })

    await steps.claim(later)
    await steps.approve(later)
    await steps.unpublish(withdrawn)
    expect(await linkShown(mode, article, toLater)).toEqual({ edition: null, legacy: later.id })
    expect(await linkShown(mode, article, toWithdrawn)).toEqual({ edition: withdrawn.id, legacy: null })

    // The next edition takes the links as they stand then.
    await steps.submit(article)
    await steps.claim(article)
    await steps.approve(article)
    await expectEquivalent(mode, article, 're-approved, links as they stand')
  })

  test('an answer that only caution mode made public is not linked from an edition written under approved_only', async () => {
    await setPolicy(ctx.app, admin, { publicVisibility: 'pending_with_caution' })
    labels += 1
    const pending = await createArticle(`answer public only with caution ${labels}`, { reviewStatus: 'submitted' })
    await expectPublic('pending_with_caution', pending, true, 'submitted under caution mode')
    const toPending = await createRelatedQuestion(`Which question has a pending answer, ${labels}?`, pending.id)

    const mode: PublicVisibility = 'approved_only'
    await setPolicy(ctx.app, admin, { publicVisibility: mode })
    await expectPublic(mode, pending, false, 'submitted, after switching to approved_only')
    const article = await createArticle(`links to a pending answer ${labels}`, { reviewStatus: 'submitted', relatedQuestions: [toPending] })
    await steps.claim(article)
    await steps.approve(article)
    expect(await linkShown(mode, article, toPending)).toEqual({ edition: null, legacy: null })
    await expectEquivalent(mode, article, 'approved under approved_only, linking to an answer public only with caution')
  })
})
