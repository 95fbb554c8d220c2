import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import request from 'supertest'

import { auth, gql, login, type Session } from '../support/http'
import { startTestApp, type TestApp } from '../support/testApp'

let ctx: TestApp
let editor: Session
let reviewer: Session
let demoId: number | string

beforeAll(async () => {
  ctx = await startTestApp()
  editor = await login(ctx.app, 'editor@example.com')
  reviewer = await login(ctx.app, 'reviewer1@example.com')
  demoId = (await request(ctx.app).get('/api/articles')).body.docs[0].id
})
afterAll(async () => {
  await ctx?.close()
})

const articleCount = async () => (await ctx.payload.count({ collection: 'articles' })).totalDocs

describe('anonymous callers change nothing', () => {
  test('REST create, update and delete are 403 with a message', async () => {
    const before = await articleCount()
    const attempts = [
      request(ctx.app).post('/api/articles').send({ question: 'Anonymous?' }),
      request(ctx.app).patch(`/api/articles/${demoId}`).send({ question: 'Defaced?' }),
      request(ctx.app).patch('/api/articles?where[id][exists]=true').send({ question: 'Defaced?' }),
      request(ctx.app).delete(`/api/articles/${demoId}`),
      request(ctx.app).post('/api/references').send({ title: 'Spam', type: 'other' }),
      request(ctx.app).post('/api/globals/editorial-policy').send({ publicVisibility: 'pending_with_caution' }),
    ]
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403)
      expect(res.body.errors[0].message).toMatch(/not allowed/i)
    }
    expect(await articleCount()).toBe(before)
    const article = await ctx.payload.findByID({ collection: 'articles', id: demoId })
    expect(article.question).toMatch(/^Can interventional ablation/)
    const policy = await ctx.payload.findGlobal({ slug: 'editorial-policy' })
    expect(policy.publicVisibility).toBe('approved_only')
  })

  test('GraphQL mutations are refused', async () => {
    const result = await gql(ctx.app, `mutation { createReference(data: { title: "Spam", type: other }) { id } }`)
    expect(result.errors?.[0]?.message).toMatch(/not allowed/i)
    const deleted = await gql(ctx.app, `mutation ($id: Int!) { deleteArticle(id: $id) { id } }`, { id: Number(demoId) })
    expect(deleted.errors?.[0]?.message).toMatch(/not allowed/i)
    expect(await articleCount()).toBe(1)
  })
})

describe('staff writes', () => {
  test('an editor creates a reference through REST; identifiers are normalised', async () => {
    const res = await request(ctx.app)
      .post('/api/references')
      .set(auth(editor))
      .send({ title: 'Cisplatin plus gemcitabine for biliary tract cancer', type: 'journal_article', publisher: 'N Engl J Med', year: 2010, doi: 'https://doi.org/10.1056/NEJMoa0908721', pmid: '20375404' })
    expect(res.status).toBe(201)
    expect(res.body.doc.doi).toBe('10.1056/nejmoa0908721')
  })

  test('a DOI or PMID already used is a 400 naming the field, and nothing is stored', async () => {
    const before = (await ctx.payload.count({ collection: 'references' })).totalDocs
    const sameDoi = await request(ctx.app)
      .post('/api/references')
      .set(auth(editor))
      .send({ title: 'Duplicate', type: 'journal_article', doi: '10.1056/NEJMOA0908721' })
    expect(sameDoi.status).toBe(400)
    expect(JSON.stringify(sameDoi.body.errors)).toMatch(/doi/i)
    const samePmid = await request(ctx.app).post('/api/references').set(auth(editor)).send({ title: 'Duplicate', type: 'journal_article', pmid: '20375404' })
    expect(samePmid.status).toBe(400)
    expect((await ctx.payload.count({ collection: 'references' })).totalDocs).toBe(before)
  })

  test('invalid input is a 400 with a message per field, never a 500', async () => {
    const res = await request(ctx.app)
      .post('/api/references')
      .set(auth(editor))
      .send({ title: '', type: 'pamphlet', year: 'soon', pmid: 'PMC12', url: 'javascript:alert(1)' })
    expect(res.status).toBe(400)
    const paths = (res.body.errors[0].data.errors as { path: string }[]).map((error) => error.path).sort()
    expect(paths).toEqual(expect.arrayContaining(['title', 'type', 'pmid', 'url']))
    const malformed = await request(ctx.app).post('/api/references').set(auth(editor)).set('content-type', 'application/json').send('{"title": ')
    expect(malformed.status).toBeGreaterThanOrEqual(400)
    expect(malformed.status).toBeLessThan(500)
    for (const path of ['/api/articles/not-a-number', '/api/references/1e3']) {
      const badId = await request(ctx.app).get(path).set(auth(editor))
      expect([path, badId.status, badId.body.errors[0].message]).toEqual([path, 404, 'Not Found'])
    }
    const badVersion = await request(ctx.app).get('/api/articles/versions/abc').set(auth(editor))
    expect([badVersion.status, badVersion.body.errors[0].message]).toEqual([400, 'Missing ID of version.'])
    const badDelete = await request(ctx.app).delete('/api/references/abc').set(auth(editor))
    expect(badDelete.status).toBe(404)
  })

  test('an editor writes through GraphQL', async () => {
    const result = await gql(
      ctx.app,
      `mutation { createRelatedQuestion(data: { question: "How is cholangiocarcinoma staged?" }) { id slug normalizedQuestion } }`,
      {},
      editor,
    )
    expect(result.errors).toBeUndefined()
    expect(result.data?.createRelatedQuestion).toMatchObject({ slug: 'how-is-cholangiocarcinoma-staged', normalizedQuestion: 'how is cholangiocarcinoma staged' })
  })

  test('a related question is stored once however it is written', async () => {
    const res = await request(ctx.app).post('/api/related-questions').set(auth(editor)).send({ question: '  how is Cholangiocarcinoma staged ' })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].data.errors).toEqual([
      expect.objectContaining({ path: 'question', message: 'This question is already listed as "How is cholangiocarcinoma staged?"' }),
    ])
  })

  test('a reviewer cannot create articles; an editor cannot grant themselves roles or edit the policy', async () => {
    const created = await request(ctx.app).post('/api/articles').set(auth(reviewer)).send({ question: 'Reviewer article?' })
    expect(created.status).toBe(403)
    const promoted = await request(ctx.app).patch(`/api/users/${editor.userId}`).set(auth(editor)).send({ roles: ['admin'], name: 'Elliot E.' })
    expect(promoted.status).toBe(200)
    expect(promoted.body.doc.roles).toEqual(['editor'])
    expect(promoted.body.doc.name).toBe('Elliot E.')
    const policy = await request(ctx.app).post('/api/globals/editorial-policy').set(auth(editor)).send({ approvalsRequired: 3 })
    expect(policy.status).toBe(403)
  })

  test('nobody writes review events through the API, admins included', async () => {
    const admin = await login(ctx.app, 'admin@example.com')
    const res = await request(ctx.app).post('/api/review-events').set(auth(admin)).send({ article: demoId, to: 'approved' })
    expect(res.status).toBe(403)
  })
})

describe('health', () => {
  test('liveness and readiness answer as application/health+json', async () => {
    const live = await request(ctx.app).get('/healthz')
    expect(live.status).toBe(200)
    expect(live.headers['content-type']).toMatch(/^application\/health\+json/)
    expect(live.body).toEqual({ status: 'pass' })
    const ready = await request(ctx.app).get('/readyz')
    expect(ready.status).toBe(200)
    expect(ready.body.status).toBe('pass')
  })

  test('an unknown path outside the API is a 404 with a message', async () => {
    const res = await request(ctx.app).get('/nowhere')
    expect(res.status).toBe(404)
    expect(res.body.errors[0].message).toMatch(/not found/i)
  })
})

describe('advisory-board profiles', () => {
  test('a reviewer edits their own profile but not another’s, and cannot change who it belongs to or whether it is active', async () => {
    const profiles = await ctx.payload.find({ collection: 'reviewers', depth: 0, sort: 'id' })
    const own = profiles.docs.find((profile) => profile.user === reviewer.userId)!
    const other = profiles.docs.find((profile) => profile.user !== reviewer.userId)!
    const edited = await request(ctx.app)
      .patch(`/api/reviewers/${own.id}?depth=0`)
      .set(auth(reviewer))
      .send({ bio: 'Updated bio', disclosures: 'Speaker fees, 2025.', credentials: 'MD, FACS, FRCS', active: false, user: other.user })
    expect(edited.status).toBe(200)
    expect(edited.body.doc).toMatchObject({ bio: 'Updated bio', disclosures: 'Speaker fees, 2025.', credentials: 'MD, FACS, FRCS', active: true, user: reviewer.userId })
    const foreign = await request(ctx.app).patch(`/api/reviewers/${other.id}`).set(auth(reviewer)).send({ bio: 'Hijacked' })
    expect([403, 404]).toContain(foreign.status)
    expect((await ctx.payload.findByID({ collection: 'reviewers', id: other.id })).bio).not.toBe('Hijacked')
    expect((await request(ctx.app).patch(`/api/reviewers/${other.id}`).set(auth(editor)).send({ bio: 'Editor edit' })).status).toBe(403)
    const admin = await login(ctx.app, 'admin@example.com')
    expect((await request(ctx.app).patch(`/api/reviewers/${other.id}`).set(auth(admin)).send({ bio: 'Admin edit' })).status).toBe(200)
  })
})
