import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { commitTransaction, createLocalReq, initTransaction, killTransaction, type CollectionAfterChangeHook } from 'payload'
import pg from 'pg'
import request from 'supertest'

import { PROCESS_ID, PUBLIC_CHANGE_CHANNEL, startCacheListener, startCacheListenerFor } from '../../src/cluster'
import { serveCached, sharingSuspended } from '../../src/delivery/responseCache'
import { createArticle } from '../support/articles'
import { auth, login, type Session } from '../support/http'
import { startTestApp, type TestApp } from '../support/testApp'

let ctx: TestApp
let editor: Session
let reviewer: Session
let admin: Session
let demoId: number

beforeAll(async () => {
  ctx = await startTestApp()
  editor = await login(ctx.app, 'editor@example.com')
  reviewer = await login(ctx.app, 'reviewer1@example.com')
  admin = await login(ctx.app, 'admin@example.com')
  demoId = (await request(ctx.app).get('/api/articles')).body.docs[0].id
})
afterAll(async () => {
  await ctx?.close()
})

/** Reads twice anonymously and returns the second response, which must come from the cache. */
const cachedRead = async (path: string) => {
  await request(ctx.app).get(path)
  const second = await request(ctx.app).get(path)
  expect(second.headers['x-cache']).toBe('hit')
  return second
}

describe('anonymous reads', () => {
  test('carry a strong ETag and Cache-Control, are served from memory the second time, and answer If-None-Match with 304', async () => {
    const first = await request(ctx.app).get('/api/articles?limit=5')
    expect(first.status).toBe(200)
    expect(first.headers['x-cache']).toBe('miss')
    expect(first.headers.etag).toMatch(/^"[\w-]{27}(?:-gzip)?"$/)
    expect(first.headers['cache-control']).toBe('public, max-age=10, stale-while-revalidate=60')
    const second = await request(ctx.app).get('/api/articles?limit=5')
    expect(second.headers['x-cache']).toBe('hit')
    expect(second.headers.etag).toBe(first.headers.etag)
    expect(second.body).toEqual(first.body)
    const notModified = await request(ctx.app).get('/api/articles?limit=5').set('if-none-match', first.headers.etag!)
    expect(notModified.status).toBe(304)
    expect(notModified.text ?? '').toBe('')
  })

  test('are compressed for clients that accept gzip, with a distinct ETag, and sent as they are to others', async () => {
    const path = `/api/articles/${demoId}?depth=1`
    const plain = await request(ctx.app).get(path).set('accept-encoding', 'identity')
    expect(plain.headers['content-encoding']).toBeUndefined()
    const gzipped = await request(ctx.app).get(path).set('accept-encoding', 'gzip, deflate')
    expect(gzipped.headers['x-cache']).toBe('hit')
    expect(gzipped.headers['content-encoding']).toBe('gzip')
    expect(Number(gzipped.headers['content-length'])).toBeLessThan(Number(plain.headers['content-length']))
    expect(gzipped.headers.etag).toBe(`${plain.headers.etag!.slice(0, -1)}-gzip"`)
    expect(gzipped.body).toEqual(plain.body)
    expect(gzipped.headers.vary).toMatch(/Accept-Encoding/)
    expect((await request(ctx.app).get(path).set('accept-encoding', 'gzip').set('if-none-match', gzipped.headers.etag!)).status).toBe(304)
    expect((await request(ctx.app).get(path).set('accept-encoding', 'identity').set('if-none-match', gzipped.headers.etag!)).status).toBe(200)
  })

  test('signed-in responses are never cached nor served from the cache', async () => {
    await cachedRead('/api/articles?limit=3')
    const signedIn = await request(ctx.app).get('/api/articles?limit=3&draft=true').set(auth(editor))
    expect(signedIn.headers['x-cache']).toBeUndefined()
    expect(signedIn.headers['cache-control']).toBe('private, no-store')
    const signedInSameUrl = await request(ctx.app).get('/api/articles?limit=3').set(auth(editor))
    expect(signedInSameUrl.headers['x-cache']).toBeUndefined()
    const cookie = await request(ctx.app).get('/api/articles?limit=3').set('cookie', `payload-token=${editor.token}`)
    expect(cookie.headers['x-cache']).toBeUndefined()
  })

  test('errors and non-public paths are not cached', async () => {
    await request(ctx.app).get('/api/articles/999999')
    expect((await request(ctx.app).get('/api/articles/999999')).headers['x-cache']).toBeUndefined()
    await request(ctx.app).get('/api/users')
    expect((await request(ctx.app).get('/api/users')).headers['x-cache']).toBeUndefined()
  })
})

describe('requests Payload could authenticate bypass the cache, however their credentials are spelled', () => {
  let draft: { id: number; slug: string }
  beforeAll(async () => {
    const created = await createArticle(ctx.app, editor)
    const staffView = await request(ctx.app).get(`/api/articles/${created.id}?draft=true`).set(auth(editor))
    draft = { id: created.id, slug: staffView.body.slug as string }
  })

  type Spelling = { name: string; headers: (token: string) => Record<string, string | string[]> }
  /** Each of these signs the editor in: Payload's cookie parser trims names and decodes values. */
  const acceptedByPayload: Spelling[] = [
    { name: 'the plain cookie', headers: (token) => ({ cookie: `payload-token=${token}` }) },
    { name: 'a space before =', headers: (token) => ({ cookie: `payload-token =${token}` }) },
    { name: 'spaces and a tab around the name', headers: (token) => ({ cookie: `theme=dark;  payload-token\t =${token}` }) },
    { name: '; without a space', headers: (token) => ({ cookie: `theme=dark;payload-token=${token}` }) },
    { name: 'among several cookies', headers: (token) => ({ cookie: `a=1; payload-token=${token}; audience=patient` }) },
    { name: 'two Cookie headers', headers: (token) => ({ cookie: ['a=1', `payload-token=${token}`] }) },
    { name: 'a URL-encoded value', headers: (token) => ({ cookie: `payload-token=%${token.charCodeAt(0).toString(16)}${token.slice(1)}` }) },
    { name: 'Authorization: JWT', headers: (token) => ({ Authorization: `JWT ${token}` }) },
    { name: 'Authorization: Bearer', headers: (token) => ({ Authorization: `Bearer ${token}` }) },
    { name: 'a lowercase authorization header', headers: (token) => ({ authorization: `Bearer ${token}` }) },
  ]
  /** Payload does not sign these in today; the cache treats them as signed in all the same. */
  const doubtful: Spelling[] = [
    { name: 'an API key', headers: () => ({ authorization: 'users API-Key 0123456789abcdef' }) },
    { name: 'an empty Authorization header', headers: () => ({ authorization: '' }) },
    { name: 'the name in capitals', headers: (token) => ({ cookie: `PAYLOAD-TOKEN=${token}` }) },
    { name: 'the name percent-encoded', headers: (token) => ({ cookie: `payload%2Dtoken=${token}` }) },
    { name: 'a space inside the name', headers: (token) => ({ cookie: `payload- token=${token}` }) },
  ]

  const withHeaders = (test: request.Test, headers: Record<string, string | string[]>) => {
    for (const [name, value] of Object.entries(headers)) test.set(name, value as string)
    return test
  }
  const draftQuery = (operation: string) => ({
    query: `query ${operation}($slug: String) { Articles(draft: true, where: { slug: { equals: $slug } }) { docs { id question authors { email } } } }`,
    variables: { slug: draft.slug },
  })
  const postQuery = (body: object) => request(ctx.app).post('/api/graphql').set('content-type', 'application/json').send(JSON.stringify(body))

  test.each(acceptedByPayload.map((spelling, index) => [spelling.name, spelling, index] as const))(
    '%s: Payload signs the editor in, and the staff answer is neither stored nor served (REST and GraphQL)',
    async (_name, spelling, index) => {
      const headers = spelling.headers(editor.token)
      const me = await withHeaders(request(ctx.app).get('/api/users/me'), headers)
      expect(me.body.user?.email).toBe('editor@example.com')

      const path = `/api/articles?where[slug][equals]=${draft.slug}&draft=true&depth=1&spelling=${index}`
      const staff = await withHeaders(request(ctx.app).get(path), headers)
      expect(staff.body.docs.map((doc: { id: number }) => doc.id)).toEqual([draft.id])
      expect(staff.body.docs[0].authors[0].email).toBe('editor@example.com')
      expect(staff.headers['cache-control']).toBe('private, no-store')
      expect(staff.headers['x-cache']).toBeUndefined()
      const anonymous = await request(ctx.app).get(path)
      expect(anonymous.headers['x-cache']).toBe('miss')
      expect(anonymous.body.docs).toEqual([])
      expect(anonymous.text).not.toContain('editor@example.com')

      const body = draftQuery(`Spelling${index}`)
      const staffQuery = await withHeaders(postQuery(body), headers)
      expect(staffQuery.body.data.Articles.docs[0].authors[0].email).toBe('editor@example.com')
      expect(staffQuery.headers['cache-control']).toBe('private, no-store')
      const anonymousQuery = await postQuery(body)
      expect(anonymousQuery.headers['x-cache']).toBe('miss')
      expect(anonymousQuery.body.data.Articles.docs).toEqual([])
      expect(anonymousQuery.text).not.toContain('editor@example.com')
    },
  )

  test.each(doubtful.map((spelling, index) => [spelling.name, spelling, index] as const))(
    '%s: not signed in by Payload, yet kept out of the cache',
    async (_name, spelling, index) => {
      const headers = spelling.headers(editor.token)
      const path = `/api/articles?limit=1&doubtful=${index}`
      await request(ctx.app).get(path)
      expect((await request(ctx.app).get(path)).headers['x-cache']).toBe('hit')
      const bypassed = await withHeaders(request(ctx.app).get(path), headers)
      expect(bypassed.headers['x-cache']).toBeUndefined()
      expect(bypassed.headers['cache-control']).toBe('private, no-store')

      const body = { query: `query Doubtful${index} { Articles(limit: 1) { docs { id } } }` }
      const bypassedQuery = await withHeaders(postQuery(body), headers)
      expect(bypassedQuery.headers['x-cache']).toBeUndefined()
      expect(bypassedQuery.headers['cache-control']).toBe('private, no-store')
      expect((await postQuery(body)).headers['x-cache']).toBe('miss')
    },
  )

  test('an anonymous reader with unrelated cookies is still served from the cache', async () => {
    const path = '/api/articles?limit=2&cookies=unrelated'
    await request(ctx.app).get(path).set('cookie', 'theme=dark; audience=patient')
    const second = await request(ctx.app).get(path).set('cookie', 'theme=dark; audience=patient')
    expect(second.headers['x-cache']).toBe('hit')
  })
})

describe('GraphQL queries', () => {
  const query = (slug: string) => ({
    query: 'query Q($slug: String) { Articles(where: { slug: { equals: $slug } }) { docs { id question reviewStatus } } }',
    variables: { slug },
  })
  const post = (body: object) => request(ctx.app).post('/api/graphql').set('content-type', 'application/json').send(JSON.stringify(body))

  test('an anonymous POST query is served from memory the second time, with an ETag and 304 support', async () => {
    const slug = (await request(ctx.app).get(`/api/articles/${demoId}`)).body.slug as string
    const first = await post(query(slug))
    expect(first.status).toBe(200)
    expect(first.headers['x-cache']).toBe('miss')
    expect(first.body.data.Articles.docs[0].id).toBe(demoId)
    const second = await post(query(slug))
    expect(second.headers['x-cache']).toBe('hit')
    expect(second.body).toEqual(first.body)
    expect(second.headers['content-type']).toBe(first.headers['content-type'])
    expect((await post(query(slug)).set('if-none-match', first.headers.etag!)).status).toBe(304)
    // Different variables are a different query.
    const other = await post(query('no-such-article'))
    expect(other.headers['x-cache']).toBe('miss')
    expect(other.body.data.Articles.docs).toEqual([])
  })

  test('a GET query is cached too', async () => {
    const path = `/api/graphql?query=${encodeURIComponent('{ Articles { totalDocs } }')}`
    expect((await request(ctx.app).get(path)).body.data.Articles.totalDocs).toBeGreaterThan(0)
    expect((await request(ctx.app).get(path)).headers['x-cache']).toBe('hit')
  })

  test('signed-in queries and mutations are never served from or stored in the cache', async () => {
    const body = { query: '{ Articles(limit: 5) { docs { id reviewStatus } } }' }
    await post(body)
    expect((await post(body)).headers['x-cache']).toBe('hit')
    const signedIn = await post(body).set(auth(editor))
    expect(signedIn.headers['x-cache']).toBeUndefined()
    expect(signedIn.headers['cache-control']).toBe('private, no-store')

    const mutation = { query: `mutation { updateReference(id: 1, data: { title: "Anonymous edit" }) { id } }` }
    const refused = await post(mutation)
    expect(refused.headers['x-cache']).toBeUndefined()
    expect(refused.body.errors[0].message).toMatch(/not allowed/i)
    expect((await post(mutation)).headers['x-cache']).toBeUndefined()
  })

  test('a change to public content invalidates cached GraphQL answers', async () => {
    const profile = (await request(ctx.app).get('/api/reviewers?limit=1&sort=id')).body.docs[0]
    const body = { query: `{ Reviewer(id: ${profile.id}) { bio } }` }
    await post(body)
    expect((await post(body)).headers['x-cache']).toBe('hit')
    await request(ctx.app).patch(`/api/reviewers/${profile.id}`).set(auth(admin)).send({ bio: 'Rewritten through REST' })
    const after = await post(body)
    expect(after.headers['x-cache']).toBe('miss')
    expect(after.body.data.Reviewer.bio).toBe('Rewritten through REST')
  })
})

describe('every change to what the public reads invalidates the cache', () => {
  test('an approval', async () => {
    const before = await cachedRead('/api/articles?limit=50')
    const article = await createArticle(ctx.app, editor, { reviewStatus: 'submitted' })
    await request(ctx.app).patch(`/api/articles/${article.id}`).set(auth(reviewer)).send({ reviewStatus: 'under_review' })
    await request(ctx.app).patch(`/api/articles/${article.id}`).set(auth(reviewer)).send({ reviewStatus: 'approved' })
    const after = await request(ctx.app).get('/api/articles?limit=50')
    expect(after.headers['x-cache']).toBe('miss')
    expect(after.body.totalDocs).toBe(before.body.totalDocs + 1)
  })

  test('unpublishing', async () => {
    await cachedRead(`/api/articles/${demoId}`)
    const unpublished = await request(ctx.app).patch(`/api/articles/${demoId}?draft=false`).set(auth(admin)).send({ _status: 'draft' })
    expect(unpublished.status).toBe(200)
    expect((await request(ctx.app).get(`/api/articles/${demoId}`)).status).toBe(404)
  })

  test('a reviewer profile', async () => {
    const reviewerProfile = (await request(ctx.app).get('/api/reviewers?limit=1')).body.docs[0]
    await cachedRead(`/api/reviewers/${reviewerProfile.id}`)
    await request(ctx.app).patch(`/api/reviewers/${reviewerProfile.id}`).set(auth(admin)).send({ bio: 'New public bio' })
    expect((await request(ctx.app).get(`/api/reviewers/${reviewerProfile.id}`)).body.bio).toBe('New public bio')
  })

  test('the editorial policy', async () => {
    await cachedRead('/api/globals/editorial-policy')
    await request(ctx.app).post('/api/globals/editorial-policy').set(auth(admin)).send({ disclaimer: 'A new disclaimer.' })
    expect((await request(ctx.app).get('/api/globals/editorial-policy')).body.disclaimer).toBe('A new disclaimer.')
  })

  test('a Local API write (no HTTP request) invalidates through the hooks', async () => {
    const profile = (await request(ctx.app).get('/api/reviewers?limit=1&sort=-id')).body.docs[0]
    await cachedRead(`/api/reviewers/${profile.id}`)
    await ctx.payload.update({ collection: 'reviewers', id: profile.id, data: { bio: 'Written through the Local API' } })
    expect((await request(ctx.app).get(`/api/reviewers/${profile.id}`)).body.bio).toBe('Written through the Local API')
  })
})

describe('changes that wait for review leave the cache warm (issue 11)', () => {
  test('an edit to a cited reference or a related question, and a draft save', async () => {
    const reference = (await request(ctx.app).get('/api/references?limit=1&sort=id').set(auth(editor))).body.docs[0]
    const related = (await request(ctx.app).get('/api/related-questions?limit=1&sort=id').set(auth(editor))).body.docs[0]
    const article = await createArticle(ctx.app, editor, { reviewStatus: 'submitted', references: [reference.id], relatedQuestions: [related.id] })
    await request(ctx.app).patch(`/api/articles/${article.id}`).set(auth(reviewer)).send({ reviewStatus: 'under_review' })
    await request(ctx.app).patch(`/api/articles/${article.id}`).set(auth(reviewer)).send({ reviewStatus: 'approved' })
    const path = `/api/articles/${article.id}?depth=1`
    const before = await cachedRead(path)
    expect(before.body.references[0].id).toBe(reference.id)
    expect((await request(ctx.app).patch(`/api/references/${reference.id}`).set(auth(editor)).send({ title: 'Retitled, awaiting review' })).status).toBe(200)
    expect((await request(ctx.app).patch(`/api/related-questions/${related.id}`).set(auth(editor)).send({ question: 'Reworded, awaiting review?' })).status).toBe(200)
    expect((await request(ctx.app).patch(`/api/articles/${article.id}`).set(auth(editor)).send({ plainLanguageAnswer: 'A draft nobody reviewed.' })).status).toBe(200)
    const after = await request(ctx.app).get(path)
    expect(after.headers['x-cache']).toBe('hit')
    expect(after.body).toEqual(before.body)
  })
})

describe('requests that change nothing public', () => {
  test('leave the cache in place: a login, a signed-in query, a refused write, a 400', async () => {
    const path = '/api/articles?limit=4&depth=1'
    await cachedRead(path)
    await login(ctx.app, 'editor@example.com')
    await request(ctx.app)
      .post('/api/graphql')
      .set(auth(editor))
      .send({ query: '{ Articles(limit: 1, draft: true) { docs { id } } }' })
    expect((await request(ctx.app).patch('/api/references/1').send({ title: 'Anonymous edit' })).status).toBe(403)
    expect((await request(ctx.app).post('/api/references').set(auth(editor)).send({})).status).toBe(400)
    expect((await request(ctx.app).get(path)).headers['x-cache']).toBe('hit')
  })
})

test('what a read stores while a write is in flight (after its hook, before its commit) is dropped once the write is over', async () => {
  const profile = (await request(ctx.app).get('/api/reviewers?limit=1&sort=id')).body.docs[0]
  const path = `/api/reviewers/${profile.id}`
  const hooks = ctx.payload.collections.reviewers.config.hooks.afterChange
  // Runs after the cache-clearing hook and before the commit: a concurrent reader still sees the old row.
  const readMidWrite: CollectionAfterChangeHook = async ({ doc }) => {
    const stored = await cachedRead(path)
    expect(stored.body.bio).not.toBe('Mid-write bio')
    return doc
  }
  hooks.push(readMidWrite)
  try {
    const write = await request(ctx.app).patch(path).set(auth(admin)).send({ bio: 'Mid-write bio' })
    expect(write.status).toBe(200)
  } finally {
    hooks.splice(hooks.indexOf(readMidWrite), 1)
  }
  const after = await request(ctx.app).get(path)
  expect(after.headers['x-cache']).toBe('miss')
  expect(after.body.bio).toBe('Mid-write bio')
})

/** Runs `check` with Date.now moved `ms` into the future. */
const later = async (ms: number, check: () => Promise<void>) => {
  const at = Date.now() + ms
  const clock = jest.spyOn(Date, 'now').mockReturnValue(at)
  try {
    await check()
  } finally {
    clock.mockRestore()
  }
}

test('hits say their Age; past RESPONSE_CACHE_TTL an entry is read again, so a change made by another process shows', async () => {
  const profile = (await request(ctx.app).get('/api/reviewers?limit=1&sort=id')).body.docs[0]
  const path = `/api/reviewers/${profile.id}`
  const hit = await cachedRead(path)
  expect(hit.headers.age).toMatch(/^\d+$/)
  // Another process sharing the database writes without this process's hooks.
  await ctx.payload.db.updateOne({ collection: 'reviewers', where: { id: { equals: profile.id } }, data: { bio: 'Another process bio' } })
  const beforeLifetime = await request(ctx.app).get(path)
  expect(beforeLifetime.headers['x-cache']).toBe('hit')
  expect(beforeLifetime.body.bio).not.toBe('Another process bio')
  await later(10_000, async () => {
    const afterLifetime = await request(ctx.app).get(path)
    expect(afterLifetime.headers['x-cache']).toBe('miss')
    expect(afterLifetime.body.bio).toBe('Another process bio')
    expect((await request(ctx.app).get(path)).headers.age).toBe('0')
  })
})

test('past the TTL one request fetches a fresh copy while the others keep the stored one; a refresh that hangs is retried', async () => {
  const profile = (await request(ctx.app).get('/api/reviewers?limit=1&sort=-id')).body.docs[0]
  const path = `/api/reviewers/${profile.id}`
  await cachedRead(path)
  await ctx.payload.db.updateOne({ collection: 'reviewers', where: { id: { equals: profile.id } }, data: { bio: 'Refreshed bio' } })
  await later(10_000, async () => {
    // A request that looks up the expired entry and then never finishes: the refresh in flight.
    const refreshing = new IncomingMessage(new Socket())
    Object.assign(refreshing, { method: 'GET', url: path, headers: {} })
    expect(serveCached(refreshing, new ServerResponse(refreshing))).toBe(false)
    const meanwhile = await request(ctx.app).get(path)
    expect(meanwhile.headers['x-cache']).toBe('hit')
    expect(Number(meanwhile.headers.age)).toBeGreaterThanOrEqual(10)
    expect(meanwhile.body.bio).not.toBe('Refreshed bio')
  })
  await later(12_000, async () => {
    const retried = await request(ctx.app).get(path)
    expect(retried.headers['x-cache']).toBe('miss')
    expect(retried.body.bio).toBe('Refreshed bio')
  })
})

test('an expired entry whose refresh finds the article gone is not served again', async () => {
  const article = await createArticle(ctx.app, editor, { reviewStatus: 'submitted' })
  await request(ctx.app).patch(`/api/articles/${article.id}`).set(auth(reviewer)).send({ reviewStatus: 'under_review' })
  await request(ctx.app).patch(`/api/articles/${article.id}`).set(auth(reviewer)).send({ reviewStatus: 'approved' })
  const path = `/api/articles/${article.id}`
  expect((await cachedRead(path)).status).toBe(200)
  // Withdrawn by another process: this one's hooks never hear of it.
  await ctx.payload.db.deleteOne({ collection: 'live-editions', where: { article: { equals: article.id } } })
  await later(10_000, async () => {
    expect((await request(ctx.app).get(path)).status).toBe(404)
    const again = await request(ctx.app).get(path)
    expect(again.status).toBe(404)
    expect(again.headers['x-cache']).toBeUndefined()
  })
})

/** Waits (up to 5 s) until `done` holds. */
const until = async (done: () => boolean | Promise<boolean>) => {
  const giveUpAt = Date.now() + 5_000
  while (!(await done())) {
    if (Date.now() > giveUpAt) throw new Error('gave up waiting')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('changes made by other processes on the same database', () => {
  if (process.env.TEST_DB === 'postgres') {
    let other: pg.Client
    beforeAll(async () => {
      other = new pg.Client({ connectionString: ctx.database.url })
      await other.connect()
    })
    afterAll(async () => {
      await other?.end()
    })

    test('a public change notifies inside its transaction: heard only once it commits, never when it rolls back', async () => {
      const heard: string[] = []
      const observer = new pg.Client({ connectionString: ctx.database.url })
      await observer.connect()
      observer.on('notification', (notification) => heard.push(notification.payload ?? ''))
      await observer.query(`LISTEN ${PUBLIC_CHANGE_CHANNEL}`)
      const marker = async (name: string) => {
        await other.query('select pg_notify($1, $2)', [PUBLIC_CHANGE_CHANNEL, name])
        await until(() => heard.includes(name))
      }
      try {
        const profile = (await request(ctx.app).get('/api/reviewers?limit=1&sort=id')).body.docs[0]
        const write = async (bio: string) => {
          const req = await createLocalReq({}, ctx.payload)
          await initTransaction(req)
          await ctx.payload.update({ collection: 'reviewers', id: profile.id, data: { bio }, req })
          return req
        }
        await killTransaction(await write('Rolled back bio'))
        await marker('after the rollback')
        expect(heard).toEqual(['after the rollback'])

        const committing = await write('Committed bio')
        await marker('before the commit')
        expect(heard).toEqual(['after the rollback', 'before the commit'])
        await commitTransaction(committing)
        await until(() => heard.length === 3)
        expect(heard[2]).toBe(PROCESS_ID)
      } finally {
        await observer.end()
      }
    })

    test('the listener clears the cache on every notification; while it is disconnected nothing is cached, and it reconnects', async () => {
      let reachable = true
      const listener = startCacheListener({
        openClient: () =>
          new pg.Client({ connectionString: reachable ? ctx.database.url : 'postgres://nobody@127.0.0.1:1/none', application_name: 'vetted test listener' }),
        log: () => {},
      })
      const path = '/api/reviewers?limit=3&listener=1'
      const isHit = async () => (await request(ctx.app).get(path)).headers['x-cache'] === 'hit'
      try {
        await listener.firstAttempt
        expect(listener.connected).toBe(true)
        await cachedRead(path)
        // Another replica committed a public change.
        await other.query('select pg_notify($1, $2)', [PUBLIC_CHANGE_CHANNEL, 'another replica'])
        await until(async () => !(await isHit()))

        reachable = false
        await other.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'vetted test listener'`)
        await until(() => !listener.connected)
        expect(sharingSuspended()).toBe(true)
        await request(ctx.app).get(path)
        expect(await isHit()).toBe(false)

        reachable = true
        await until(() => listener.connected)
        expect(sharingSuspended()).toBe(false)
        await cachedRead(path)
        await other.query('select pg_notify($1, $2)', [PUBLIC_CHANGE_CHANNEL, 'another replica, after the reconnection'])
        await until(async () => !(await isHit()))
      } finally {
        await listener.stop()
      }
      expect(sharingSuspended()).toBe(false)
      await cachedRead(path)
    })

    test('the platform starts one listener per process on PostgreSQL: Express’s and Next’s Payload share it', async () => {
      const first = startCacheListenerFor(ctx.payload)
      const second = startCacheListenerFor(ctx.payload)
      try {
        await first?.firstAttempt
        expect(first?.connected).toBe(true)
        const { rows } = await other.query(`select count(*)::int as listeners from pg_stat_activity where application_name = 'vetted cache listener' and datname = current_database()`)
        expect(rows[0].listeners).toBe(1)
      } finally {
        await first?.stop()
        expect(second?.connected).toBe(true)
        await second?.stop()
      }
      expect(sharingSuspended()).toBe(false)
    })
  } else {
    test('SQLite has no notification channel: no listener, the cache stays on, and RESPONSE_CACHE_TTL bounds what other processes change', async () => {
      expect(startCacheListenerFor(ctx.payload)).toBeUndefined()
      expect(sharingSuspended()).toBe(false)
      const profile = (await request(ctx.app).get('/api/reviewers?limit=1&sort=id')).body.docs[0]
      const path = `/api/reviewers/${profile.id}?sqlite=ttl`
      await cachedRead(path)
      await ctx.payload.db.updateOne({ collection: 'reviewers', where: { id: { equals: profile.id } }, data: { bio: 'Other process bio' } })
      expect((await request(ctx.app).get(path)).body.bio).not.toBe('Other process bio')
      await later(10_000, async () => {
        expect((await request(ctx.app).get(path)).body.bio).toBe('Other process bio')
      })
    })
  }
})

test('RESPONSE_CACHE=off serves nothing from memory', async () => {
  process.env.RESPONSE_CACHE = 'off'
  try {
    await request(ctx.app).get('/api/articles?limit=2')
    expect((await request(ctx.app).get('/api/articles?limit=2')).headers['x-cache']).toBeUndefined()
  } finally {
    delete process.env.RESPONSE_CACHE
  }
})
