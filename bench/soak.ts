/**
 * `npm run soak`: two replicas of the production server on one PostgreSQL database, driven for
 * SOAK_SECONDS (600) by a mixed load spread over both: anonymous reads (an article by slug, the
 * newest-first list, GraphQL) and the review workflow (the editor creates, edits and submits; the
 * two reviewers claim, request changes and approve; the admin sometimes edits an article under
 * review). Every SOAK_REPORT_SECONDS (30) the writers pause, the workflow's invariants are checked
 * in the database (bench/workflowInvariants.ts), and one line reports throughput, p99, errors,
 * violations and each replica's RSS (VmRSS right after a full GC, asked for through the replica's
 * loopback inspector, with its JavaScript heap and the RSS sampled over the window). Exits 1 on any
 * 5xx, unexpected status or failed request, any violation, or RSS growth of 10% or more after
 * warm-up. Writes SOAK_RESULTS (test-results/soak.json).
 *
 * PostgreSQL: an embedded server of its own, or a fresh database on SOAK_POSTGRES_URL.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import type { Payload } from 'payload'

import { EditionLedger } from '../tests/support/editionInvariants'
import { startEmbeddedPostgres, type RunningPostgres } from '../tests/support/embeddedPostgres'
import { stopServer } from '../tests/support/spawnServer'
import { collectGarbage, startInspectedServer, type InspectedServer } from './inspectedServer'
import { migrateDatabase, openLocalPayload } from './localPayload'
import { checkWorkflowInvariants, countByKind, type Id, type Violation, type WriteKind, type WriteOp } from './workflowInvariants'
import { call, newestVersionId, percentile, pick, readPublicArticle, rssMiB, sendWrite, signIn, sleep, type Answer, type Session } from './workflowLoad'

const ROOT = path.resolve(import.meta.dirname, '..')
const SECONDS = Number(process.env.SOAK_SECONDS ?? 600)
const REPORT_SECONDS = Number(process.env.SOAK_REPORT_SECONDS ?? 30)
const READERS = Number(process.env.SOAK_READERS ?? 16)
const WRITERS = Number(process.env.SOAK_WRITERS ?? 4)
/** Articles in the workflow at once: few, so that writers often meet on the same one. */
const ACTIVE_ARTICLES = Number(process.env.SOAK_ACTIVE_ARTICLES ?? 4)
const RESULTS_FILE = path.resolve(ROOT, process.env.SOAK_RESULTS ?? 'test-results/soak.json')
const VISIBILITY = process.env.SOAK_PUBLIC_VISIBILITY === 'pending_with_caution' ? 'pending_with_caution' : 'approved_only'
const PASSWORD = 'soak-demo-password'
const SECRET = randomBytes(32).toString('hex')
const RSS_GROWTH_LIMIT = 0.1
const WARM_UP_SECONDS = 60

const log = (line: string) => process.stdout.write(`${line}\n`)

type Replica = { name: string; server: InspectedServer }
type Outcome = 'ok' | 'refused' | 'server_error' | 'unexpected' | 'failed'
type Window = { latencies: number[]; counts: Record<Outcome, number>; reads: number; writes: number; cacheHits: number; rss: Record<string, number[]> }
type Report = {
  elapsedSeconds: number
  requestsPerSecond: number
  readsPerSecond: number
  writesPerSecond: number
  p99Ms: number
  serverErrors: number
  unexpected: number
  failed: number
  violations: number
  checkMs: number
  /** Right after a full GC (asked through the replica's inspector): what the process keeps. */
  rssMiB: Record<string, number | null>
  heapMiB: Record<string, number | null>
  /** Median of one sample a second over the report's window, garbage included. */
  rssSampledMiB: Record<string, number | null>
}

const emptyWindow = (): Window => ({ latencies: [], counts: { ok: 0, refused: 0, server_error: 0, unexpected: 0, failed: 0 }, reads: 0, writes: 0, cacheHits: 0, rss: {} })

const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** What went wrong, by kind, with a few examples each: read by the summary. */
const problems = new Map<string, { count: number; examples: string[] }>()
const note = (kind: string, example: string) => {
  const entry = problems.get(kind) ?? { count: 0, examples: [] }
  entry.count++
  if (entry.examples.length < 5) entry.examples.push(example)
  problems.set(kind, entry)
}

const main = async () => {
  const started = Date.now()
  let embedded: RunningPostgres | undefined
  let adminUrl = process.env.SOAK_POSTGRES_URL
  if (!adminUrl) {
    log('Starting an embedded PostgreSQL…')
    embedded = await startEmbeddedPostgres()
    adminUrl = embedded.url
  }
  const databaseName = `vetted_soak_${randomBytes(5).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${databaseName}"`)
  await admin.end()
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).href

  const replicas: Replica[] = []
  let payload: Payload | undefined
  const cleanUp = async () => {
    await Promise.all(replicas.map(({ server }) => stopServer(server)))
    await payload?.destroy().catch(() => undefined)
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    await client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`).catch(() => undefined)
    await client.end()
    await embedded?.stop()
  }
  process.once('exit', () => replicas.forEach(({ server }) => server.child.kill('SIGKILL')))
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)))

  try {
    payload = await openLocalPayload(databaseUrl, SECRET)
    await migrateDatabase(payload, 'postgres')
    log(`Database ${databaseName} migrated (${Math.round((Date.now() - started) / 1000)} s)`)
    const env = { NODE_ENV: 'production', DATABASE_URL: databaseUrl, PAYLOAD_SECRET: SECRET, SEED_DEMO: 'true', DEMO_PASSWORD: PASSWORD, ADMIN_UI: 'false' }
    for (const name of ['A', 'B']) {
      const server = await startInspectedServer(env)
      replicas.push({ name, server })
      log(`Replica ${name} ready at ${server.url} (pid ${server.child.pid})`)
    }
    const result = await soak(payload, replicas)
    writeResults(result)
    return result.passed
  } finally {
    await cleanUp()
  }
}

type SoakResult = ReturnType<typeof summarise>

const soak = async (payload: Payload, replicas: Replica[]) => {
  const bases = replicas.map(({ server }) => server.url)
  const [editor, adminUser, reviewer1, reviewer2] = await Promise.all(
    ['editor@example.com', 'admin@example.com', 'reviewer1@example.com', 'reviewer2@example.com'].map((email, index) => signIn(bases[index % bases.length]!, email, PASSWORD)),
  )
  const reviewers = [reviewer1!, reviewer2!]
  if (VISIBILITY !== 'approved_only') {
    const answer = await call(bases[0]!, 'POST', '/api/globals/editorial-policy', { session: adminUser, body: { publicVisibility: VISIBILITY } })
    if (answer.status !== 200) throw new Error(`could not set the policy: ${answer.status}`)
  }

  const ops: WriteOp[] = []
  const touched = new Set<string>()
  const active: Id[] = []
  const publicSlugs = new Set<string>()
  const violations = new Map<string, Violation>()
  const editions = new EditionLedger()
  // The last check covers every article, so its count is the run's.
  let noOps = { count: 0, examples: [] as string[] }
  let window = emptyWindow()
  const allLatencies: number[] = []
  const totals = emptyWindow()
  let opCounter = 0
  let stopped = false
  let paused: Promise<void> | null = null
  let writesInFlight = 0
  const t0 = performance.now()

  const account = (label: string, answer: Answer, expected: readonly number[], kind: 'read' | 'write') => {
    let outcome: Outcome
    if (answer.status === undefined) outcome = 'failed'
    else if (answer.status >= 500) outcome = 'server_error'
    else if (answer.status < 300 && expected.includes(answer.status)) outcome = 'ok'
    else if (expected.includes(answer.status)) outcome = 'refused'
    else outcome = 'unexpected'
    for (const target of [window, totals]) {
      target.counts[outcome]++
      target[kind === 'read' ? 'reads' : 'writes']++
      if (answer.cache === 'hit') target.cacheHits++
    }
    window.latencies.push(answer.ms)
    if (outcome === 'server_error' || outcome === 'unexpected' || outcome === 'failed') {
      const errors = answer.body?.errors as { message?: string }[] | undefined
      note(`${outcome}: ${label} ${answer.status ?? answer.error}`, `${label}: ${answer.status ?? answer.error} ${errors?.[0]?.message ?? ''}`.trim())
    }
  }

  // Anonymous readers: by slug (REST, depth 1), the newest 20, GraphQL by slug.
  const readOnce = async () => {
    const base = pick(bases)
    const slug = publicSlugs.size > 0 ? pick([...publicSlugs]) : undefined
    const roll = Math.random()
    if (roll < 0.4 && slug) {
      account('read by slug', await call(base, 'GET', `/api/articles?where[slug][equals]=${encodeURIComponent(slug)}&depth=1&limit=1`), [200], 'read')
    } else if (roll < 0.7 && slug) {
      const query = 'query BySlug($slug: String) { Articles(where: { slug: { equals: $slug } }, limit: 1) { docs { id question slug bottomLine reviewStatus references { id title } } } }'
      account('GraphQL by slug', await call(base, 'POST', '/api/graphql', { body: { query, variables: { slug } } }), [200], 'read')
    } else {
      const answer = await call(base, 'GET', `/api/articles?limit=20&sort=-lastUpdated&depth=0&page=${1 + Math.floor(Math.random() * 2)}`)
      account('list', answer, [200], 'read')
      for (const doc of (answer.body?.docs as { slug?: string }[] | undefined) ?? []) if (doc.slug) publicSlugs.add(doc.slug)
    }
  }

  const WRITE_STATUSES = [200, 201, 400, 403, 409]
  const write = async (kind: WriteKind, session: Session, article?: Id, extra: { requested?: string; basedOnVersion?: string } = {}) => {
    opCounter += 1
    const op = await sendWrite(pick(bases), { kind, token: `#op-s${opCounter}#`, session, article, ...extra }, (sent) => ops.push(sent))
    const answer: Answer = { status: op.status, body: op.message ? { errors: [{ message: op.message }] } : null, ms: (op.doneAt ?? op.sentAt) - op.sentAt }
    account(`${kind}${extra.requested ? `+${extra.requested}` : ''}`, answer, WRITE_STATUSES, 'write')
    if (op.article !== undefined) touched.add(String(op.article))
    return op
  }

  // One workflow step on one article, chosen from its state as the staff read it just now.
  const writeOnce = async () => {
    if (active.length < ACTIVE_ARTICLES) {
      const op = await write('create', editor!, undefined, { requested: Math.random() < 0.5 ? 'submitted' : 'draft' })
      if (op.article !== undefined && op.status === 201) active.push(op.article)
      return
    }
    const article = pick(active)
    const base = pick(bases)
    const stateRead = await call(base, 'GET', `/api/articles/${article}?draft=true&depth=0`, { session: adminUser })
    account('staff read', stateRead, [200], 'read')
    if (stateRead.status !== 200 || !stateRead.body) return
    const status = stateRead.body.reviewStatus as string
    const assigned = stateRead.body.assignedReviewer as Id | null
    const roll = Math.random()
    switch (status) {
      case 'draft':
        if (roll < 0.4) await write('edit', editor!, article)
        else await write('submit', editor!, article)
        return
      case 'changes_requested':
        if (roll < 0.5) await write('edit', editor!, article, { requested: 'submitted' })
        else if (roll < 0.8) await write('edit', editor!, article)
        else await write('submit', editor!, article)
        return
      case 'submitted':
        if (roll < 0.75) await write('claim', pick(reviewers), article)
        else await write('edit', editor!, article)
        return
      case 'under_review': {
        const assignee = reviewers.find((reviewer) => String(reviewer.profileId) === String(assigned)) ?? pick(reviewers)
        if (roll < 0.55) {
          const basedOnVersion = await newestVersionId(base, assignee, article)
          await write('approve', assignee, article, { basedOnVersion })
        } else if (roll < 0.8) await write('request_changes', assignee, article)
        else if (roll < 0.9) await write('edit', adminUser!, article)
        else await write('edit', editor!, article)
        return
      }
      case 'approved':
        if (roll < 0.3) await write('edit', editor!, article)
        else if (active.includes(article)) active.splice(active.indexOf(article), 1)
        return
    }
  }

  const reader = async () => {
    while (!stopped) await readOnce()
  }
  const writer = async () => {
    while (!stopped) {
      if (paused) {
        await paused
        continue
      }
      writesInFlight++
      try {
        await writeOnce()
      } finally {
        writesInFlight--
      }
    }
  }

  const check = async (articles?: Id[]) => {
    const checkStarted = performance.now()
    const result = await checkWorkflowInvariants({
      payload,
      ops,
      articles,
      publicVisibility: VISIBILITY,
      editions,
      readPublic: (article) => readPublicArticle(pick(bases), article),
    })
    for (const violation of result.violations) violations.set(`${violation.kind}|${String(violation.article)}|${violation.detail}`, violation)
    noOps = { count: result.noOpAcknowledgements, examples: result.noOpExamples }
    return { ms: Math.round(performance.now() - checkStarted), articles: result.articles }
  }

  /** Writers finish what they started and wait; readers go on. */
  const pauseWriters = async () => {
    let resume!: () => void
    paused = new Promise<void>((resolve) => (resume = resolve))
    while (writesInFlight > 0) await sleep(10)
    return () => {
      paused = null
      resume()
    }
  }

  // Between major GCs RSS carries garbage (it swung by 200 MiB over a flat live heap): sampled
  // once a second for the record, and measured for the verdict right after a forced full GC.
  const sampleRss = setInterval(() => {
    for (const { name, server } of replicas) {
      const rss = rssMiB(server.child.pid)
      if (rss !== null) (window.rss[name] ??= []).push(rss)
    }
  }, 1000)
  const loops = [...Array.from({ length: READERS }, reader), ...Array.from({ length: WRITERS }, writer)]
  const reports: Report[] = []
  let previousAt = 0
  for (let at = Math.min(REPORT_SECONDS, SECONDS); ; at = Math.min(at + REPORT_SECONDS, SECONDS)) {
    await sleep(Math.max(0, at * 1000 - (performance.now() - t0)))
    const last = at >= SECONDS
    const windowSeconds = (performance.now() - t0) / 1000 - previousAt
    previousAt += windowSeconds
    const finished = window
    window = emptyWindow()
    let checked: { ms: number; articles: number }
    if (last) {
      stopped = true
      await Promise.all(loops)
      checked = await check()
    } else {
      const resume = await pauseWriters()
      const articles = [...touched]
      touched.clear()
      checked = await check(articles)
      resume()
    }
    const heapMiB: Record<string, number | null> = {}
    const rssAfterGc: Record<string, number | null> = {}
    for (const { name, server } of replicas) {
      heapMiB[name] = await collectGarbage(server.inspector)
      rssAfterGc[name] = rssMiB(server.child.pid)
    }
    allLatencies.push(...finished.latencies)
    const sorted = finished.latencies.sort((a, b) => a - b)
    const total = finished.reads + finished.writes
    const report: Report = {
      elapsedSeconds: Math.round(at),
      requestsPerSecond: Math.round(total / windowSeconds),
      readsPerSecond: Math.round(finished.reads / windowSeconds),
      writesPerSecond: Math.round((finished.writes / windowSeconds) * 10) / 10,
      p99Ms: Math.round(percentile(sorted, 99)),
      serverErrors: totals.counts.server_error,
      unexpected: totals.counts.unexpected,
      failed: totals.counts.failed,
      violations: violations.size,
      checkMs: checked.ms,
      rssMiB: rssAfterGc,
      heapMiB,
      rssSampledMiB: Object.fromEntries(replicas.map(({ name }) => [name, median(finished.rss[name] ?? [])])),
    }
    reports.push(report)
    log(
      `[${String(report.elapsedSeconds).padStart(4)} s] ${String(report.requestsPerSecond).padStart(5)} req/s (reads ${report.readsPerSecond}, writes ${report.writesPerSecond})  p99 ${report.p99Ms} ms` +
        `  5xx ${report.serverErrors}  unexpected ${report.unexpected}  failed ${report.failed}  violations ${report.violations}` +
        `  RSS after GC ${replicas.map(({ name }) => `${name} ${report.rssMiB[name] ?? '?'} MiB (heap ${report.heapMiB[name] ?? '?'}, ${report.rssSampledMiB[name] ?? '?'} before)`).join(', ')}` +
        `  (checked ${checked.articles} articles in ${checked.ms} ms)`,
    )
    if (last) break
  }
  clearInterval(sampleRss)

  return summarise({ reports, totals, allLatencies, ops, violations: [...violations.values()], noOps, replicas: replicas.map(({ name }) => name) })
}

const summarise = ({
  reports,
  totals,
  allLatencies,
  ops,
  violations,
  noOps,
  replicas,
}: {
  reports: Report[]
  totals: Window
  allLatencies: number[]
  ops: WriteOp[]
  violations: Violation[]
  noOps: { count: number; examples: string[] }
  replicas: string[]
}) => {
  const last = reports.at(-1)!
  // Warm-up: the first report after 60 s, unless that is the last one (short runs: the first report).
  const afterWarmUp = reports.find((report) => report.elapsedSeconds >= WARM_UP_SECONDS)
  const baseline = afterWarmUp && afterWarmUp !== last ? afterWarmUp : reports[0]!
  const rssGrowth = Object.fromEntries(
    replicas.map((name) => {
      const from = baseline.rssMiB[name]
      const to = last.rssMiB[name]
      const heap = [baseline.heapMiB[name], last.heapMiB[name]]
      return [name, { fromMiB: from, toMiB: to, heapMiB: heap, atSeconds: [baseline.elapsedSeconds, last.elapsedSeconds], growth: from && to ? Math.round(((to - from) / from) * 1000) / 1000 : null }]
    }),
  )
  const sorted = allLatencies.sort((a, b) => a - b)
  const seconds = last.elapsedSeconds
  const requests = totals.reads + totals.writes
  const byKind = ops.reduce<Record<string, Record<string, number>>>((counts, op) => {
    const kind = (counts[op.kind] ??= {})
    const status = String(op.status ?? 'none')
    kind[status] = (kind[status] ?? 0) + 1
    return counts
  }, {})
  const rssFailed = Object.values(rssGrowth).some(({ growth }) => growth === null || growth >= RSS_GROWTH_LIMIT)
  const passed = totals.counts.server_error === 0 && totals.counts.failed === 0 && totals.counts.unexpected === 0 && violations.length === 0 && !rssFailed

  log('')
  log(`Soak: ${seconds} s, two replicas on PostgreSQL, ${READERS} readers + ${WRITERS} writers, policy ${VISIBILITY}`)
  log(`  requests      ${requests} (${Math.round(requests / seconds)} req/s): ${totals.reads} reads, ${totals.writes} writes; p50 ${Math.round(percentile(sorted, 50))} ms, p99 ${Math.round(percentile(sorted, 99))} ms`)
  log(`  cache         ${totals.cacheHits} of ${totals.reads} reads answered from a replica's response cache (${((totals.cacheHits / Math.max(1, totals.reads)) * 100).toFixed(1)}%); every workflow write clears both caches`)
  log(`  outcomes      ${totals.counts.ok} ok, ${totals.counts.refused} refused by the workflow (400/403/409), ${totals.counts.server_error} 5xx, ${totals.counts.unexpected} unexpected, ${totals.counts.failed} failed (no answer)`)
  log(`  workflow      ${Object.entries(byKind).map(([kind, statuses]) => `${kind} ${Object.entries(statuses).map(([status, n]) => `${n}×${status}`).join('/')}`).join(', ')}`)
  log(`                ${noOps.count} 2xx answers to a transition the article had already made (no event)${noOps.examples[0] ? `, e.g. ${noOps.examples[0]}` : ''}`)
  log(`  violations    ${violations.length}${violations.length ? `: ${JSON.stringify(countByKind(violations))}` : ''}`)
  for (const violation of violations.slice(0, 15)) log(`    article ${String(violation.article)}: ${violation.kind}: ${violation.detail}`)
  for (const [kind, { count, examples }] of problems) log(`  error         ${count}× ${kind} (e.g. ${examples[0]})`)
  log(
    `  RSS after GC  ${Object.entries(rssGrowth)
      .map(([name, { fromMiB, toMiB, heapMiB, atSeconds, growth }]) => `${name} ${fromMiB} → ${toMiB} MiB (${atSeconds[0]} s → ${atSeconds[1]} s, ${growth === null ? '?' : `${(growth * 100).toFixed(1)}%`}; heap ${heapMiB[0]} → ${heapMiB[1]} MiB)`)
      .join(', ')}; limit ${RSS_GROWTH_LIMIT * 100}%`,
  )
  log(passed ? 'Soak passed.' : 'Soak FAILED.')
  return {
    date: new Date().toISOString(),
    passed,
    seconds,
    readers: READERS,
    writers: WRITERS,
    publicVisibility: VISIBILITY,
    requests,
    requestsPerSecond: Math.round(requests / seconds),
    latencyP50Ms: Math.round(percentile(sorted, 50)),
    latencyP99Ms: Math.round(percentile(sorted, 99)),
    outcomes: totals.counts,
    reads: totals.reads,
    cacheHits: totals.cacheHits,
    writes: totals.writes,
    workflowWrites: byKind,
    noOpAcknowledgements: noOps,
    violations: { total: violations.length, byKind: countByKind(violations), examples: violations.slice(0, 50) },
    errors: Object.fromEntries(problems),
    rssGrowth,
    rssGrowthLimit: RSS_GROWTH_LIMIT,
    reports,
  }
}

const writeResults = (result: SoakResult) => {
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true })
  writeFileSync(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`)
  log(`Results written to ${path.relative(ROOT, RESULTS_FILE)}`)
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (err: unknown) => {
    process.stderr.write(`soak: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  },
)
