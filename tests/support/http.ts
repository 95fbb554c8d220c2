import { expect } from '@jest/globals'
import type { Express } from 'express'
import request from 'supertest'

import { DEMO_PASSWORD } from './testApp'

export type Session = { token: string; userId: number | string }

export const login = async (app: Express, email: string, password = DEMO_PASSWORD): Promise<Session> => {
  const res = await request(app).post('/api/users/login').send({ email, password })
  expect(res.status).toBe(200)
  return { token: res.body.token as string, userId: res.body.user.id as number | string }
}

export const auth = (session?: Session): Record<string, string> =>
  session ? { authorization: `JWT ${session.token}` } : {}

export type GraphQLResult = { status: number; data?: Record<string, unknown> | null; errors?: { message: string }[] }

export const gql = async (
  app: Express,
  query: string,
  variables: Record<string, unknown> = {},
  session?: Session,
): Promise<GraphQLResult> => {
  const res = await request(app).post('/api/graphql').set(auth(session)).send({ query, variables })
  return { status: res.status, data: res.body.data, errors: res.body.errors }
}
