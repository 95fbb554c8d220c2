import { expect } from '@jest/globals'
import type { Express } from 'express'
import type { Payload } from 'payload'
import request from 'supertest'

import { auth, type Session } from './http'

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
