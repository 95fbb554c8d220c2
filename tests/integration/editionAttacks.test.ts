import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import request from 'supertest'

import { createBoardMembers, lexicalParagraph, setPolicy, type BoardMember } from '../support/articles'
import { auth, gql, login, type Session } from '../support/http'
import { startTestApp, type TestApp } from '../support/testApp'

/*
 * Ways an outside attempt found around the editions guarantee (issue 11), each reproduced as it was
 * found: rich-text links that carried whole documents, editions changed by deleting a profile or an
 * account, a policy switch and answer links, and hostile query values that gave 500s.
 */

let ctx: TestApp
let editor: Session
let admin: Session
let reviewers: BoardMember[]

const SECRET = 'LINKED-DRAFT-TEXT never reviewed'

const withInternalLink = (text: string, target: number | string) => ({
  root: {
    type: 'root',
    format: '',
    indent: 0,
    version: 1,
    direction: 'ltr',
    children: [
      {
        type: 'paragraph',
        format: '',
        indent: 0,
        version: 1,
        direction: 'ltr',
        textFormat: 0,
        children: [
          { type: 'text', text, format: 0, detail: 0, mode: 'normal', style: '', version: 1 },
          {
            type: 'link',
            format: '',
            indent: 0,
            version: 3,
            direction: 'ltr',
            fields: { linkType: 'internal', newTab: false, doc: { relationTo: 'articles', value: target } },
            children: [{ type: 'text', text: 'see this', format: 0, detail: 0, mode: 'normal', style: '', version: 1 }],
          },
        ],
      },
    ],
  },
})

/** Submits, claims and approves through REST at the default depth, as the admin UI does. */
const approve = async (id: number | string, reviewer = reviewers[0]!) => {
  for (const [session, reviewStatus] of [
    [editor, 'submitted'],
    [reviewer, 'under_review'],
    [reviewer, 'approved'],
  ] as const) {
    const res = await request(ctx.app).patch(`/api/articles/${id}`).set(auth(session)).send({ reviewStatus })
    expect({ reviewStatus, status: res.status, message: res.body.errors?.[0]?.message }).toEqual({ reviewStatus, status: 200, message: undefined })
  }
}

const create = async (data: Record<string, unknown>) => {
  const res = await request(ctx.app).post('/api/articles?depth=0').set(auth(editor)).send(data)
  expect(res.status).toBe(201)
  return res.body.doc as { id: number; slug: string }
}

beforeAll(async () => {
  ctx = await startTestApp()
  editor = await login(ctx.app, 'editor@example.com')
  admin = await login(ctx.app, 'admin@example.com')
  reviewers = await createBoardMembers(ctx.app, ctx.payload, 2, 'attack')
})

afterAll(async () => {
  await ctx?.close()
})

describe('rich-text links in an edition', () => {
  test('a link to an unpublished article is unlinked, and carries none of its text or staff fields, on every public path', async () => {
    const draft = await create({ question: 'A never-published draft the link points at?', bottomLine: lexicalParagraph(SECRET) })
    const linking = await create({ question: 'An article linking to a draft?', bottomLine: withInternalLink('Answer text.', draft.id) })
    await approve(linking.id)

    const paths = [`/api/articles/${linking.id}`, `/api/articles/${linking.id}?depth=1`, `/api/articles/${linking.id}?depth=2`, `/api/articles?where[slug][equals]=${linking.slug}&depth=1`]
    for (const path of paths) {
      const res = await request(ctx.app).get(path)
      expect(res.status).toBe(200)
      const text = JSON.stringify(res.body)
      expect({ path, leaks: [SECRET, '"authors"', '"approvals"', '"assignedReviewer"', '"_status":"draft"'].filter((secret) => text.includes(secret)) }).toEqual({ path, leaks: [] })
    }
    const one = await request(ctx.app).get(`/api/articles/${linking.id}?depth=1`)
    const link = one.body.bottomLine.root.children[0].children[1]
    expect(link.fields.doc).toBeNull()
    const graph = await gql(ctx.app, `{ Article(id: ${linking.id}) { bottomLine } }`)
    expect(JSON.stringify(graph.data)).not.toContain(SECRET)
    expect((graph.data?.Article as { bottomLine: typeof one.body.bottomLine }).bottomLine).toEqual(one.body.bottomLine)
  })

  test('a link to a public article carries only its id, slug and question', async () => {
    const target = await create({ question: 'A public article to link to?', bottomLine: lexicalParagraph('Public answer.') })
    await approve(target.id)
    const linking = await create({ question: 'An article linking to a public one?', bottomLine: withInternalLink('See also.', target.id) })
    await approve(linking.id, reviewers[1])
    const res = await request(ctx.app).get(`/api/articles/${linking.id}?depth=1`)
    expect(res.body.bottomLine.root.children[0].children[1].fields.doc).toEqual({
      relationTo: 'articles',
      value: { id: target.id, slug: target.slug, question: 'A public article to link to?' },
    })
  })
})

describe('editions do not change when what they name is deleted', () => {
  test('deleting the approver’s profile leaves the edition as written; an account with a review trail cannot be deleted', async () => {
    const [member] = await createBoardMembers(ctx.app, ctx.payload, 1, 'leaving')
    const article = await create({ question: 'Approved by a member who leaves?', bottomLine: lexicalParagraph('Text.') })
    await approve(article.id, member)
    const before = (await ctx.payload.find({ collection: 'editions', where: { article: { equals: article.id } }, overrideAccess: true, depth: 0 })).docs[0]!
    expect(before.approvers).toEqual([expect.objectContaining({ id: member!.profileId })])

    const deleteProfile = await request(ctx.app).delete(`/api/reviewers/${member!.profileId}`).set(auth(admin))
    expect(deleteProfile.status).toBe(200)
    const deleteAccount = await request(ctx.app).delete(`/api/users/${member!.userId}`).set(auth(admin))
    expect(deleteAccount.status).toBe(409)
    expect(deleteAccount.body.errors[0].message).toMatch(/review decision/)

    const after = (await ctx.payload.findByID({ collection: 'editions', id: before.id, overrideAccess: true, depth: 0 })) as unknown as Record<string, unknown>
    expect(after).toEqual(before)
  })
})

describe('the policy decides which links show', () => {
  test('an answer public only in caution mode is unlinked once the policy is approved_only again, on every depth', async () => {
    await setPolicy(ctx.app, admin, { publicVisibility: 'pending_with_caution' })
    try {
      const pending = await create({ question: 'An answer only caution mode shows?', bottomLine: lexicalParagraph('Pending answer.'), reviewStatus: 'submitted' })
      const related = await request(ctx.app).post('/api/related-questions').set(auth(editor)).send({ question: 'Which question does the pending answer?', article: pending.id })
      expect(related.status).toBe(201)
      const linking = await create({ question: 'An approved article linking a pending answer?', bottomLine: withInternalLink('See.', pending.id), relatedQuestions: [related.body.doc.id] })
      await approve(linking.id)
      const inCaution = await request(ctx.app).get(`/api/articles/${linking.id}?depth=2`)
      expect(inCaution.body.relatedQuestions[0].article).toEqual({ id: pending.id, slug: pending.slug, question: 'An answer only caution mode shows?' })

      await setPolicy(ctx.app, admin, { publicVisibility: 'approved_only' })
      expect((await request(ctx.app).get(`/api/articles/${pending.id}`)).status).toBe(404)
      for (const depth of [0, 1, 2]) {
        const res = await request(ctx.app).get(`/api/articles/${linking.id}?depth=${depth}`)
        expect(res.status).toBe(200)
        expect(JSON.stringify(res.body)).not.toContain(pending.slug)
        if (depth > 0) expect(res.body.relatedQuestions[0].article).toBeNull()
        if (depth > 0) expect(res.body.bottomLine.root.children[0].children[1].fields.doc).toBeNull()
      }
    } finally {
      await setPolicy(ctx.app, admin, { publicVisibility: 'approved_only' })
    }
  })

  test('once a switch to approved_only is answered, no public read returns the pending revision', async () => {
    await setPolicy(ctx.app, admin, { publicVisibility: 'pending_with_caution' })
    const pending = await create({ question: 'Pending, then hidden by the policy?', bottomLine: lexicalParagraph('Pending text.'), reviewStatus: 'submitted' })
    expect((await request(ctx.app).get(`/api/articles/${pending.id}`)).status).toBe(200)
    // Readers run while the switch commits; every read sent after its answer must miss.
    let switched = false
    const late: number[] = []
    const reader = async () => {
      while (!switched) await request(ctx.app).get(`/api/articles/${pending.id}?r=${Math.random()}`)
      for (let i = 0; i < 10; i++) late.push((await request(ctx.app).get(`/api/articles/${pending.id}?r=${Math.random()}`)).status)
    }
    const readers = Array.from({ length: 6 }, reader)
    await setPolicy(ctx.app, admin, { publicVisibility: 'approved_only' })
    switched = true
    await Promise.all(readers)
    expect(late.filter((status) => status !== 404)).toEqual([])
  })
})

describe('hostile query values are a 400 with a message, never a 500', () => {
  const queries = [
    'limit=1.5',
    'limit=-1',
    'limit=100000',
    'page=1e308',
    'page=-1',
    'page=0',
    'depth=x',
    'where[id][equals]=abc',
    'where[id][equals]=99999999999999999999',
    'where[id][in]=a,b',
    'where[id][greater_than]=x',
    'where[id][contains]=1',
    'where[reviewedBy][equals]=abc',
    'where[specialties][all]=x',
    'where[question][all]=a',
    'where[question][near]=1,2',
    'where[question][within]=1',
    'where[id][near]=1,2',
    'where[lastUpdated][near]=1,2',
    'where[reviewedAt][greater_than]=notadate',
    'where[lastUpdated][less_than]=abc',
    'where[createdAt][equals]=x',
    'where[slug][equals][]=a',
    'where[or][0][question][equals][a]=1',
    'where[reviewStatus][equals][$ne]=x',
    'where[reviewStatus][equals]=nonsense',
    'where=notjson',
    'where[question]=plain',
    'where[and]=x',
  ]
  test.each(queries)('/api/articles?%s', async (query) => {
    const res = await request(ctx.app).get(`/api/articles?${query}`)
    expect({ query, status: res.status }).toEqual({ query, status: 400 })
    expect(typeof res.body.errors?.[0]?.message).toBe('string')
  })

  test('count and GraphQL check the same way; a malformed id in the path is a 404', async () => {
    expect((await request(ctx.app).get('/api/articles/count?where[id][near]=1,2')).status).toBe(400)
    const graph = await gql(ctx.app, '{ Articles(where: { specialties: { all: "x" } }) { docs { id } } }')
    expect((graph.errors?.[0] as { extensions?: { statusCode?: number } } | undefined)?.extensions?.statusCode).toBe(400)
    expect((await request(ctx.app).get('/api/articles/%E0%A4%A')).status).toBe(404)
  })
})
