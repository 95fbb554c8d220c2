import express, { type ErrorRequestHandler, type RequestHandler } from 'express'
import { handleEndpoints, type Payload, type SanitizedConfig } from 'payload'

import { sendFetchResponse, toFetchRequest } from './fetchBridge'
import { handleGraphQL } from './graphql'
import { captureResponse, invalidateIfChangedSince, isCacheableGraphQLPost, isGraphQLQuery, publicGeneration, readGraphQLBody, serveCached } from '../delivery/responseCache'
import { checkReadiness } from './health'
import { deliverArticles } from '../delivery/rest'
import { RETRY_AFTER_SECONDS } from '../db/contention'
import { requestScope, type RequestScope } from '../db/requestScope'

export type AppOptions = {
  config: Promise<SanitizedConfig>
  payload: Payload
  /** Next's request handler for /admin and the public site; absent in API-only processes such as tests. */
  nextHandler?: RequestHandler
}

const healthJson = (res: express.Response, status: number, body: unknown) =>
  res.status(status).type('application/health+json').set('cache-control', 'no-store').send(JSON.stringify(body))

const WRITE_SINCE = 'publicGenerationAtWriteStart'

/**
 * Called when a request that may write is over: after Payload's handler returns (it has committed)
 * and, for requests Payload does not handle, when the response closes. Drops what reads stored
 * while public content changed, then moves the mark, so the second call clears only for changes
 * made after the first.
 */
const settleWrite = (res: express.Response) => {
  const since = res.locals[WRITE_SINCE] as number | undefined
  if (since === undefined) return
  invalidateIfChangedSince(since)
  res.locals[WRITE_SINCE] = publicGeneration()
}

const MAX_ATTEMPTS = 4

/** Jittered backoff before replaying a request that lost a deadlock. */
const delay = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt + Math.random() * 20 * attempt))

/** Reads a write request's body once, so it can be replayed (the Fetch bridge reuses it). */
const bufferBody = async (req: express.Request): Promise<void> => {
  const request = req as express.Request & { bufferedBody?: Buffer }
  if (request.bufferedBody !== undefined || req.readableEnded) return
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  request.bufferedBody = Buffer.concat(chunks)
}

/** The whole HTTP surface, without listening, so tests drive it with supertest. */
export const createApp = ({ config, payload, nextHandler }: AppOptions): express.Express => {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', process.env.TRUST_PROXY ?? 'loopback')

  app.use(async (req, res, next) => {
    // The platform's http handler reads these ahead; processes without it (tests) read them here.
    if (isCacheableGraphQLPost(req)) await readGraphQLBody(req)
    if (isGraphQLQuery(req)) {
      if (serveCached(req, res)) return
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.locals[WRITE_SINCE] = publicGeneration()
      res.once('close', () => settleWrite(res))
    } else if (serveCached(req, res)) return
    captureResponse(req, res)
    next()
  })

  app.get('/healthz', (_req, res) => healthJson(res, 200, { status: 'pass' }))
  app.get('/readyz', async (_req, res) => {
    const report = await checkReadiness(payload)
    healthJson(res, report.status === 'pass' ? 200 : 503, report)
  })

  const graphql: RequestHandler = async (req, res) => {
    const scope: RequestScope = {}
    const response = await requestScope.run(scope, () => handleGraphQL(config, toFetchRequest(req)))
    settleWrite(res)
    if (scope.busy || scope.retryable) res.setHeader('retry-after', String(RETRY_AFTER_SECONDS))
    await sendFetchResponse(res, response)
  }
  app.post('/api/graphql', graphql)
  app.get('/api/graphql', graphql)

  app.use('/api/articles', deliverArticles(payload))

  app.use('/api', async (req, res) => {
    const replayable = req.method !== 'GET' && req.method !== 'HEAD'
    if (replayable) await bufferBody(req)
    for (let attempt = 1; ; attempt++) {
      const scope: RequestScope = {}
      const response = await requestScope.run(scope, () => handleEndpoints({ config, request: toFetchRequest(req) }))
      // A deadlock or serialization failure rolled everything back: the request can run again.
      if (scope.retryable && replayable && attempt < MAX_ATTEMPTS && !res.socket?.destroyed) {
        await response.body?.cancel()
        await delay(attempt)
        continue
      }
      settleWrite(res)
      if (scope.busy || scope.retryable) res.setHeader('retry-after', String(RETRY_AFTER_SECONDS))
      await sendFetchResponse(res, response)
      return
    }
  })

  if (nextHandler) app.use(nextHandler)
  else
    app.use((_req, res) => {
      res.status(404).json({ errors: [{ message: 'Not found. This process serves the API only.' }] })
    })

  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500
    if (status === 500) payload.logger.error({ err, msg: 'Unhandled error in request' })
    if (res.headersSent) return res.end()
    res.status(status).json({ errors: [{ message: status === 500 ? 'Something went wrong.' : String(err.message) }] })
  }
  app.use(onError)
  return app
}
