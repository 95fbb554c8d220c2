import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * An in-process cache of anonymous responses to public content. Express and Next each run a
 * Payload instance in this process, so the cache and its generation live on globalThis; any change
 * to public content (see `hooks/invalidatePublicCache.ts`) clears it. Responses to signed-in users
 * are never stored or served from here.
 */
type Entry = { status: number; headers: [string, string][]; body: Buffer; etag: string }
type State = { generation: number; entries: Map<string, Entry> }

const MAX_ENTRIES = 5_000
export const CACHE_CONTROL = 'public, max-age=10, stale-while-revalidate=60'

const holder = globalThis as typeof globalThis & { __vettedResponseCache?: State }
const state = (holder.__vettedResponseCache ??= { generation: 0, entries: new Map() })

export const responseCacheEnabled = () => process.env.RESPONSE_CACHE !== 'off'

export const invalidatePublicResponses = (): void => {
  state.generation++
  state.entries.clear()
}

const PUBLIC_PATHS = /^\/(?:api\/(?:articles|references|related-questions|reviewers|globals\/editorial-policy)(?:[/?]|$)|questions\/|editorial-policy(?:[/?]|$)|advisory-board(?:[/?]|$)|(?:\?|$))/

const isAnonymous = (req: IncomingMessage) => !req.headers.authorization && !/(?:^|;\s*)payload-token=/.test(req.headers.cookie ?? '')

/** The cache key of a request whose response may be shared, or null. */
export const cacheKeyOf = (req: IncomingMessage): string | null => {
  if (!responseCacheEnabled() || req.method !== 'GET' || !req.url || !isAnonymous(req) || !PUBLIC_PATHS.test(req.url)) return null
  // The public page depends on the audience cookie.
  const audience = /(?:^|;\s*)audience=patient/.test(req.headers.cookie ?? '') ? 'patient' : 'clinician'
  return req.url.startsWith('/api/') ? req.url : `${audience} ${req.url}`
}

const send = (req: IncomingMessage, res: ServerResponse, entry: Entry, cacheState: 'hit' | 'miss') => {
  for (const [name, value] of entry.headers) res.setHeader(name, value)
  res.setHeader('etag', entry.etag)
  res.setHeader('cache-control', CACHE_CONTROL)
  res.setHeader('x-cache', cacheState)
  if (req.headers['if-none-match'] === entry.etag) {
    res.statusCode = 304
    res.removeHeader('content-length')
    res.end()
    return
  }
  res.statusCode = entry.status
  res.setHeader('content-length', entry.body.length)
  res.end(entry.body)
}

/** Serves a stored response; true when the request was answered. Cheap enough for the raw http handler. */
export const serveCached = (req: IncomingMessage, res: ServerResponse): boolean => {
  const key = cacheKeyOf(req)
  const entry = key === null ? undefined : state.entries.get(key)
  if (!entry) return false
  send(req, res, entry, 'hit')
  return true
}

const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date', 'content-length', 'etag', 'cache-control', 'x-cache'])

/**
 * Buffers the response to a cacheable request, gives it a strong ETag and Cache-Control, answers
 * If-None-Match with 304, and stores it if nothing public changed meanwhile. Signed-in requests get
 * `Cache-Control: private, no-store`.
 */
export const captureResponse = (req: IncomingMessage, res: ServerResponse): void => {
  const key = cacheKeyOf(req)
  if (key === null) {
    if (!isAnonymous(req)) res.setHeader('cache-control', 'private, no-store')
    return
  }
  const generation = state.generation
  const chunks: Buffer[] = []
  const write = res.write.bind(res)
  const end = res.end.bind(res)
  const toBuffer = (chunk: unknown, encoding?: unknown) =>
    Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
  res.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    if (chunk !== undefined && chunk !== null) chunks.push(toBuffer(chunk, encoding))
    const done = typeof encoding === 'function' ? encoding : callback
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)())
    return true
  }) as typeof res.write
  res.end = ((chunk?: unknown, encoding?: unknown, callback?: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') chunks.push(toBuffer(chunk, encoding))
    res.write = write
    res.end = end
    const body = Buffer.concat(chunks)
    const cacheable = res.statusCode === 200 && !res.hasHeader('set-cookie')
    if (!cacheable) {
      if (!res.headersSent) res.setHeader('content-length', body.length)
      return end(body)
    }
    const entry: Entry = {
      status: res.statusCode,
      headers: Object.entries(res.getHeaders())
        .filter(([name]) => !HOP_HEADERS.has(name))
        .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]),
      body,
      etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
    }
    if (generation === state.generation) {
      if (state.entries.size >= MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value!)
      state.entries.set(key, entry)
    }
    send(req, res, entry, 'miss')
    if (typeof callback === 'function') (callback as () => void)()
    return res
  }) as typeof res.end
}
