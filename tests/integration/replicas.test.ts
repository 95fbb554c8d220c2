import { afterAll, beforeAll, expect, test } from '@jest/globals'

import { DEMO_ACCOUNTS } from '../../seeds/demoAccounts'
import { lexicalParagraph } from '../support/articles'
import { runToExit, startServer, type RunningServer } from '../support/spawnServer'
import { createTestDatabase, type TestDatabase } from '../support/testDatabase'

/*
 * Two production servers on one database, started at the same moment. On PostgreSQL a change made
 * through one reaches the other's response cache over LISTEN/NOTIFY; on SQLite it shows once the
 * other's cached copy outlives RESPONSE_CACHE_TTL.
 */

const onPostgres = process.env.TEST_DB === 'postgres'
/** On PostgreSQL the TTL is far longer than the second allowed, so only the notification can explain a fresh read. */
const CACHE_TTL_SECONDS = onPostgres ? 60 : 4
const PASSWORD = 'replicas-demo-password'
const POLL_MS = 20

let database: TestDatabase
const replicas: RunningServer[] = []
let a: RunningServer
let b: RunningServer

const env = () => ({
  NODE_ENV: 'production',
  PAYLOAD_SECRET: 'replicas-test-shared-secret',
  DATABASE_URL: database.url,
  DEMO_PASSWORD: PASSWORD,
  RESPONSE_CACHE_TTL: String(CACHE_TTL_SECONDS),
})

beforeAll(async () => {
  database = await createTestDatabase()
  const migrated = await runToExit(env(), ['node_modules/payload/bin.js', 'migrate'], 120_000)
  expect(migrated.code).toBe(0)
  const started = await Promise.allSettled([startServer(env(), 120_000), startServer(env(), 120_000)])
  for (const result of started) if (result.status === 'fulfilled') replicas.push(result.value)
  const failed = started.find((result) => result.status === 'rejected')
  if (failed) throw failed.reason
  ;[a, b] = replicas as [RunningServer, RunningServer]
}, 300_000)

afterAll(async () => {
  await Promise.all(
    replicas.map((replica) => {
      replica.child.kill('SIGTERM')
      return replica.exited
    }),
  )
  await database?.drop()
})

type Answer = { status: number; headers: Headers; body: Record<string, unknown> & { docs?: { id: number }[] }; text: string }

const call = async (replica: RunningServer, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Answer> => {
  const headers: Record<string, string> = {}
  if (options.token) headers.authorization = `JWT ${options.token}`
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${replica.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) })
  const text = await res.text()
  let body = {}
  try {
    body = JSON.parse(text)
  } catch {
    // Not JSON (a 304 or an empty body).
  }
  return { status: res.status, headers: res.headers, body, text }
}

const login = async (replica: RunningServer, email: string): Promise<string> => {
  const res = await call(replica, 'POST', '/api/users/login', { body: { email, password: PASSWORD } })
  expect(res.status).toBe(200)
  return res.body.token as string
}

/** Reads `path` anonymously on `replica` twice; the second answer must come from its cache. */
const cacheOn = async (replica: RunningServer, path: string): Promise<Answer> => {
  await call(replica, 'GET', path)
  const second = await call(replica, 'GET', path)
  expect(second.headers.get('x-cache')).toBe('hit')
  return second
}

/** Polls `path` anonymously on `replica` every 20 ms until `isFresh`; returns how long that took after `since`. */
const untilFresh = async (replica: RunningServer, path: string, isFresh: (answer: Answer) => boolean, since: number, giveUpMs: number) => {
  const answers: Answer[] = []
  for (;;) {
    const answer = await call(replica, 'GET', path)
    answers.push(answer)
    const elapsed = performance.now() - since
    if (isFresh(answer) || elapsed > giveUpMs) return { delayMs: Math.round(elapsed), fresh: isFresh(answer), first: answers[0]! }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/**
 * What B must do after A's change: at once on PostgreSQL (asserted within the second the issue
 * asks for), after its cached copy expires on SQLite (first the stale copy, then the fresh one).
 */
const expectPropagation = (what: string, result: Awaited<ReturnType<typeof untilFresh>>) => {
  console.log(`replicas (${database.kind}): ${what} showed on replica B ${result.delayMs} ms after replica A answered`)
  expect(result.fresh).toBe(true)
  if (onPostgres) expect(result.delayMs).toBeLessThan(1_000)
  else expect(result.first.headers.get('x-cache')).toBe('hit')
}
const GIVE_UP_MS = onPostgres ? 1_000 : (CACHE_TTL_SECONDS + 10) * 1_000

test('two replicas started together both come up, and the demo accounts and content are created once', async () => {
  for (const replica of replicas) expect((await call(replica, 'GET', '/readyz')).status).toBe(200)
  const seeded = replicas.filter((replica) => /Demo content loaded/.test(replica.output()))
  expect(seeded).toHaveLength(1)

  const admin = await login(b, 'admin@example.com')
  const users = await call(a, 'GET', '/api/users?limit=100&depth=0', { token: admin })
  expect((users.body.docs as unknown as { email: string }[]).map((user) => user.email).sort()).toEqual(DEMO_ACCOUNTS.map((account) => account.email).sort())
  expect((await call(a, 'GET', '/api/reviewers?limit=100', { token: admin })).body.totalDocs).toBe(2)
  expect((await call(b, 'GET', '/api/articles?limit=100&draft=true', { token: admin })).body.totalDocs).toBe(1)
})

test(
  onPostgres
    ? 'with the cache on, B serves what A approved or unpublished within a second (LISTEN/NOTIFY)'
    : 'with the cache on, B serves what A approved or unpublished once its cached copy outlives RESPONSE_CACHE_TTL',
  async () => {
    const editor = await login(a, 'editor@example.com')
    const reviewer = await login(a, 'reviewer1@example.com')
    const admin = await login(a, 'admin@example.com')
    const move = async (token: string, id: number, data: Record<string, unknown>) => {
      const res = await call(a, 'PATCH', `/api/articles/${id}?depth=0`, { token, body: data })
      expect(res.status).toBe(200)
      return performance.now()
    }
    const submitted = async (extra: Record<string, unknown> = {}) => {
      const res = await call(a, 'POST', '/api/articles', {
        token: editor,
        body: { question: `Replica question ${Date.now()} ${Math.random()}?`, bottomLine: lexicalParagraph('First answer'), reviewStatus: 'submitted', ...extra },
      })
      expect(res.status).toBe(201)
      return (res.body.doc as { id: number }).id
    }

    // A newly approved article joins B's cached list.
    const listPath = '/api/articles?limit=100&depth=0&sort=-createdAt'
    const fresh = await submitted()
    await move(reviewer, fresh, { reviewStatus: 'under_review' })
    expect((await cacheOn(b, listPath)).body.docs!.map((doc) => doc.id)).not.toContain(fresh)
    const approvedAt = await move(reviewer, fresh, { reviewStatus: 'approved' })
    expectPropagation('a newly approved article in the list', await untilFresh(b, listPath, (res) => res.body.docs!.some((doc) => doc.id === fresh), approvedAt, GIVE_UP_MS))

    // A new revision of a published article, approved on A, replaces the one B has cached.
    const articlePath = `/api/articles/${fresh}?depth=0`
    await move(editor, fresh, { bottomLine: lexicalParagraph('Revised answer') })
    await move(editor, fresh, { reviewStatus: 'submitted' })
    await move(reviewer, fresh, { reviewStatus: 'under_review' })
    expect((await cacheOn(b, articlePath)).text).toContain('First answer')
    const reapprovedAt = await move(reviewer, fresh, { reviewStatus: 'approved' })
    expectPropagation('an approved revision', await untilFresh(b, articlePath, (res) => res.text.includes('Revised answer'), reapprovedAt, GIVE_UP_MS))

    // An admin withdraws it on A: B stops serving it.
    expect((await cacheOn(b, articlePath)).status).toBe(200)
    const unpublished = await call(a, 'PATCH', `/api/articles/${fresh}?draft=false`, { token: admin, body: { _status: 'draft' } })
    expect(unpublished.status).toBe(200)
    expectPropagation('an unpublish', await untilFresh(b, articlePath, (res) => res.status === 404, performance.now(), GIVE_UP_MS))
  },
)

test('two development-mode replicas started together on an empty database migrate and seed it once', async () => {
  const empty = await createTestDatabase()
  const development = { NODE_ENV: 'development', DATABASE_URL: empty.url, DEMO_PASSWORD: PASSWORD }
  const started = await Promise.allSettled([startServer(development, 120_000), startServer(development, 120_000)])
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  try {
    expect(started.filter((result) => result.status === 'rejected')).toEqual([])
    expect(running.filter((replica) => /Applying \d+ migration/.test(replica.output()))).toHaveLength(1)
    expect(running.filter((replica) => /Demo content loaded/.test(replica.output()))).toHaveLength(1)
    const admin = await login(running[1]!, 'admin@example.com')
    const users = await call(running[0]!, 'GET', '/api/users?limit=100&depth=0', { token: admin })
    expect((users.body.docs as unknown as { email: string }[]).map((user) => user.email).sort()).toEqual(DEMO_ACCOUNTS.map((account) => account.email).sort())
  } finally {
    await Promise.all(
      running.map((replica) => {
        replica.child.kill('SIGTERM')
        return replica.exited
      }),
    )
    await empty.drop()
  }
})

test('a logout on A ends the token on B', async () => {
  const token = await login(a, 'editor@example.com')
  expect(((await call(b, 'GET', '/api/users/me', { token })).body.user as { email?: string } | null)?.email).toBe('editor@example.com')
  expect((await call(a, 'POST', '/api/users/logout', { token })).status).toBe(200)
  expect((await call(b, 'GET', '/api/users/me', { token })).body.user).toBeNull()
})
