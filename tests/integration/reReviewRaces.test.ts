/**
 * The guarantee of src/delivery/reReview.ts under concurrency: an approval running at the same time
 * as a change to a reference it cites either includes the change, or is flagged by it. Each round
 * fires the final approval and a reference PATCH at once (in an order and with a delay fixed by the
 * round's number, so each side wins in some rounds), then checks
 *
 *   (the edition's copy of the reference == the reference now) OR (the live row flags the reference)
 *
 * and that never both hold (a flag on an edition that includes the change would be spurious). Rounds
 * alternate between an article's first approval (no public copy yet) and a re-approval (the public
 * copy exists). Every round runs even after one breaks, so a failure reports how many did.
 * One test runs in one process; the other sends the approval to one server process and the
 * reference change to another, on the same database.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

import { REFERENCE_FIELDS } from '../../src/delivery/document'
import { lexicalParagraph } from '../support/articles'
import { runToExit, startServer, stopServer, type RunningServer } from '../support/spawnServer'
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/testApp'
import { createTestDatabase, type TestDatabase } from '../support/testDatabase'

const ROUNDS = Math.max(2, Number(process.env.RE_REVIEW_ROUNDS ?? 30))

type Answer = { status: number; body: Record<string, unknown> }
type Target = { name: string; url: string }
type Tokens = { editor: string; reviewer: string }

const call = async (target: Target, method: string, path: string, token?: string, body?: unknown): Promise<Answer> => {
  const headers: Record<string, string> = {}
  if (token) headers.authorization = `JWT ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${target.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  let parsed: Record<string, unknown> = {}
  try {
    parsed = JSON.parse(text) as Record<string, unknown>
  } catch {
    parsed = { text }
  }
  return { status: res.status, body: parsed }
}

const ok = async (target: Target, method: string, path: string, token: string, body?: unknown, status = 200): Promise<Record<string, unknown>> => {
  const res = await call(target, method, path, token, body)
  if (res.status !== status) throw new Error(`${method} ${path} on ${target.name} answered ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body
}

const signIn = async (target: Target, email: string, password: string): Promise<string> =>
  (await ok(target, 'POST', '/api/users/login', '', { email, password })).token as string

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Round n always gets the same plan: which request is sent first, and how long after it the other
 * follows, as a fraction of how long an approval takes on this machine now. Most rounds send the
 * change somewhere inside the approval, where it is decided against a reference the approval may
 * be reading.
 */
const roundPlan = (round: number) => {
  let state = (round + 1) * 2654435761
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state / 2 ** 31
  }
  const changeFirst = next() < 0.25
  return { changeFirst, fraction: changeFirst ? next() * 0.3 : next() * 1.1, kind: round % 2 === 0 ? ('first approval' as const) : ('re-approval' as const) }
}

const publicFields = (doc: Record<string, unknown>) => JSON.stringify(Object.fromEntries(REFERENCE_FIELDS.map((key) => [key, doc[key] ?? null])))

type Tally = { included: number; flagged: number; violations: string[] }

/**
 * Runs the rounds: setup and checks go through `approveVia`; the reference change goes to `patchVia`
 * (another process in the two-process test).
 */
const race = async (approveVia: Target, patchVia: Target, tokens: Tokens, label: string): Promise<Tally> => {
  const tally: Tally = { included: 0, flagged: 0, violations: [] }
  const startedAt = performance.now()
  /** How long an approval takes now (a moving average), to spread the changes across it. */
  let approvalMs = 300
  for (let round = 0; round < ROUNDS; round++) {
    const plan = roundPlan(round)
    const stamp = `${Date.now().toString(36)}-${round}`
    const reference = await ok(
      approveVia,
      'POST',
      '/api/references',
      tokens.editor,
      { type: 'guideline', title: `Guideline ${stamp}`, authors: 'Board A', year: 2020, doi: `10.5555/race.${stamp}`, url: `https://guidelines.example/${stamp}` },
      201,
    ).then((body) => body.doc as { id: number })
    const article = await ok(
      approveVia,
      'POST',
      '/api/articles',
      tokens.editor,
      { question: `Does the race ${stamp} reach readers?`, bottomLine: lexicalParagraph('Only through review.'), references: [reference.id], reviewStatus: 'submitted' },
      201,
    ).then((body) => body.doc as { id: number })
    const articlePath = `/api/articles/${article.id}?depth=0`
    if (plan.kind === 're-approval') {
      await ok(approveVia, 'PATCH', articlePath, tokens.reviewer, { reviewStatus: 'under_review' })
      await ok(approveVia, 'PATCH', articlePath, tokens.reviewer, { reviewStatus: 'approved' })
      await ok(approveVia, 'PATCH', articlePath, tokens.editor, { reviewStatus: 'submitted' })
    }
    await ok(approveVia, 'PATCH', articlePath, tokens.reviewer, { reviewStatus: 'under_review' })

    const delayMs = Math.round(plan.fraction * approvalMs)
    const approve = () => call(approveVia, 'PATCH', articlePath, tokens.reviewer, { reviewStatus: 'approved' })
    const change = () => call(patchVia, 'PATCH', `/api/references/${reference.id}`, tokens.editor, { title: `Changed during approval ${stamp}`, url: 'https://changed.example/' })
    const timed = async (work: () => Promise<Answer>, after: number) => {
      await sleep(after)
      const started = performance.now()
      const answer = await work()
      return { answer, started, ended: performance.now() }
    }
    const [approvalTimed, changeTimed] = await Promise.all([timed(approve, plan.changeFirst ? delayMs : 0), timed(change, plan.changeFirst ? 0 : delayMs)])
    const approved = approvalTimed.answer
    const changed = changeTimed.answer
    approvalMs = Math.round(0.7 * approvalMs + 0.3 * (approvalTimed.ended - approvalTimed.started))
    const t0 = Math.min(approvalTimed.started, changeTimed.started)
    const span = (t: { started: number; ended: number }) => `${Math.round(t.started - t0)}-${Math.round(t.ended - t0)} ms`
    const where = `round ${round} (${plan.kind}: approval ${span(approvalTimed)}, change ${span(changeTimed)})`
    if (approved.status !== 200 || changed.status !== 200) {
      tally.violations.push(`${where}: the approval answered ${approved.status}, the change ${changed.status}: ${JSON.stringify([approved.body, changed.body])}`)
      continue
    }

    // What readers get (past the response cache), the reference now, and the queue.
    const publicCopy = await call(approveVia, 'GET', `/api/articles/${article.id}?depth=1&round=${stamp}`)
    const now = await ok(approveVia, 'GET', `/api/references/${reference.id}?depth=0`, tokens.editor)
    const queue = (await ok(approveVia, 'GET', '/api/articles/needs-re-review', tokens.editor)).docs as { article: number; changes: { kind: string; id: string; fields: string[] }[] }[]
    if (publicCopy.status !== 200) {
      tally.violations.push(`${where}: the approved article is not public (${publicCopy.status})`)
      continue
    }
    const snapshot = (publicCopy.body.references as Record<string, unknown>[]).find((item) => item.id === reference.id)
    const included = snapshot !== undefined && publicFields(snapshot) === publicFields(now)
    const flag = queue.find((entry) => entry.article === article.id)?.changes.find((entry) => entry.kind === 'reference' && entry.id === String(reference.id))
    if (included && flag) tally.violations.push(`${where}: the edition includes the change, yet it is flagged ${JSON.stringify(flag)}`)
    else if (!included && !flag) tally.violations.push(`${where}: the edition holds ${JSON.stringify(snapshot)}, the reference now reads ${publicFields(now)}, and nothing flags it`)
    else if (flag && JSON.stringify(flag.fields) !== JSON.stringify(['title', 'url'])) tally.violations.push(`${where}: flagged with fields ${JSON.stringify(flag.fields)}`)
    else if (included) tally.included++
    else tally.flagged++
    if (process.env.RE_REVIEW_TRACE) process.stdout.write(`${where}: ${included ? 'included' : flag ? 'flagged' : 'BROKEN'}\n`)
  }
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1)
  process.stdout.write(
    `re-review race, ${label} (${process.env.TEST_DB}): ${ROUNDS} rounds in ${seconds} s; approval included the change ${tally.included}, flagged by it ${tally.flagged}, broken ${tally.violations.length}\n` +
      tally.violations.map((line) => `  ${line}\n`).join(''),
  )
  return tally
}

describe('an approval racing a change to a reference it cites', () => {
  let ctx: TestApp
  let server: Server
  let target: Target

  beforeAll(async () => {
    ctx = await startTestApp()
    server = ctx.app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    target = { name: 'the app', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
  })
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve))
    await ctx?.close()
  })

  test(`in one process: either includes the change or is flagged by it, every round`, async () => {
    const tokens = { editor: await signIn(target, 'editor@example.com', DEMO_PASSWORD), reviewer: await signIn(target, 'reviewer1@example.com', DEMO_PASSWORD) }
    const tally = await race(target, target, tokens, 'one process')
    expect(tally.violations).toEqual([])
    expect(tally.included + tally.flagged).toBe(ROUNDS)
  })
})

describe('an approval on one server process racing a reference change on another, same database', () => {
  const PASSWORD = 're-review-races-password'
  let database: TestDatabase
  const servers: RunningServer[] = []

  beforeAll(async () => {
    database = await createTestDatabase()
    const env = { NODE_ENV: 'production', PAYLOAD_SECRET: 're-review-races-secret', DATABASE_URL: database.url, DEMO_PASSWORD: PASSWORD }
    const migrated = await runToExit(env, ['node_modules/payload/bin.js', 'migrate'], 120_000)
    expect(migrated.code).toBe(0)
    // One after the other: the second finds the demo content the first created.
    servers.push(await startServer(env, 120_000))
    servers.push(await startServer(env, 120_000))
  }, 300_000)
  afterAll(async () => {
    await Promise.all(servers.map((server) => stopServer(server)))
    await database?.drop()
  })

  test('either includes the change or is flagged by it, every round', async () => {
    const [a, b] = servers.map((server, index) => ({ name: `process ${index === 0 ? 'A' : 'B'}`, url: server.url })) as [Target, Target]
    const tokens = { editor: await signIn(a, 'editor@example.com', PASSWORD), reviewer: await signIn(a, 'reviewer1@example.com', PASSWORD) }
    // Sessions are rows in the database: B accepts A's tokens.
    const tally = await race(a, b, tokens, 'two processes')
    expect(tally.violations).toEqual([])
    expect(tally.included + tally.flagged).toBe(ROUNDS)
  })
})
