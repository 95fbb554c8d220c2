/**
 * `npm run bench`: read throughput of the public API and site against the machine's own limit.
 *
 * One run measures, side by side and with the same load generator:
 *   bare      a bare Node `http` server returning the platform's bytes from memory (the limit)
 *   cached    the platform (production build, SQLite) with its response cache
 *   uncached  the same platform with RESPONSE_CACHE=off: every read goes to the live editions
 * for an article by slug (REST, depth 1), the same article via GraphQL, the newest-first list
 * (limit 20) and the public article page, on a database of BENCH_ARTICLES (10,000) articles, each
 * with its edition. Bare alternates with cached for every request, and with uncached for the
 * article by slug (the issue's 5%-of-bare target).
 *
 * While editors work: the cached article by slug again, in rounds that alternate idle with rounds
 * in which an editor saves a draft of another article every 2 s and, once per round, a second
 * article is approved (a new edition: the public changes) or sent back for re-review (target: 90%
 * of idle). Then, under load on the cached platform, it approves a new revision and unpublishes
 * the article and checks that no response served afterwards is stale. Prints a table and writes
 * bench/results.json. BENCH_CPU_PROFILE=1 adds a CPU profile of the uncached by-slug load.
 *
 * Two requests are measured bare and uncached only: an article by id at depth 0 (the live edition
 * reshaped to ids) and a reviewer profile by id (Payload's own REST operation on one small row: what
 * an uncached read cost before editions, at the least).
 */
import autocannon from 'autocannon'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { monotonicMicros, printProfile, summariseProfile, type Window } from './cpuProfile'

const ROOT = path.resolve(import.meta.dirname, '..')
const DATA_DIR = path.join(ROOT, 'bench/.data')
const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 10_000)
/**
 * The database is named after the newest migration it was built with, so one from an older schema
 * (before editions, say: the public would read nothing) is never reused. Older ones are removed.
 */
const newestMigration = () =>
  readdirSync(path.join(ROOT, 'migrations/sqlite'))
    .filter((name) => /^\d{8}_\d{6}_\w+\.ts$/.test(name))
    .sort()
    .at(-1)
    ?.replace(/\.ts$/, '') ?? 'none'
const DATABASE_NAME = `bench-${ARTICLES}-${newestMigration()}.db`
const DATABASE_FILE = process.env.BENCH_DATABASE ?? path.join(DATA_DIR, DATABASE_NAME)
/** Each run works on a copy: its approvals and unpublishing must not change the next run's data. */
const RUN_FILE = path.join(DATA_DIR, 'run.db')
const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
/** Bare and cached are measured in alternating rounds and the median kept: this VM's figures drift by a third between minutes. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
/** Seconds of each idle and each editing round of the cached by-slug read: long enough for one workflow step. */
const EDITING_DURATION = Number(process.env.BENCH_EDITING_DURATION ?? DURATION * 3)
const DRAFT_SAVE_INTERVAL_MS = 2_000
const CPU_PROFILE = process.env.BENCH_CPU_PROFILE === '1'
const PROFILE_DIR = path.join(DATA_DIR, 'profile')
const RESULTS_FILE = path.resolve(ROOT, process.env.BENCH_RESULTS ?? 'bench/results.json')
const PASSWORD = 'bench-demo-password'
const NODE_ARGS = ['--conditions=production', '--import', 'tsx']

type Target = 'bare' | 'cached' | 'uncached' | 'cached, idle' | 'cached, editing'
type Endpoint = { name: string; method: 'GET' | 'POST'; path: string; body?: string; headers: Record<string, string> }
type Floor = Endpoint & { floor: true }
type Measurement = {
  endpoint: string
  target: Target
  requestsPerSecond: number
  latencyP50Ms: number
  latencyP99Ms: number
  errors: number
  non2xx: number
  requests: number
  rounds: number[]
  ratioToBare?: number
  /** Measured in rounds against bare (or, while editing, idle): each round against the round beside it; the ratio is their median. */
  roundRatios?: number[]
  /** Editing only: against the idle rounds beside it. */
  ratioToIdle?: number
  /** The bare rounds alternated with the uncached by-slug rounds (the other bare figures were measured beside cached). */
  besideUncached?: true
  floor?: true
}

const log = (line: string) => process.stdout.write(`${line}\n`)

const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  delete env.NODE_OPTIONS
  return env
}

/** Spawns a script and resolves with its URL once it prints one. */
const spawnServer = (script: string, env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<{ child: ChildProcess; url: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, ...NODE_ARGS, script], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${script} not ready after 120 s:\n${output}`))
    }, 120_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = ready.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve({ child, url: match[1] })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${script} exited with ${code}:\n${output}`))
    })
  })

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.removeAllListeners('exit')
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })

const platformEnv = (cache: boolean): Record<string, string> => ({
  NODE_ENV: 'production',
  PAYLOAD_SECRET: 'bench-secret-not-for-production',
  DATABASE_URL: `file:${RUN_FILE}`,
  SEED_DEMO: 'false',
  HOST: '127.0.0.1',
  PORT: '0',
  RESPONSE_CACHE: cache ? 'on' : 'off',
})

const startPlatform = (cache: boolean, nodeArgs: string[] = []) =>
  spawnServer('src/server/index.ts', platformEnv(cache), /REST API\s+(http:\/\/\S+)\/api\/articles/, nodeArgs)

/** As `npm run quickstart` decides it: no build, or a source file newer than it. */
const buildIsStale = () => {
  const buildId = path.join(ROOT, '.next/BUILD_ID')
  if (!existsSync(buildId)) return true
  const builtAt = statSync(buildId).mtimeMs
  const newer = (entry: string): boolean => {
    if (!existsSync(entry)) return false
    const stat = statSync(entry)
    if (!stat.isDirectory()) return stat.mtimeMs > builtAt
    return readdirSync(entry).some((name) => newer(path.join(entry, name)))
  }
  return ['src', 'collections', 'globals', 'access', 'hooks', 'next.config.mjs', 'package-lock.json'].some((entry) => newer(path.join(ROOT, entry)))
}

const prepare = () => {
  if (buildIsStale()) {
    log('Building the Next.js app (no production build, or sources newer than it)…')
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  }
  mkdirSync(DATA_DIR, { recursive: true })
  // The same size built with an older schema (or under the names used before) will not be used again.
  const sameSize = new RegExp(`^(bench-(?:editions-)?${ARTICLES}(?:-\\w+)?\\.db)(?:-wal|-shm|\\.startup-lock)?$`)
  for (const name of readdirSync(DATA_DIR)) {
    const built = sameSize.exec(name)
    if (built && built[1] !== DATABASE_NAME) rmSync(path.join(DATA_DIR, name), { force: true })
  }
  log(`Preparing the benchmark database (${ARTICLES} articles) at ${path.relative(ROOT, DATABASE_FILE)}…`)
  execFileSync(process.execPath, [...NODE_ARGS, 'bench/seedBench.ts'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: childEnv({ DATABASE_URL: `file:${DATABASE_FILE}`, BENCH_ARTICLES: String(ARTICLES), DEMO_PASSWORD: PASSWORD, NODE_ENV: 'production', PAYLOAD_SECRET: 'bench-secret-not-for-production' }),
  })
  for (const suffix of ['', '-wal', '-shm']) {
    rmSync(`${RUN_FILE}${suffix}`, { force: true })
    if (existsSync(`${DATABASE_FILE}${suffix}`)) copyFileSync(`${DATABASE_FILE}${suffix}`, `${RUN_FILE}${suffix}`)
  }
}

const ARTICLE_FIELDS = `id question slug bottomLine plainLanguageAnswer body reviewStatus lastUpdated reviewedAt nextReviewDue specialties
  references { id type title authors publisher year doi pmid url }
  relatedQuestions { id question slug article { id slug } }
  reviewedBy { id name slug credentials specialties }`

const endpointsFor = (slug: string): Endpoint[] => [
  {
    name: 'article by slug (REST, depth 1)',
    method: 'GET',
    path: `/api/articles?where[slug][equals]=${slug}&depth=1&limit=1`,
    headers: {},
  },
  {
    name: 'article by slug (GraphQL)',
    method: 'POST',
    path: '/api/graphql',
    body: JSON.stringify({
      query: `query ArticleBySlug($slug: String) { Articles(where: { slug: { equals: $slug } }, limit: 1) { docs { ${ARTICLE_FIELDS} } } }`,
      variables: { slug },
    }),
    headers: { 'content-type': 'application/json' },
  },
  { name: 'list, 20 newest (REST)', method: 'GET', path: '/api/articles?limit=20&sort=-lastUpdated&depth=0', headers: {} },
  { name: 'article page (HTML)', method: 'GET', path: `/questions/${slug}`, headers: {} },
]

const floorEndpointsFor = (article: { id: number }, reviewerId: number): Floor[] => [
  { name: 'floor: article by id (REST, depth 0)', method: 'GET', path: `/api/articles/${article.id}?depth=0`, headers: {}, floor: true },
  { name: 'floor: a reviewer profile by id (REST, depth 0)', method: 'GET', path: `/api/reviewers/${reviewerId}?depth=0`, headers: {}, floor: true },
]

const fetchEndpoint = async (base: string, endpoint: Endpoint) => {
  const response = await fetch(`${base}${endpoint.path}`, { method: endpoint.method, headers: endpoint.headers, body: endpoint.body })
  const body = Buffer.from(await response.arrayBuffer())
  if (response.status !== 200) throw new Error(`${endpoint.name}: ${response.status} ${body.toString().slice(0, 300)}`)
  return { response, body }
}

/** What the bare server needs to answer each endpoint with the platform's own bytes. */
const captureFixtures = async (base: string, endpoints: Endpoint[]) => {
  const fixtures: Record<string, { status: number; headers: Record<string, string>; body: string }> = {}
  for (const endpoint of endpoints) {
    const { response, body } = await fetchEndpoint(base, endpoint)
    const headers: Record<string, string> = { 'content-type': response.headers.get('content-type') ?? 'application/octet-stream' }
    for (const name of ['etag', 'cache-control']) {
      const value = response.headers.get(name)
      if (value) headers[name] = value
    }
    fixtures[`${endpoint.method} ${endpoint.path}`] = { status: response.status, headers, body: body.toString('base64') }
  }
  return fixtures
}

const load = (base: string, endpoint: Endpoint, duration: number) =>
  autocannon({
    url: `${base}${endpoint.path}`,
    method: endpoint.method,
    headers: endpoint.headers,
    body: endpoint.body,
    connections: CONNECTIONS,
    duration,
  })

const once = async (base: string, target: Target, endpoint: Endpoint | Floor, duration = DURATION): Promise<Measurement> => {
  await load(base, endpoint, WARMUP)
  const result = await load(base, endpoint, duration)
  const requestsPerSecond = Math.round(result.requests.average)
  return {
    ...('floor' in endpoint ? { floor: true as const } : {}),
    endpoint: endpoint.name,
    target,
    requestsPerSecond,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
    rounds: [requestsPerSecond],
  }
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`
const roundTo3 = (ratio: number) => Math.round(ratio * 1000) / 1000

const report = (m: Measurement) =>
  log(
    `  ${m.target.padEnd(15)} ${m.endpoint.padEnd(47)} ${String(m.requestsPerSecond).padStart(7)} req/s  p50 ${m.latencyP50Ms} ms  p99 ${m.latencyP99Ms} ms  errors ${m.errors + m.non2xx}${m.rounds.length > 1 ? `  (rounds: ${m.rounds.join(', ')})` : ''}${m.roundRatios ? `  (of ${m.ratioToIdle === undefined ? 'bare' : 'idle'} by round: ${m.roundRatios.map(percent).join(', ')})` : ''}`,
  )

/** The median round, with every round's figure and the errors of all of them. */
const median = (runs: Measurement[]): Measurement => {
  const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)
  const middle = sorted[Math.floor(sorted.length / 2)]!
  return {
    ...middle,
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
    rounds: runs.map((run) => run.requestsPerSecond),
  }
}

/**
 * A reference and a measured target in alternating rounds, so the VM's drift affects both alike.
 * Each measured round is set against the reference round just before it; the ratio is their median.
 */
const alternate = async (rounds: number, reference: () => Promise<Measurement>, measured: (round: number) => Promise<Measurement>) => {
  const referenceRuns: Measurement[] = []
  const measuredRuns: Measurement[] = []
  for (let round = 0; round < rounds; round++) {
    referenceRuns.push(await reference())
    measuredRuns.push(await measured(round))
  }
  const roundRatios = measuredRuns.map((run, round) => roundTo3(run.requestsPerSecond / referenceRuns[round]!.requestsPerSecond))
  const sorted = [...roundRatios].sort((a, b) => a - b)
  return { reference: median(referenceRuns), measured: { ...median(measuredRuns), roundRatios }, ratio: sorted[Math.floor(sorted.length / 2)]! }
}

/** Each endpoint: bare and the platform in alternating rounds. */
const measureAgainstBare = async (bareUrl: string, platformUrl: string, target: Target, endpoints: Endpoint[]) => {
  const measurements: Measurement[] = []
  for (const endpoint of endpoints) {
    const { reference, measured, ratio } = await alternate(
      ROUNDS,
      () => once(bareUrl, 'bare', endpoint),
      () => once(platformUrl, target, endpoint),
    )
    measured.ratioToBare = ratio
    for (const measurement of [reference, measured]) {
      report(measurement)
      measurements.push(measurement)
    }
  }
  return measurements
}

/** Bare alone, median of ROUNDS rounds: for the floor requests, whose platform figure comes from the uncached run. */
const measureBare = async (bareUrl: string, endpoints: Endpoint[]) => {
  const measurements: Measurement[] = []
  for (const endpoint of endpoints) {
    const runs: Measurement[] = []
    for (let round = 0; round < ROUNDS; round++) runs.push(await once(bareUrl, 'bare', endpoint))
    const measurement = median(runs)
    report(measurement)
    measurements.push(measurement)
  }
  return measurements
}

const measureAll = async (base: string, target: Target, endpoints: Endpoint[]) => {
  const measurements: Measurement[] = []
  for (const endpoint of endpoints) {
    const measurement = await once(base, target, endpoint)
    report(measurement)
    measurements.push(measurement)
  }
  return measurements
}

// ---- signed-in requests ----------------------------------------------------------------------

const api = async (base: string, pathname: string, init: { method: string; token?: string; body?: unknown }) => {
  const response = await fetch(`${base}${pathname}`, {
    method: init.method,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `JWT ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const json = (await response.json()) as Record<string, unknown>
  if (!response.ok) throw new Error(`${init.method} ${pathname}: ${response.status} ${JSON.stringify(json).slice(0, 400)}`)
  return json
}

const login = async (base: string, email: string) =>
  (await api(base, '/api/users/login', { method: 'POST', body: { email, password: PASSWORD } })).token as string

// ---- cached reads while editors work ----------------------------------------------------------

type WorkflowStep = { round: number; step: 'approve' | 're-review'; ms: number; publicEtag: { before: string | null; after: string | null } }
type EditingWrites = { draftSaves: number; draftSaveMs: { p50: number; max: number }; steps: WorkflowStep[]; failures: string[] }
type EditingReport = { idle: Measurement; editing: Measurement; ratioToIdle: number; writes: EditingWrites }

/** The public ETag of an article, read past the response cache (a query string it has not seen). */
const publicEtag = async (base: string, articleId: number) => {
  const response = await fetch(`${base}/api/articles/${articleId}?depth=1&fresh=${Date.now()}`)
  await response.arrayBuffer()
  return response.status === 200 ? response.headers.get('etag') : null
}

/**
 * The cached by-slug read, idle and while the newsroom works, in alternating rounds of
 * EDITING_DURATION seconds. In each editing round (its warm-up included) the editor saves a draft
 * of one article every 2 s (a draft changes nothing public: the cache must stay warm), and halfway
 * through its measured part a second article takes one workflow step, alternately: the reviewer
 * claims and approves it (a new edition: the public copy changes and the cache is cleared), then
 * the editor sends it back for re-review (approved -> submitted; the approved edition stays public).
 * Neither article is the one read.
 */
const measureWhileEditing = async (
  base: string,
  endpoint: Endpoint,
  articles: { drafted: { id: number }; reviewed: { id: number } },
): Promise<EditingReport> => {
  const [editor, reviewer] = [await login(base, 'editor@example.com'), await login(base, 'reviewer1@example.com')]
  const patch = (token: string, id: number, body: unknown) => api(base, `/api/articles/${id}?depth=0`, { method: 'PATCH', token, body })
  const writes: EditingWrites = { draftSaves: 0, draftSaveMs: { p50: 0, max: 0 }, steps: [], failures: [] }
  const saveTimes: number[] = []
  // The reviewed article starts each approval step submitted.
  await patch(editor, articles.reviewed.id, { reviewStatus: 'submitted' })
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  const workWhile = async (round: number, windowMs: number) => {
    const started = performance.now()
    const saves = (async () => {
      for (let tick = 1; performance.now() - started < windowMs; tick++) {
        const sent = performance.now()
        try {
          await patch(editor, articles.drafted.id, { plainLanguageAnswer: `Plain-language answer, draft ${round}.${tick} saved at ${new Date().toISOString()}.` })
          writes.draftSaves++
          saveTimes.push(performance.now() - sent)
        } catch (err) {
          writes.failures.push(`draft save: ${(err as Error).message}`)
        }
        await pause(Math.max(0, started + tick * DRAFT_SAVE_INTERVAL_MS - performance.now()))
      }
    })()
    const step = (async () => {
      await pause((WARMUP + EDITING_DURATION / 2) * 1000)
      const kind: WorkflowStep['step'] = round % 2 === 0 ? 'approve' : 're-review'
      const before = await publicEtag(base, articles.reviewed.id)
      const sent = performance.now()
      try {
        if (kind === 'approve') {
          await patch(reviewer, articles.reviewed.id, { reviewStatus: 'under_review' })
          await patch(reviewer, articles.reviewed.id, { reviewStatus: 'approved' })
        } else {
          await patch(editor, articles.reviewed.id, { reviewStatus: 'submitted' })
        }
      } catch (err) {
        writes.failures.push(`${kind}: ${(err as Error).message}`)
      }
      const ms = Math.round(performance.now() - sent)
      writes.steps.push({ round, step: kind, ms, publicEtag: { before, after: await publicEtag(base, articles.reviewed.id) } })
    })()
    return Promise.all([saves, step])
  }

  const { reference: idle, measured: editing, ratio } = await alternate(
    ROUNDS,
    () => once(base, 'cached, idle', endpoint, EDITING_DURATION),
    async (round) => {
      const work = workWhile(round, (WARMUP + EDITING_DURATION) * 1000)
      const measurement = await once(base, 'cached, editing', endpoint, EDITING_DURATION)
      await work
      return measurement
    },
  )
  editing.ratioToIdle = ratio
  const sorted = saveTimes.sort((a, b) => a - b)
  writes.draftSaveMs = { p50: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0), max: Math.round(sorted.at(-1) ?? 0) }
  return { idle, editing, ratioToIdle: ratio, writes }
}

// ---- correctness under load -------------------------------------------------------------------

/** The public states of the article in the order the run moves through them. */
const STATES = ['before', 'approved', 'unpublished'] as const
type State = (typeof STATES)[number]
type ConsistencyReport = { checked: Record<State, number>; stale: number; examples: string[]; approvalMs: number; unpublishMs: number }

/**
 * Loads the cached platform with all four endpoints for one article (32 concurrent request loops)
 * while its new revision is approved and then the article is unpublished. Each response is checked
 * against the phase that was current when its request was sent: anything requested after the
 * approval (or unpublish) returned must show it.
 */
const checkConsistency = async (base: string, article: { id: number; slug: string }): Promise<ConsistencyReport> => {
  const marker = { before: `bench-before-${Date.now()}`, approved: `bench-approved-${Date.now()}` }
  const [admin, reviewer] = [await login(base, 'admin@example.com'), await login(base, 'reviewer1@example.com')]
  const patch = (token: string, body: unknown) => api(base, `/api/articles/${article.id}`, { method: 'PATCH', token, body })
  const approveRevision = async () => {
    await patch(admin, { reviewStatus: 'submitted' })
    await patch(reviewer, { reviewStatus: 'under_review' })
    await patch(reviewer, { reviewStatus: 'approved' })
  }
  await patch(admin, { plainLanguageAnswer: `Plain-language answer, revision ${marker.before}.` })
  await approveRevision()

  const endpoints = endpointsFor(article.slug).map((endpoint) =>
    endpoint.path.startsWith('/questions/') ? { ...endpoint, headers: { cookie: 'audience=patient' } } : endpoint,
  )
  const [bySlug, graphql, list, page] = endpoints as [Endpoint, Endpoint, Endpoint, Endpoint]
  /** The states a response can be showing; an unknown response matches none. */
  const statesShownBy = (endpoint: Endpoint, body: string): State[] => {
    if (endpoint === list) return body.includes(`"slug":"${article.slug}"`) ? ['before', 'approved'] : ['unpublished']
    if (body.includes(marker.approved)) return ['approved']
    if (body.includes(marker.before)) return ['before']
    const gone = endpoint === bySlug ? body.includes('"totalDocs":0') : endpoint === graphql ? body.includes('"docs":[]') : endpoint === page
    return gone ? ['unpublished'] : []
  }

  // The state committed when a request is sent; a response may show it or anything newer, never older.
  let committed: State = 'before'
  let running = true
  const report: ConsistencyReport = { checked: { before: 0, approved: 0, unpublished: 0 }, stale: 0, examples: [], approvalMs: 0, unpublishMs: 0 }
  const loop = async (endpoint: Endpoint) => {
    while (running) {
      const sentIn = committed
      const response = await fetch(`${base}${endpoint.path}`, { method: endpoint.method, headers: endpoint.headers, body: endpoint.body })
      const body = await response.text()
      report.checked[sentIn]++
      const shown = statesShownBy(endpoint, body)
      if (!shown.some((state) => STATES.indexOf(state) >= STATES.indexOf(sentIn))) {
        report.stale++
        if (report.examples.length < 5) report.examples.push(`sent after "${sentIn}": ${endpoint.name}: ${response.status} ${body.slice(0, 160)}`)
      }
    }
  }
  const loops = endpoints.flatMap((endpoint) => Array.from({ length: CONNECTIONS / endpoints.length }, () => loop(endpoint)))
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  await pause(3_000)
  // A draft revision alone changes nothing the public sees…
  await patch(admin, { plainLanguageAnswer: `Plain-language answer, revision ${marker.approved}.` })
  await pause(1_000)
  // …its approval does, from the moment the approving request returns.
  let started = performance.now()
  await approveRevision()
  report.approvalMs = Math.round(performance.now() - started)
  committed = 'approved'
  await pause(3_000)
  started = performance.now()
  await patch(admin, { _status: 'draft' })
  report.unpublishMs = Math.round(performance.now() - started)
  committed = 'unpublished'
  await pause(3_000)
  running = false
  await Promise.all(loops)
  return report
}

// ---- main -------------------------------------------------------------------------------------

type Page = { docs: { id: number; slug: string }[]; totalDocs: number }

/** The public article at a position of the newest-first list. */
const articleAt = async (base: string, position: number): Promise<Page> =>
  (await (await fetch(`${base}/api/articles?limit=1&page=${Math.max(1, position)}&sort=-lastUpdated&depth=0`)).json()) as Page

/** A CPU profile of the uncached platform under the by-slug load, summarised by package. */
const profileUncached = async (bareUrl: string, endpoint: Endpoint) => {
  rmSync(PROFILE_DIR, { recursive: true, force: true })
  mkdirSync(PROFILE_DIR, { recursive: true })
  const platform = await startPlatform(false, ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`])
  let requestsPerSecond: number
  let window: Window
  try {
    await load(platform.url, endpoint, WARMUP)
    const fromMicros = monotonicMicros()
    requestsPerSecond = Math.round((await load(platform.url, endpoint, DURATION)).requests.average)
    window = { fromMicros, toMicros: monotonicMicros() }
  } finally {
    await stop(platform.child)
  }
  const file = readdirSync(PROFILE_DIR).find((name) => name.endsWith('.cpuprofile'))
  if (!file) throw new Error(`no CPU profile was written to ${PROFILE_DIR}`)
  const bare = await once(bareUrl, 'bare', endpoint)
  return {
    file: path.relative(ROOT, path.join(PROFILE_DIR, file)),
    requestsPerSecondWhileProfiled: requestsPerSecond,
    bareRequestsPerSecond: bare.requestsPerSecond,
    ...summariseProfile(path.join(PROFILE_DIR, file), { window }),
  }
}

const main = async () => {
  prepare()
  const machine = {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  }
  log(`Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}`)
  log(
    `Load: autocannon, ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s per measurement (${EDITING_DURATION} s while editing); alternating rounds: median of ${ROUNDS}\n`,
  )

  let platform = await startPlatform(true)
  let endpoints: Endpoint[]
  let floorEndpoints: Floor[]
  let fixtures: Awaited<ReturnType<typeof captureFixtures>>
  let consistencyArticle: { id: number; slug: string }
  let editedArticles: { drafted: { id: number; slug: string }; reviewed: { id: number; slug: string } }
  let articleCount: number
  try {
    const list = await articleAt(platform.url, Math.floor(ARTICLES / 2))
    const middle = list.docs[0]
    if (!middle) throw new Error('the benchmark database has no published articles')
    articleCount = list.totalDocs
    endpoints = endpointsFor(middle.slug)
    const bySlug = (await (await fetch(`${platform.url}${endpoints[0]!.path}`)).json()) as { docs: { reviewedBy?: { id: number } | null }[] }
    const reviewerId = bySlug.docs[0]?.reviewedBy?.id
    if (reviewerId === undefined) throw new Error('the benchmark article has no reviewer')
    floorEndpoints = floorEndpointsFor(middle, reviewerId)
    fixtures = await captureFixtures(platform.url, [...endpoints, ...floorEndpoints])
    const [consistency, drafted, reviewed] = await Promise.all([3, 4, 5].map((part) => articleAt(platform.url, Math.floor(ARTICLES / part))))
    consistencyArticle = consistency!.docs[0]!
    editedArticles = { drafted: drafted!.docs[0]!, reviewed: reviewed!.docs[0]! }
    const ids = new Set([middle.id, consistencyArticle.id, editedArticles.drafted.id, editedArticles.reviewed.id])
    if (ids.size !== 4) throw new Error('the benchmark database is too small to pick four different articles')
  } catch (err) {
    await stop(platform.child)
    throw err
  }
  log(`Database: ${articleCount} public articles; measuring "${endpoints[0]!.path}" and its siblings`)
  const fixturesFile = path.join(DATA_DIR, 'bare-fixtures.json')
  writeFileSync(fixturesFile, JSON.stringify(fixtures))

  const measurements: Measurement[] = []
  const bare = await spawnServer('bench/bareServer.ts', { BARE_FIXTURES: fixturesFile }, /listening (http:\/\/\S+)/)
  let consistency: ConsistencyReport
  let editing: EditingReport
  let profile: Awaited<ReturnType<typeof profileUncached>> | undefined
  try {
    try {
      measurements.push(...(await measureAgainstBare(bare.url, platform.url, 'cached', endpoints)))
      measurements.push(...(await measureBare(bare.url, floorEndpoints)))

      log(`\nCached by slug while an editor saves a draft every 2 s and another article is approved or re-reviewed once a round (${EDITING_DURATION} s rounds)…`)
      editing = await measureWhileEditing(platform.url, endpoints[0]!, editedArticles)
      report(editing.idle)
      report(editing.editing)
      log(
        `  ${editing.writes.draftSaves} draft saves (p50 ${editing.writes.draftSaveMs.p50} ms, max ${editing.writes.draftSaveMs.max} ms); steps: ${editing.writes.steps
          .map((step) => `${step.step} ${step.ms} ms${step.publicEtag.before !== step.publicEtag.after ? ' (public changed)' : ''}`)
          .join(', ')}`,
      )
      for (const failure of editing.writes.failures) log(`  write failed: ${failure}`)

      log('\nCorrectness under load: approving a new revision, then unpublishing, while 4 endpoints are loaded…')
      consistency = await checkConsistency(platform.url, consistencyArticle)
      log(
        `  checked ${consistency.checked.before} responses before the approval, ${consistency.checked.approved} after it, ${consistency.checked.unpublished} after unpublishing: ${consistency.stale} stale`,
      )
      for (const example of consistency.examples) log(`  stale: ${example}`)
    } finally {
      await stop(platform.child)
    }

    log('\nUncached (RESPONSE_CACHE=off)…')
    platform = await startPlatform(false)
    try {
      const [bySlug, ...others] = endpoints as [Endpoint, ...Endpoint[]]
      const [besideBare, uncachedBySlug] = await measureAgainstBare(bare.url, platform.url, 'uncached', [bySlug])
      measurements.push({ ...besideBare!, besideUncached: true }, uncachedBySlug!)
      measurements.push(...(await measureAll(platform.url, 'uncached', [...others, ...floorEndpoints])))
    } finally {
      await stop(platform.child)
    }

    if (CPU_PROFILE) {
      log('\nCPU profile of the uncached platform under the by-slug load…')
      profile = await profileUncached(bare.url, endpoints[0]!)
      log(`  ${profile.requestsPerSecondWhileProfiled} req/s while profiled (bare ${profile.bareRequestsPerSecond}); ${profile.file}`)
      printProfile(profile, log)
    }
  } finally {
    await stop(bare.child)
  }

  for (const measurement of measurements) {
    if (measurement.ratioToBare !== undefined || measurement.target === 'bare') continue
    const bareFigure = measurements.find((m) => m.target === 'bare' && !m.besideUncached && m.endpoint === measurement.endpoint)!.requestsPerSecond
    measurement.ratioToBare = roundTo3(measurement.requestsPerSecond / bareFigure)
  }

  log('\n| endpoint | target | req/s | p50 ms | p99 ms | errors | vs bare |')
  log('|---|---|---:|---:|---:|---:|---:|')
  for (const m of measurements) {
    const ratio = m.target === 'bare' ? 1 : (m.ratioToBare ?? 0)
    log(`| ${m.endpoint} | ${m.besideUncached ? 'bare (beside uncached)' : m.target} | ${m.requestsPerSecond} | ${m.latencyP50Ms} | ${m.latencyP99Ms} | ${m.errors + m.non2xx} | ${percent(ratio)} |`)
  }
  const uncachedBySlug = measurements.find((m) => m.target === 'uncached' && m.endpoint === endpoints[0]!.name)!
  const targets = {
    uncachedBySlugOfBare: { value: uncachedBySlug.ratioToBare!, target: 0.05, met: uncachedBySlug.ratioToBare! >= 0.05 },
    cachedWhileEditingOfIdle: { value: editing.ratioToIdle, target: 0.9, met: editing.ratioToIdle >= 0.9 },
  }
  log(`\nUncached by slug: ${uncachedBySlug.requestsPerSecond} req/s, ${percent(targets.uncachedBySlugOfBare.value)} of bare (target 5%: ${targets.uncachedBySlugOfBare.met ? 'met' : 'NOT met'})`)
  log(
    `Cached by slug while editing: ${editing.editing.requestsPerSecond} req/s against ${editing.idle.requestsPerSecond} idle, ${percent(editing.ratioToIdle)} (target 90%: ${targets.cachedWhileEditingOfIdle.met ? 'met' : 'NOT met'})`,
  )
  log(`Consistency under load: ${consistency.stale} stale of ${Object.values(consistency.checked).reduce((a, b) => a + b, 0)} checked responses`)

  const results = {
    ranAt: new Date().toISOString(),
    machine,
    settings: {
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      editingDurationSeconds: EDITING_DURATION,
      warmupSeconds: WARMUP,
      rounds: ROUNDS,
      articles: articleCount,
      tool: 'autocannon 8',
    },
    targets,
    measurements,
    whileEditing: editing,
    consistency,
    ...(profile ? { uncachedProfile: profile } : {}),
  }
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`)
  log(`Wrote ${path.relative(ROOT, RESULTS_FILE)}`)
  const errors = (m: Measurement) => m.errors + m.non2xx
  const failed =
    measurements.some((m) => m.target !== 'bare' && errors(m) > 0) ||
    errors(editing.idle) + errors(editing.editing) > 0 ||
    editing.writes.failures.length > 0 ||
    consistency.stale > 0
  if (failed) {
    log('FAILED: errors, failed writes or stale responses (see above)')
    process.exitCode = 1
  }
}

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
  process.exit(1)
})
