/**
 * `npm run bench`: read throughput of the public API and site against the machine's own limit.
 *
 * One run measures, side by side and with the same load generator:
 *   bare      a bare Node `http` server returning the platform's bytes from memory (the limit)
 *   cached    the platform (production build, SQLite) with its response cache
 *   uncached  the same platform with RESPONSE_CACHE=off
 * for an article by slug (REST, depth 1), the same article via GraphQL, the newest-first list
 * (limit 20) and the public article page, on a database of BENCH_ARTICLES (10,000) articles. Then,
 * under load on the cached platform, it approves a new revision and unpublishes the article and
 * checks that no response served afterwards is stale. Prints a table and writes bench/results.json.
 *
 * Two floor requests are measured bare and uncached only, to show what Payload's own read path costs
 * here: an article by id at depth 0 (plain Payload, no population) and one reference by id (a single
 * indexed row of about 270 bytes, the cheapest read the API has).
 */
import autocannon from 'autocannon'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '..')
const DATA_DIR = path.join(ROOT, 'bench/.data')
const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 10_000)
const DATABASE_FILE = process.env.BENCH_DATABASE ?? path.join(DATA_DIR, `bench-${ARTICLES}.db`)
/** Each run works on a copy: its approvals and unpublishing must not change the next run's data. */
const RUN_FILE = path.join(DATA_DIR, 'run.db')
const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
/** Bare and cached are measured in alternating rounds and the median kept: this VM's figures drift by a third between minutes. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const RESULTS_FILE = path.resolve(ROOT, process.env.BENCH_RESULTS ?? 'bench/results.json')
const PASSWORD = 'bench-demo-password'
const NODE_ARGS = ['--conditions=production', '--import', 'tsx']

type Target = 'bare' | 'cached' | 'uncached'
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
  /** Cached only: each round against the bare round beside it; ratioToBare is their median. */
  roundRatios?: number[]
  floor?: true
}

const log = (line: string) => process.stdout.write(`${line}\n`)

const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  delete env.NODE_OPTIONS
  return env
}

/** Spawns a script and resolves with its URL once it prints one. */
const spawnServer = (script: string, env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; url: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, script], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
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

const startPlatform = (cache: boolean) => spawnServer('src/server/index.ts', platformEnv(cache), /REST API\s+(http:\/\/\S+)\/api\/articles/)

const prepare = () => {
  if (!existsSync(path.join(ROOT, '.next/BUILD_ID'))) {
    log('Building the Next.js app (no production build found)…')
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  }
  mkdirSync(DATA_DIR, { recursive: true })
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

const floorEndpointsFor = (article: { id: number }, referenceId: number): Floor[] => [
  { name: 'floor: article by id (REST, depth 0)', method: 'GET', path: `/api/articles/${article.id}?depth=0`, headers: {}, floor: true },
  { name: 'floor: a reference by id (REST, depth 0)', method: 'GET', path: `/api/references/${referenceId}?depth=0`, headers: {}, floor: true },
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

const once = async (base: string, target: Target, endpoint: Endpoint | Floor): Promise<Measurement> => {
  await load(base, endpoint, WARMUP)
  const result = await load(base, endpoint, DURATION)
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

const report = (m: Measurement) =>
  log(
    `  ${m.target.padEnd(8)} ${m.endpoint.padEnd(40)} ${String(m.requestsPerSecond).padStart(7)} req/s  p50 ${m.latencyP50Ms} ms  p99 ${m.latencyP99Ms} ms  errors ${m.errors + m.non2xx}${m.rounds.length > 1 ? `  (rounds: ${m.rounds.join(', ')})` : ''}${m.roundRatios ? `  (of bare by round: ${m.roundRatios.map((r) => `${(r * 100).toFixed(1)}%`).join(', ')})` : ''}`,
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

/** Each endpoint: bare and platform in alternating rounds, so drift affects both alike. */
const measureAgainstBare = async (bareUrl: string, platformUrl: string, endpoints: Endpoint[]) => {
  const measurements: Measurement[] = []
  for (const endpoint of endpoints) {
    const bareRuns: Measurement[] = []
    const cachedRuns: Measurement[] = []
    for (let round = 0; round < ROUNDS; round++) {
      bareRuns.push(await once(bareUrl, 'bare', endpoint))
      cachedRuns.push(await once(platformUrl, 'cached', endpoint))
    }
    const cached = median(cachedRuns)
    // The VM drifts between minutes, so each cached round is set against the bare round next to it.
    const ratios = cachedRuns.map((run, round) => run.requestsPerSecond / bareRuns[round]!.requestsPerSecond).sort((a, b) => a - b)
    cached.ratioToBare = Math.round(ratios[Math.floor(ratios.length / 2)]! * 1000) / 1000
    cached.roundRatios = cachedRuns.map((run, round) => Math.round((run.requestsPerSecond / bareRuns[round]!.requestsPerSecond) * 1000) / 1000)
    for (const measurement of [median(bareRuns), cached]) {
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

// ---- correctness under load -------------------------------------------------------------------

/** The public states of the article in the order the run moves through them. */
const STATES = ['before', 'approved', 'unpublished'] as const
type State = (typeof STATES)[number]
type ConsistencyReport = { checked: Record<State, number>; stale: number; examples: string[]; approvalMs: number; unpublishMs: number }

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
  log(`Load: autocannon, ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s per measurement; bare and cached: median of ${ROUNDS} alternating rounds\n`)

  let platform = await startPlatform(true)
  let endpoints: Endpoint[]
  let floorEndpoints: Floor[]
  let fixtures: Awaited<ReturnType<typeof captureFixtures>>
  let consistencyArticle: { id: number; slug: string }
  let articleCount: number
  try {
    const list = (await (await fetch(`${platform.url}/api/articles?limit=1&page=${Math.floor(ARTICLES / 2)}&sort=-lastUpdated&depth=0`)).json()) as {
      docs: { id: number; slug: string }[]
      totalDocs: number
    }
    const middle = list.docs[0]
    if (!middle) throw new Error('the benchmark database has no published articles')
    articleCount = list.totalDocs
    endpoints = endpointsFor(middle.slug)
    const withReferences = (await (await fetch(`${platform.url}/api/articles/${middle.id}?depth=0`)).json()) as { references?: number[] }
    const referenceId = withReferences.references?.[0]
    if (referenceId === undefined) throw new Error('the benchmark article cites no reference')
    floorEndpoints = floorEndpointsFor(middle, referenceId)
    fixtures = await captureFixtures(platform.url, [...endpoints, ...floorEndpoints])
    const other = (await (await fetch(`${platform.url}/api/articles?limit=1&page=${Math.floor(ARTICLES / 3)}&sort=-lastUpdated&depth=0`)).json()) as {
      docs: { id: number; slug: string }[]
    }
    consistencyArticle = other.docs[0]!
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
  try {
    try {
      measurements.push(...(await measureAgainstBare(bare.url, platform.url, endpoints)))
      measurements.push(...(await measureBare(bare.url, floorEndpoints)))
    } finally {
      await stop(bare.child)
    }
    log('\nCorrectness under load: approving a new revision, then unpublishing, while 4 endpoints are loaded…')
    consistency = await checkConsistency(platform.url, consistencyArticle)
    log(
      `  checked ${consistency.checked.before} responses before the approval, ${consistency.checked.approved} after it, ${consistency.checked.unpublished} after unpublishing: ${consistency.stale} stale`,
    )
    for (const example of consistency.examples) log(`  stale: ${example}`)
  } finally {
    await stop(platform.child)
  }

  platform = await startPlatform(false)
  try {
    measurements.push(...(await measureAll(platform.url, 'uncached', [...endpoints, ...floorEndpoints])))
  } finally {
    await stop(platform.child)
  }

  for (const measurement of measurements) {
    if (measurement.ratioToBare !== undefined) continue
    const bareFigure = measurements.find((m) => m.target === 'bare' && m.endpoint === measurement.endpoint)!.requestsPerSecond
    measurement.ratioToBare = Math.round((measurement.requestsPerSecond / bareFigure) * 1000) / 1000
  }

  log('\n| endpoint | target | req/s | p50 ms | p99 ms | errors | vs bare |')
  log('|---|---|---:|---:|---:|---:|---:|')
  for (const m of measurements) {
    log(`| ${m.endpoint} | ${m.target} | ${m.requestsPerSecond} | ${m.latencyP50Ms} | ${m.latencyP99Ms} | ${m.errors + m.non2xx} | ${((m.ratioToBare ?? 0) * 100).toFixed(1)}% |`)
  }
  log(`\nConsistency under load: ${consistency.stale} stale of ${Object.values(consistency.checked).reduce((a, b) => a + b, 0)} checked responses`)

  const results = {
    ranAt: new Date().toISOString(),
    machine,
    settings: { connections: CONNECTIONS, durationSeconds: DURATION, warmupSeconds: WARMUP, rounds: ROUNDS, articles: articleCount, tool: 'autocannon 8' },
    measurements,
    consistency,
  }
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`)
  log(`Wrote ${path.relative(ROOT, RESULTS_FILE)}`)
  const failed = measurements.some((m) => m.target !== 'bare' && m.errors + m.non2xx > 0) || consistency.stale > 0
  if (failed) {
    log('FAILED: errors or stale responses (see above)')
    process.exitCode = 1
  }
}

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
  process.exit(1)
})
