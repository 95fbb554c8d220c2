/**
 * `npm run crashtest`: kill -9 during concurrent workflow writes, on SQLite and on PostgreSQL.
 *
 * Each database gets CRASH_CYCLES (20) cycles on one persistent database. A cycle: two new articles
 * join the five the burst works on; 24 writers send workflow writes at once and keep 24 in flight
 * (submits, claims, approvals naming the version they approve, requests for changes, content
 * edits by the editor and the admin); the server gets SIGKILL 50–400 ms into the burst. With the
 * server down, SQLite's file must pass `PRAGMA integrity_check`; then the server restarts and the
 * database must hold every write acknowledged with a 2xx before the kill (its event, its revision),
 * and the workflow's invariants (bench/workflowInvariants.ts). One line per cycle, a summary, and
 * CRASH_RESULTS (test-results/crashtest.json). Exits 1 on any lost write, violation, 5xx or
 * integrity failure.
 *
 * Each database runs in a child process of this script (CRASH_DB), because a process holds one
 * Payload config, and the config reads DATABASE_URL once.
 */
import { createClient } from '@libsql/client'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { EditionLedger } from '../tests/support/editionInvariants'
import { startEmbeddedPostgres, type RunningPostgres } from '../tests/support/embeddedPostgres'
import { startServer, stopServer, type RunningServer } from '../tests/support/spawnServer'
import { migrateDatabase, openLocalPayload } from './localPayload'
import { checkWorkflowInvariants, countByKind, isSuccess, type Id, type Violation, type WriteKind, type WriteOp } from './workflowInvariants'
import { call, pick, readPublicArticle, sendWrite, signIn, sleep, type Session } from './workflowLoad'

const ROOT = path.resolve(import.meta.dirname, '..')
const CYCLES = Number(process.env.CRASH_CYCLES ?? 20)
const CONCURRENCY = Number(process.env.CRASH_CONCURRENCY ?? 20)
const WORKING_SET = 5
const KILL_WINDOW_MS: [number, number] = [50, 400]
const RESULTS_FILE = path.resolve(ROOT, process.env.CRASH_RESULTS ?? 'test-results/crashtest.json')
const PASSWORD = 'crash-demo-password'
const SECRET = randomBytes(32).toString('hex')

type Kind = 'sqlite' | 'postgres'
type CycleResult = {
  cycle: number
  /** Acknowledged edits of the warm-up wave, made before the burst on the same server. */
  warmUpAcknowledged: number
  killedAtMs: number
  sent: number
  acknowledged: number
  refused: number
  serverErrors: number
  unanswered: number
  lost: number
  newViolations: number
  integrity: string | null
  restartMs: number
  checkMs: number
}
type KindSummary = {
  database: Kind
  cycles: CycleResult[]
  acknowledged: number
  warmUpAcknowledged: number
  lost: number
  violations: number
  violationsByKind: Record<string, number>
  examples: Violation[]
  /** Editions the checks followed across the cycles, each re-read after every cycle. */
  editions: number
  serverErrors: number
  integrityFailures: number
  restartMsMedian: number
  seconds: number
  passed: boolean
}

const log = (line: string) => process.stdout.write(`${line}\n`)

const killServer = (server: RunningServer) =>
  new Promise<void>((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve()
    server.child.once('exit', () => resolve())
    server.child.kill('SIGKILL')
  })

/** Opened while no server runs; `query_only` keeps this connection from writing. */
const integrityOf = async (file: string): Promise<string> => {
  const client = createClient({ url: `file:${file}` })
  try {
    await client.execute('PRAGMA query_only = 1')
    const { rows } = await client.execute('PRAGMA integrity_check')
    return rows.map((row) => String(Object.values(row)[0])).join('; ')
  } finally {
    client.close()
  }
}

type Known = { status: string; assignedReviewer: Id | null }

const runDatabase = async (kind: Kind): Promise<KindSummary> => {
  const started = Date.now()
  let embedded: RunningPostgres | undefined
  let directory: string | undefined
  let databaseUrl: string
  let sqliteFile: string | undefined
  if (kind === 'postgres') {
    embedded = await startEmbeddedPostgres()
    databaseUrl = embedded.url
  } else {
    directory = mkdtempSync(path.join(os.tmpdir(), 'vetted-crash-'))
    sqliteFile = path.join(directory, 'crash.db')
    databaseUrl = `file:${sqliteFile}`
  }
  const payload = await openLocalPayload(databaseUrl, SECRET)
  let server: RunningServer | undefined
  process.once('exit', () => server?.child.kill('SIGKILL'))
  try {
    await migrateDatabase(payload, kind)
    const env = { NODE_ENV: 'production', DATABASE_URL: databaseUrl, PAYLOAD_SECRET: SECRET, SEED_DEMO: 'true', DEMO_PASSWORD: PASSWORD, ADMIN_UI: 'false' }
    server = await startServer(env, 120_000)
    const base0 = server.url
    const [editor, adminUser, reviewer1, reviewer2] = await Promise.all(
      ['editor@example.com', 'admin@example.com', 'reviewer1@example.com', 'reviewer2@example.com'].map((email) => signIn(base0, email, PASSWORD)),
    )
    const reviewers = [reviewer1!, reviewer2!]
    // Few bursts get as far as an approval before the kill: the demo articles' editions (published
    // by the seed) are checked after every cycle too, so every kill -9 is seen to leave editions alone.
    const published = (await payload.find({ collection: 'articles', where: { _status: { equals: 'published' } }, depth: 0, limit: 0, pagination: false, overrideAccess: true })).docs.map((doc) => String(doc.id))
    const ops: WriteOp[] = []
    const violations = new Map<string, Violation>()
    const editions = new EditionLedger()
    const working: Id[] = []
    const cycles: CycleResult[] = []
    let counter = 0
    const token = (cycle: number) => `#op-${kind}${cycle}-${++counter}#`

    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const base = server.url
      // Two new articles, one submitted and one a draft, join the working set.
      for (const requested of ['submitted', 'draft']) {
        const op = await sendWrite(base, { kind: 'create', token: token(cycle), session: editor!, requested }, (sent) => ops.push(sent))
        if (op.status !== 201 || op.article === undefined) throw new Error(`cycle ${cycle}: could not create an article: ${op.status} ${op.message ?? ''}`)
        working.push(op.article)
      }
      working.splice(0, Math.max(0, working.length - WORKING_SET))
      // A restarted server is cold (no pool connections, nothing compiled): one wave of concurrent
      // edits and reads warms it, so that the burst's writes can finish before the kill.
      const draft = working.at(-1)!
      const warmUpOps: WriteOp[] = []
      await Promise.all(
        Array.from({ length: CONCURRENCY }, (_, index) =>
          index % 2 === 0
            ? sendWrite(base, { kind: 'edit', token: token(cycle), session: editor!, article: draft }, (sent) => {
                ops.push(sent)
                warmUpOps.push(sent)
              })
            : call(base, 'GET', `/api/articles/${working[index % working.length]}?draft=true&depth=0`, { session: adminUser }),
        ),
      )
      const known = new Map<string, Known>()
      for (const article of working) {
        const doc = await payload.findByID({ collection: 'articles', id: article, draft: true, depth: 0, overrideAccess: true })
        known.set(String(article), { status: String(doc.reviewStatus), assignedReviewer: (doc.assignedReviewer as Id | null | undefined) ?? null })
      }

      const cycleOps: WriteOp[] = []
      const record = (op: WriteOp) => {
        ops.push(op)
        cycleOps.push(op)
      }
      let killed = false
      const write = async (kind: WriteKind, session: Session, article: Id, extra: { requested?: string; basedOnVersion?: string } = {}) => {
        const op = await sendWrite(base, { kind, token: token(cycle), session, article, ...extra }, record, 30_000)
        if (isSuccess(op.status) && op.returned?.reviewStatus) {
          known.set(String(article), { status: op.returned.reviewStatus, assignedReviewer: op.returned.assignedReviewer ?? null })
        }
      }
      const newestVersion = async (article: Id) => {
        const { docs } = await payload.findVersions({ collection: 'articles', where: { parent: { equals: article } }, sort: '-createdAt', limit: 1, depth: 0, overrideAccess: true })
        return docs[0] ? String(docs[0].id) : undefined
      }
      // What a person would ask for next, from the last state this client heard of.
      const writeOnce = async () => {
        const article = pick(working)
        const state = known.get(String(article))!
        const roll = Math.random()
        switch (state.status) {
          case 'draft':
            if (roll < 0.4) return write('edit', editor!, article)
            return write('submit', roll < 0.8 ? editor! : adminUser!, article)
          case 'changes_requested':
            if (roll < 0.5) return write('edit', editor!, article, { requested: 'submitted' })
            return write('submit', editor!, article)
          case 'submitted':
            if (roll < 0.75) return write('claim', pick(reviewers), article)
            return write('edit', editor!, article)
          case 'under_review': {
            const assignee = reviewers.find((reviewer) => String(reviewer.profileId) === String(state.assignedReviewer)) ?? pick(reviewers)
            if (roll < 0.55) return write('approve', assignee, article, { basedOnVersion: await newestVersion(article) })
            if (roll < 0.8) return write('request_changes', assignee, article)
            return write('edit', adminUser!, article)
          }
          default:
            return write('edit', editor!, article)
        }
      }
      const writer = async () => {
        while (!killed) await writeOnce()
      }

      const killAtMs = Math.round(KILL_WINDOW_MS[0] + Math.random() * (KILL_WINDOW_MS[1] - KILL_WINDOW_MS[0]))
      const burstStarted = performance.now()
      const writers = Array.from({ length: CONCURRENCY }, writer)
      await sleep(Math.max(0, killAtMs - (performance.now() - burstStarted)))
      killed = true
      const victim = server
      await killServer(victim)
      await Promise.all(writers)

      const integrity = sqliteFile ? await integrityOf(sqliteFile) : null
      const restartStarted = performance.now()
      server = await startServer(env, 120_000)
      const restartMs = Math.round(performance.now() - restartStarted)

      const checkStarted = performance.now()
      const touched = new Set([...published, ...working.map(String), ...cycleOps.flatMap((op) => (op.article === undefined ? [] : [String(op.article)]))])
      const restarted = server.url
      const result = await checkWorkflowInvariants({ payload, ops, articles: [...touched], editions, readPublic: (article) => readPublicArticle(restarted, article) })
      const before = violations.size
      for (const violation of result.violations) violations.set(`${violation.kind}|${String(violation.article)}|${violation.detail}`, violation)
      const acknowledged = cycleOps.filter((op) => isSuccess(op.status)).length
      const serverErrors = [...warmUpOps, ...cycleOps].filter((op) => op.status !== undefined && op.status >= 500).length
      const outcome: CycleResult = {
        cycle,
        warmUpAcknowledged: warmUpOps.filter((op) => isSuccess(op.status)).length,
        killedAtMs: killAtMs,
        sent: cycleOps.length,
        acknowledged,
        refused: cycleOps.filter((op) => op.status !== undefined && op.status >= 300 && op.status < 500).length,
        serverErrors,
        unanswered: cycleOps.filter((op) => op.status === undefined).length,
        lost: result.lost.filter((loss) => [...warmUpOps, ...cycleOps].some((op) => loss.detail.includes(op.token))).length,
        newViolations: violations.size - before,
        integrity,
        restartMs,
        checkMs: Math.round(performance.now() - checkStarted),
      }
      cycles.push(outcome)
      log(
        `${kind.padEnd(8)} cycle ${String(cycle).padStart(2)}/${CYCLES}: warm-up ${outcome.warmUpAcknowledged} acknowledged; killed at ${String(killAtMs).padStart(3)} ms: ${outcome.sent} writes sent, ${acknowledged} acknowledged, ` +
          `${outcome.refused} refused, ${serverErrors} 5xx, ${outcome.unanswered} unanswered; lost ${outcome.lost}, new violations ${outcome.newViolations}` +
          `${integrity === null ? '' : `, integrity ${integrity}`}; restart ${restartMs} ms, check ${outcome.checkMs} ms`,
      )
      for (const violation of result.violations.slice(0, 3)) if (outcome.newViolations > 0) log(`           article ${String(violation.article)}: ${violation.kind}: ${violation.detail}`)
    }

    const all = [...violations.values()]
    const acknowledged = cycles.reduce((sum, cycle) => sum + cycle.acknowledged, 0)
    const lost = cycles.reduce((sum, cycle) => sum + cycle.lost, 0)
    const serverErrors = cycles.reduce((sum, cycle) => sum + cycle.serverErrors, 0)
    const integrityFailures = cycles.filter((cycle) => cycle.integrity !== null && cycle.integrity !== 'ok').length
    const restarts = cycles.map((cycle) => cycle.restartMs).sort((a, b) => a - b)
    return {
      database: kind,
      cycles,
      acknowledged,
      warmUpAcknowledged: cycles.reduce((sum, cycle) => sum + cycle.warmUpAcknowledged, 0),
      lost,
      violations: all.length,
      violationsByKind: countByKind(all),
      examples: all.slice(0, 20),
      editions: editions.size,
      serverErrors,
      integrityFailures,
      restartMsMedian: restarts[Math.floor(restarts.length / 2)] ?? 0,
      seconds: Math.round((Date.now() - started) / 1000),
      passed: lost === 0 && all.length === 0 && serverErrors === 0 && integrityFailures === 0,
    }
  } finally {
    if (server) await stopServer(server)
    await payload.destroy().catch(() => undefined)
    await embedded?.stop()
    if (directory) rmSync(directory, { recursive: true, force: true })
  }
}

/** Runs one database in a child process of this script and reads back its summary. */
const runChild = (kind: Kind): Promise<KindSummary> =>
  new Promise((resolve, reject) => {
    const summaryFile = path.join(os.tmpdir(), `vetted-crash-${kind}-${process.pid}.json`)
    const env: NodeJS.ProcessEnv = { ...process.env, CRASH_DB: kind, CRASH_SUMMARY_FILE: summaryFile }
    delete env.NODE_OPTIONS
    const child = spawn(process.execPath, ['--conditions=production', '--import', 'tsx', 'bench/crashTest.ts'], { cwd: ROOT, env, stdio: 'inherit' })
    child.once('exit', (code) => {
      try {
        const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as KindSummary
        rmSync(summaryFile, { force: true })
        resolve(summary)
      } catch {
        reject(new Error(`the ${kind} run exited with ${code} without a summary`))
      }
    })
  })

const main = async (): Promise<boolean> => {
  const single = process.env.CRASH_DB as Kind | undefined
  if (single) {
    const summary = await runDatabase(single)
    writeFileSync(process.env.CRASH_SUMMARY_FILE ?? path.join(os.tmpdir(), `vetted-crash-${single}.json`), JSON.stringify(summary))
    return summary.passed
  }
  const started = Date.now()
  const kinds = (process.env.CRASH_DATABASES ?? 'sqlite,postgres').split(',').map((kind) => kind.trim()) as Kind[]
  log(`Crash test: ${CYCLES} cycles each on ${kinds.join(' and ')}, ${CONCURRENCY} concurrent workflow writes, SIGKILL ${KILL_WINDOW_MS[0]}–${KILL_WINDOW_MS[1]} ms into each burst`)
  // The databases run side by side: a cycle mostly waits for a server to start, not for the CPU.
  const summaries: KindSummary[] = process.env.CRASH_SEQUENTIAL === 'true' ? [] : await Promise.all(kinds.map(runChild))
  if (process.env.CRASH_SEQUENTIAL === 'true') for (const kind of kinds) summaries.push(await runChild(kind))
  const seconds = Math.round((Date.now() - started) / 1000)
  log('')
  log(`Crash test summary (${seconds} s in all)`)
  for (const summary of summaries) {
    const integrity = summary.database === 'sqlite' ? `, integrity_check ok in ${summary.cycles.length - summary.integrityFailures} of ${summary.cycles.length}` : ''
    log(
      `  ${summary.database.padEnd(8)} ${summary.cycles.length} cycles in ${summary.seconds} s (restart median ${summary.restartMsMedian} ms): ` +
        `${summary.acknowledged} writes acknowledged in the bursts before a kill (and ${summary.warmUpAcknowledged} in the warm-up waves), ${summary.lost} lost, ${summary.violations} violations, ${summary.serverErrors} 5xx${integrity}; editions re-checked after every cycle: ${summary.editions}`,
    )
    if (summary.violations > 0) log(`           ${JSON.stringify(summary.violationsByKind)}`)
    for (const example of summary.examples.slice(0, 5)) log(`           e.g. article ${String(example.article)}: ${example.kind}: ${example.detail}`)
  }
  const passed = summaries.every((summary) => summary.passed)
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true })
  writeFileSync(RESULTS_FILE, `${JSON.stringify({ date: new Date().toISOString(), passed, seconds, cycles: CYCLES, concurrency: CONCURRENCY, killWindowMs: KILL_WINDOW_MS, databases: summaries }, null, 2)}\n`)
  log(passed ? 'Crash test passed.' : 'Crash test FAILED.')
  log(`Results written to ${path.relative(ROOT, RESULTS_FILE)}`)
  return passed
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (err: unknown) => {
    process.stderr.write(`crashtest: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  },
)
