import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

import type { NextFunction, Request, Response } from 'express'
import { APIError, type Payload } from 'payload'
import * as qs from 'qs-esm'

import { isStaffUser } from '../rules/roles'
import { countLive, isStoredShape, liveByArticleId, liveBySlug, listLive, pinsOneArticle, shapeDocument, type LiveDocument, type Shape } from './read'
import { isAnonymous } from './responseCache'

/*
 * `GET /api/articles…` for everyone who is not staff: answered from the live editions, never by
 * Payload's articles collection (which only staff may read). Staff requests, and every other
 * article route (versions, access, custom endpoints), go on to Payload.
 */

const RESERVED = new Set(['versions', 'access', 'init', 'count', 'citation-check', 'needs-re-review'])

/**
 * Whether Payload's own auth makes this request a member of the public. Requests with no credential
 * at all are decided without a lookup; anything that may carry one is authenticated by Payload.
 */
export const isPublicReader = async (req: IncomingMessage, payload: Payload): Promise<boolean> => {
  if (isAnonymous(req)) return true
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const item of value) headers.append(key, item)
    else headers.set(key, value)
  }
  try {
    const { user } = await payload.auth({ headers, canSetHeaders: false })
    return !isStaffUser(user)
  } catch {
    // An unreadable credential signs nobody in: Payload would serve it as the public.
    return true
  }
}

type Query = Record<string, unknown>

const parseQuery = (url: string): Query => {
  const at = url.indexOf('?')
  if (at < 0) return {}
  const query = qs.parse(url.slice(at + 1), { allowEmptyArrays: true, arrayLimit: 1000, depth: 10, ignoreQueryPrefix: true }) as Query
  if (typeof query.where === 'string' && query.where.length > 0) {
    try {
      query.where = JSON.parse(query.where)
    } catch {
      throw new APIError('`where` is neither a bracketed query nor valid JSON', 400, undefined, true)
    }
  }
  return query
}

const BOUNDS = { limit: [0, 1000], page: [1, 1_000_000], depth: [0, 10] } as const

const numberParam = (value: unknown, name: keyof typeof BOUNDS, fallback: number | undefined): number | undefined => {
  if (value === undefined || value === '') return fallback
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value.trim()) ? Number(value) : Number.NaN
  const [min, max] = BOUNDS[name]
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new APIError(`\`${name}\` must be a whole number from ${min} to ${max}`, 400, undefined, true)
  }
  return number
}

const decodedSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

const selectParam = (value: unknown): Record<string, unknown> | undefined => {
  if (value === undefined) return undefined
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new APIError('`select` must be an object of fields', 400, undefined, true)
  const normalise = (entry: unknown): unknown =>
    entry === 'true' ? true : entry === 'false' ? false : entry && typeof entry === 'object' ? Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, normalise(v)])) : entry
  return normalise(value) as Record<string, unknown>
}

const DEFAULT_DEPTH = 2

const shapeOf = (query: Query): Shape => ({ depth: numberParam(query.depth, 'depth', DEFAULT_DEPTH)!, select: selectParam(query.select) })

/** The edition's content hash is the ETag of its stored form; other shapes add a tag of their own. */
const etagFor = (live: LiveDocument, shape: Shape, wrapper: string) => {
  if (isStoredShape(shape, live) && wrapper === 'doc') return `"${live.etag}"`
  const variant = createHash('sha1').update(`${wrapper}:${JSON.stringify(shape)}:${isStoredShape({ depth: 1 }, live)}`).digest('base64url').slice(0, 10)
  return `"${live.etag}.${variant}"`
}

const sendJson = (req: Request, res: Response, status: number, body: string, etag?: string) => {
  res.status(status)
  res.setHeader('content-type', 'application/json; charset=utf-8')
  if (etag) {
    res.setHeader('etag', etag)
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end()
      return
    }
  }
  res.setHeader('content-length', Buffer.byteLength(body))
  res.end(body)
}

const notFound = (req: Request, res: Response) => sendJson(req, res, 404, JSON.stringify({ errors: [{ message: 'Not Found' }] }))

const documentText = (live: LiveDocument, shape: Shape) => (isStoredShape(shape, live) ? live.document : JSON.stringify(shapeDocument(live, shape)))

/** The query names exactly one slug and nothing else: one indexed read. */
const onlySlug = (where: unknown): string | undefined => {
  if (!where || typeof where !== 'object') return undefined
  const keys = Object.keys(where)
  if (keys.length !== 1 || keys[0] !== 'slug') return undefined
  const condition = (where as { slug?: unknown }).slug
  if (!condition || typeof condition !== 'object') return undefined
  const operators = Object.keys(condition)
  const equals = (condition as { equals?: unknown }).equals
  return operators.length === 1 && typeof equals === 'string' ? equals : undefined
}

const singlePage = (doc: string, limit: number) =>
  `{"docs":[${doc}],"hasNextPage":false,"hasPrevPage":false,"limit":${limit},"nextPage":null,"page":1,"pagingCounter":1,"prevPage":null,"totalDocs":1,"totalPages":1}`

export const deliverArticles =
  (payload: Payload) =>
  async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next()
    const path = req.path.replace(/\/+$/, '')
    const segments = path.split('/').filter(Boolean)
    if (segments.length > 1 || (segments.length === 1 && RESERVED.has(segments[0]!) && segments[0] !== 'count')) return next()
    try {
      if (!(await isPublicReader(req, payload))) return next()
      const query = parseQuery(req.originalUrl)

      if (segments[0] === 'count') {
        sendJson(req, res, 200, JSON.stringify({ totalDocs: await countLive(payload, query.where) }))
        return
      }
      if (segments.length === 1) {
        const shape = shapeOf(query)
        const id = decodedSegment(segments[0]!)
        const live = id === undefined ? undefined : await liveByArticleId(payload, id)
        if (!live) return notFound(req, res)
        sendJson(req, res, 200, documentText(live, shape), etagFor(live, shape, 'doc'))
        return
      }

      const limit = numberParam(query.limit, 'limit', 10)!
      const page = numberParam(query.page, 'page', undefined)
      const shape = shapeOf(query)
      const slug = onlySlug(query.where)
      const pagination = query.pagination === 'false' || query.pagination === false ? false : undefined
      if (slug !== undefined && limit >= 1 && (page === undefined || page === 1) && pagination === undefined) {
        const live = await liveBySlug(payload, slug)
        if (!live) {
          sendJson(req, res, 200, JSON.stringify({ docs: [], hasNextPage: false, hasPrevPage: false, limit, nextPage: null, page: 1, pagingCounter: 1, prevPage: null, totalDocs: 0, totalPages: 1 }))
          return
        }
        sendJson(req, res, 200, singlePage(documentText(live, shape), limit), etagFor(live, shape, `page:${limit}`))
        return
      }
      const result = await listLive(
        payload,
        { where: query.where, sort: query.sort, limit, page, depth: shape.depth, select: shape.select, pagination },
        { listFields: !pinsOneArticle(query.where) },
      )
      sendJson(req, res, 200, JSON.stringify(result))
    } catch (error) {
      const status = (error as { status?: number }).status
      if (error instanceof APIError || (typeof status === 'number' && status >= 400 && status < 500)) {
        sendJson(req, res, status ?? 400, JSON.stringify({ errors: [{ message: (error as Error).message }] }))
        return
      }
      next(error)
    }
  }
