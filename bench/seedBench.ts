/**
 * Builds the benchmark database: the demo content, then `BENCH_ARTICLES` approved, published
 * articles shaped like the demo article (each with five references: the demo's three and two from a
 * shared pool of 600; four related questions from a pool of 600; the demo's reviewer). The demo content goes through the
 * workflow; the bulk rows are written with the database adapter directly (no hooks), inside
 * transactions, because 10,000 trips through the review workflow would take minutes and measure
 * nothing the benchmark is about. Then every one of them gets its edition and public copy from
 * `backfillEditions`, the code the migration runs for databases from before editions: the public
 * reads only editions. Usage: DATABASE_URL=file:… BENCH_ARTICLES=10000 tsx bench/seedBench.ts
 */
import { commitTransaction, createLocalReq, getPayload, initTransaction, type Payload, type PayloadRequest } from 'payload'

import { seed } from '../seeds/seed'
import { applyMigrations } from '../src/db/migrations'
import { backfillEditions } from '../src/delivery/backfill'
import { normalizeQuestion, slugify } from '../src/rules/text'
import { checkConfiguration } from '../src/server/platform'

const TOPICS = [
  'ablation',
  'radiotherapy',
  'anticoagulation',
  'statin therapy',
  'screening colonoscopy',
  'metformin',
  'beta blockers',
  'early mobilisation',
  'antibiotic prophylaxis',
  'watchful waiting',
]
const CONDITIONS = [
  'liver metastases',
  'atrial fibrillation',
  'type 2 diabetes',
  'heart failure',
  'chronic kidney disease',
  'community-acquired pneumonia',
  'hip fracture',
  'asthma',
  'migraine',
  'osteoporosis',
]
const QUALIFIERS = ['in older adults', 'after surgery', 'in pregnancy', 'in primary care', 'as first-line treatment']

const questionFor = (n: number) =>
  `Is ${TOPICS[n % TOPICS.length]} effective for ${CONDITIONS[Math.floor(n / TOPICS.length) % CONDITIONS.length]} ${
    QUALIFIERS[Math.floor(n / 100) % QUALIFIERS.length]
  }?`
const slugFor = (text: string, n: number) => `${slugify(text, 80)}-${n}`

const BATCH = 500

const inTransaction = async (payload: Payload, work: (req: PayloadRequest) => Promise<void>) => {
  const req = await createLocalReq({}, payload)
  await initTransaction(req)
  await work(req)
  await commitTransaction(req)
}

/** The bulk articles, from number `first` on, written with the adapter (no hooks). */
const writeArticles = async (payload: Payload, from: number, count: number) => {
  const { docs } = await payload.find({ collection: 'articles', limit: 1, depth: 0, overrideAccess: true, where: { reviewStatus: { equals: 'approved' } } })
  const demo = docs[0]
  if (!demo) throw new Error('the demo article is missing')

  const referenceIds: number[] = []
  const relatedIds: number[] = []
  await inTransaction(payload, async (req) => {
    for (let n = 0; n < 600; n++) {
      const reference = await payload.db.create({
        collection: 'references',
        data: {
          type: n % 3 === 0 ? 'systematic_review' : 'journal_article',
          title: `Outcomes of ${questionFor(n * 7).slice(3, -1).toLowerCase()}: a cohort of ${100 + n} patients`,
          authors: `Author ${n} et al.`,
          publisher: `Journal of Clinical Evidence ${n % 40}`,
          year: 1995 + (n % 30),
          doi: `10.5555/bench.${n}`,
          pmid: String(30_000_000 + n),
        },
        req,
      })
      referenceIds.push(reference.id as number)
    }
    for (let n = 0; n < 600; n++) {
      const question = `What should patients know about ${questionFor(n * 13).slice(3, -1).toLowerCase()} (${n})?`
      const related = await payload.db.create({
        collection: 'related-questions',
        data: { question, slug: slugFor(question, n), normalizedQuestion: normalizeQuestion(question) },
        req,
      })
      relatedIds.push(related.id as number)
    }
  })

  const reviewedAt = '2026-01-01T00:00:00.000Z'
  for (let first = from; first <= count; first += BATCH) {
    await inTransaction(payload, async (req) => {
      for (let n = first; n < Math.min(first + BATCH, count + 1); n++) {
        const question = questionFor(n)
        const at = new Date(Date.parse('2025-01-01T00:00:00Z') + n * 60_000).toISOString()
        const pick = (ids: number[], k: number) => Array.from({ length: k }, (_, i) => ids[(n * 31 + i * 7) % ids.length]!)
        const data = {
          ...demo,
          id: undefined,
          question,
          slug: slugFor(question, n),
          plainLanguageAnswer: `${demo.plainLanguageAnswer ?? ''} (${n})`,
          // The demo body cites the demo references, so they come first; then two from the pool.
          references: [...(demo.references ?? []), ...pick(referenceIds, 2)],
          relatedQuestions: pick(relatedIds, 4),
          specialties: [CONDITIONS[n % CONDITIONS.length]!],
          assignedReviewer: demo.assignedReviewer,
          reviewedBy: demo.reviewedBy,
          reviewedAt,
          lastUpdated: at,
          nextReviewDue: new Date(Date.parse(reviewedAt) + 365 * 86_400_000).toISOString(),
          approvals: [],
          _status: 'published',
          reviewStatus: 'approved',
          createdAt: at,
          updatedAt: at,
        }
        const article = await payload.db.create({ collection: 'articles', data, req })
        await payload.db.createVersion({
          autosave: false,
          collectionSlug: 'articles',
          createdAt: at,
          updatedAt: at,
          parent: article.id,
          versionData: { ...data, id: article.id },
          req,
          returning: false,
        })
      }
    })
  }
}

const main = async () => {
  const target = checkConfiguration()
  const count = Number(process.env.BENCH_ARTICLES ?? 10_000)
  const { default: config } = await import('../src/payload.config')
  const payload = await getPayload({ config })
  try {
    await applyMigrations(payload, target.kind)
    await seed(payload, { demo: true, password: process.env.DEMO_PASSWORD })

    const existing = await payload.count({ collection: 'articles', overrideAccess: true })
    const started = Date.now()
    if (existing.totalDocs > count) console.log(`bench database already holds ${existing.totalDocs} articles`)
    else await writeArticles(payload, existing.totalDocs, count)
    const written = Date.now()
    let editions = 0
    await inTransaction(payload, async (req) => {
      editions = await backfillEditions(payload, req)
    })
    // Fold the write-ahead log into the file now: otherwise the run's first write (a sign-in) would
    // copy hundreds of megabytes back in the middle of a measurement.
    await (payload.db as unknown as { client: { execute: (sql: string) => Promise<unknown> } }).client.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    const total = await payload.count({ collection: 'articles', overrideAccess: true })
    const live = await payload.count({ collection: 'live-editions', overrideAccess: true })
    console.log(
      `bench database: ${total.totalDocs} articles (${((written - started) / 1000).toFixed(1)} s to write), ${editions} editions written (${((Date.now() - written) / 1000).toFixed(1)} s), ${live.totalDocs} public`,
    )
  } finally {
    await payload.destroy()
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench seed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
    process.exit(1)
  },
)
