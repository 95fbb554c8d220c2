import { expect } from '@jest/globals'
import type { Express } from 'express'
import type { Payload } from 'payload'
import request from 'supertest'

import { auth, login, type Session } from './http'
import { DEMO_PASSWORD } from './testApp'

export const lexicalParagraph = (text: string) => ({
  root: {
    type: 'root',
    version: 1,
    direction: 'ltr',
    format: '',
    indent: 0,
    children: [
      {
        type: 'paragraph',
        version: 1,
        direction: 'ltr',
        format: '',
        indent: 0,
        textFormat: 0,
        textStyle: '',
        children: [{ type: 'text', text, version: 1, detail: 0, format: 0, mode: 'normal', style: '' }],
      },
    ],
  },
})

let counter = 0
export const createArticle = async (app: Express, session: Session, extra: Record<string, unknown> = {}) => {
  counter += 1
  const res = await request(app)
    .post('/api/articles')
    .set(auth(session))
    .send({ question: `Test question ${counter} ${Date.now()}?`, bottomLine: lexicalParagraph(`Answer ${counter}`), ...extra })
  expect(res.status).toBe(201)
  return res.body.doc as { id: number; question: string; reviewStatus: string }
}

export const transition = (app: Express, session: Session | undefined, id: number | string, data: Record<string, unknown>) =>
  request(app).patch(`/api/articles/${id}?depth=0`).set(auth(session)).send(data)

/** The newest revision, as staff see it. */
export const latest = (payload: Payload, id: number | string) =>
  payload.findByID({ collection: 'articles', id, draft: true, depth: 0, overrideAccess: true })

export const eventsOf = async (payload: Payload, id: number | string) =>
  (
    await payload.find({ collection: 'review-events', where: { article: { equals: id } }, sort: 'createdAt', limit: 0, pagination: false, depth: 0, overrideAccess: true })
  ).docs.sort((a, b) => Number(a.id) - Number(b.id))

export const publicRead = (app: Express, id: number | string) => request(app).get(`/api/articles/${id}?depth=0`)

/** Every version of an article, oldest first (createdAt, then id). */
export const versionsOf = async (payload: Payload, id: number | string) =>
  (
    await payload.findVersions({ collection: 'articles', where: { parent: { equals: id } }, limit: 0, pagination: false, depth: 0, overrideAccess: true })
  ).docs.sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime() || Number(a.id) - Number(b.id))

/** The id of the article's newest `_articles_v` version: what an approval names as `basedOnVersion`. */
export const latestVersionId = async (payload: Payload, id: number | string): Promise<string> => {
  const newest = (await versionsOf(payload, id)).at(-1)
  if (!newest) throw new Error(`article ${id} has no versions`)
  return String(newest.id)
}

export type BoardMember = Session & { email: string; profileId: number | string }

/** Creates `count` users with the reviewer role and an active advisory-board profile each, signed in. */
export const createBoardMembers = async (app: Express, payload: Payload, count: number, prefix = 'board'): Promise<BoardMember[]> => {
  const stamp = Date.now()
  const createOne = async (i: number): Promise<BoardMember> => {
    const email = `${prefix}-${i}-${stamp}@example.com`
    const user = await payload.create({
      collection: 'users',
      data: { email, password: DEMO_PASSWORD, name: `Dr. ${prefix} ${i}`, roles: ['reviewer'] },
      overrideAccess: true,
      depth: 0,
    })
    const profile = await payload.create({
      collection: 'reviewers',
      data: { name: `Dr. ${prefix} ${i} ${stamp}`, credentials: 'MD', user: user.id, active: true },
      overrideAccess: true,
      depth: 0,
    })
    return { ...(await login(app, email)), email, profileId: profile.id }
  }
  const members: BoardMember[] = []
  // A few at a time: password hashing overlaps with the writes, and SQLite's single writer is not swamped.
  for (let first = 1; first <= count; first += 5) {
    const batch = Array.from({ length: Math.min(5, count - first + 1) }, (_, offset) => createOne(first + offset))
    members.push(...(await Promise.all(batch)))
  }
  return members
}

/** The advisory-board profile id of a signed-in user. */
export const profileIdOf = async (payload: Payload, session: Session): Promise<number | string> => {
  const { docs } = await payload.find({ collection: 'reviewers', where: { user: { equals: session.userId } }, limit: 1, depth: 0, overrideAccess: true })
  if (!docs[0]) throw new Error(`user ${session.userId} has no advisory-board profile`)
  return docs[0].id
}

/** Sets the editorial policy as an admin, through the API. */
export const setPolicy = async (app: Express, admin: Session, data: Record<string, unknown>) => {
  const res = await request(app).post('/api/globals/editorial-policy').set(auth(admin)).send(data)
  expect(res.status).toBe(200)
}
