import { getOperationAST, parse } from 'graphql'
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { gzipSync } from 'node:zlib'

/*
 * An in-process cache of anonymous responses to public content. Express and Next each run a
 * Payload instance in this process, so the cache and its generation live on globalThis; any change
 * to what the public reads (see `./invalidate.ts`) clears it. Responses to signed-in users
 * are never stored or served from here.
 */

/** A stored response, kept uncompressed; its gzip form is made on first demand. */
type Entry = {
  status: number
  headers: [string, string][]
  body: Buffer
  etag: string
  storedAt: number
  /** Set when one request has gone to fetch a fresh copy of this expired entry. */
  refreshingSince?: number
  gzipped?: Buffer
  heads?: { identity?: string[]; gzip?: string[] }
}
type State = {
  generation: number
  entries: Map<string, Entry>
  /** Set while this process cannot hear other replicas' changes: nothing is stored or served. */
  sharingSuspended?: boolean
  /** Payload's `cookiePrefix` (the config's, `payload` by default). */
  cookiePrefix?: string
}

const MAX_ENTRIES = 5_000
export const CACHE_CONTROL = 'public, max-age=10, stale-while-revalidate=60'

const holder = globalThis as typeof globalThis & { __vettedResponseCache?: State }
const state: State = (holder.__vettedResponseCache ??= { generation: 0, entries: new Map() })

export const responseCacheEnabled = () => process.env.RESPONSE_CACHE !== 'off'

const DEFAULT_LIFETIME_SECONDS = 10

/**
 * RESPONSE_CACHE_TTL as seconds, or null when it is not a number of seconds. Changes made through
 * this process clear the cache at once; the lifetime bounds how long a change made by another
 * process sharing the database (a second replica, a script) can go unseen.
 */
export const parseCacheLifetime = (value: string | undefined): number | null => {
  if (value === undefined || value.trim() === '') return DEFAULT_LIFETIME_SECONDS
  const seconds = Number(value)
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null
}

let lifetimeSource: string | undefined
let lifetime = DEFAULT_LIFETIME_SECONDS * 1000
const lifetimeMs = () => {
  const value = process.env.RESPONSE_CACHE_TTL
  if (value !== lifetimeSource) {
    lifetimeSource = value
    lifetime = (parseCacheLifetime(value) ?? DEFAULT_LIFETIME_SECONDS) * 1000
  }
  return lifetime
}

export const invalidatePublicResponses = (): void => {
  state.generation++
  state.entries.clear()
}

/**
 * While the cross-replica listener is disconnected, another replica's change could go unheard, so
 * the cache stops storing and serving (it fails safe) until the listener is back.
 */
export const suspendSharing = (): void => {
  state.sharingSuspended = true
  invalidatePublicResponses()
}

/** The listener hears every change again: what was stored before may be stale, so start empty. */
export const resumeSharing = (): void => {
  invalidatePublicResponses()
  state.sharingSuspended = false
}

export const sharingSuspended = (): boolean => state.sharingSuspended === true

/** Payload's `cookiePrefix`, whose `<prefix>-token` cookie signs a request in. */
export const useCookiePrefix = (prefix: string): void => {
  state.cookiePrefix = prefix
}

/** The cache's generation now: a request that may write notes it when it starts. */
export const publicGeneration = (): number => state.generation

/**
 * A write's hooks clear the cache before its transaction commits, so a read running in between
 * may have stored what it read then. Once the write is over, the cache is cleared again if public
 * content changed since it started; requests that changed nothing public (logins, preferences,
 * the admin's form-state calls, signed-in queries) leave it alone.
 */
export const invalidateIfChangedSince = (generation: number): void => {
  if (state.generation !== generation) invalidatePublicResponses()
}

const PUBLIC_PATHS = /^\/(?:api\/(?:articles|references|related-questions|reviewers|globals\/editorial-policy)(?:[/?]|$)|api\/graphql\?|questions\/|editorial-policy(?:[/?]|$)|advisory-board(?:[/?]|$)|(?:\?|$))/
const GRAPHQL_PATH = /^\/api\/graphql(?:\?|$)/
const MAX_GRAPHQL_BODY = 64 * 1024

const alphanumeric = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '')

/** Undoes percent-encoding, however deeply nested, without failing on malformed sequences. */
const percentDecoded = (text: string): string => {
  let current = text
  for (let pass = 0; pass < 4; pass++) {
    const next = current.replace(/%([0-9a-f]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    if (next === current) break
    current = next
  }
  return current
}

/**
 * True when a cookie header may carry Payload's session cookie. Payload (`parseCookies`) splits on
 * `;` and `=` and trims the name, so `payload-token =x` and ` payload-token=x` sign in. Rather than
 * copy that parser and its future changes, this fails closed: any header that mentions the token
 * cookie's name, in any case, spacing, punctuation or percent-encoding, counts as signed in.
 */
const mentionsTokenCookie = (cookie: string): boolean => {
  const flattened = alphanumeric(percentDecoded(cookie))
  return flattened.includes('payloadtoken') || flattened.includes(alphanumeric(`${state.cookiePrefix ?? 'payload'}-token`))
}

/**
 * Decided like Payload's auth strategies, or stricter: any Authorization header (JWT, Bearer, API
 * key, or anything else) and any cookie that could be the token cookie make a request signed in.
 */
export const isAnonymous = (req: IncomingMessage): boolean => {
  if (req.headers.authorization !== undefined) return false
  const cookie = req.headers.cookie
  return cookie === undefined || !mentionsTokenCookie(cookie)
}

/** A GraphQL POST whose body was read ahead so that an anonymous query can be answered from memory. */
type GraphQLRequest = IncomingMessage & { bufferedBody?: Buffer; graphqlQuery?: boolean }

export const bufferedBodyOf = (req: IncomingMessage): Buffer | undefined => (req as GraphQLRequest).bufferedBody

/** An anonymous GraphQL POST whose cached answer may be looked up once its body is read. */
export const isCacheableGraphQLPost = (req: IncomingMessage): boolean =>
  responseCacheEnabled() &&
  req.method === 'POST' &&
  GRAPHQL_PATH.test(req.url ?? '') &&
  isAnonymous(req) &&
  (req as GraphQLRequest).bufferedBody === undefined &&
  /^application\/json\b/i.test(req.headers['content-type'] ?? '') &&
  // Read ahead only what announces a small size; anything else streams through untouched.
  req.headers['content-length'] !== undefined &&
  Number(req.headers['content-length']) <= MAX_GRAPHQL_BODY

/** Reads the body of a GraphQL POST (the Fetch bridge reuses it) and notes whether it is a query. */
export const readGraphQLBody = (req: IncomingMessage): Promise<void> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      chunks.push(chunk)
    })
    req.once('error', reject)
    req.once('end', () => {
      const body = Buffer.concat(chunks, size)
      const graphqlRequest = req as GraphQLRequest
      graphqlRequest.bufferedBody = body
      resolve()
    })
  })

const isQueryOperation = (body: Buffer): boolean => {
  try {
    const { query, operationName } = JSON.parse(body.toString('utf8')) as { query?: unknown; operationName?: unknown }
    if (typeof query !== 'string') return false
    const operation = getOperationAST(parse(query), typeof operationName === 'string' ? operationName : undefined)
    return operation?.operation === 'query'
  } catch {
    return false
  }
}

/**
 * True for a GraphQL request that only reads: it cannot change what the public sees. Parsed on
 * first use only, so a cache hit (looked up by body) never parses.
 */
export const isGraphQLQuery = (req: IncomingMessage): boolean => {
  const graphqlRequest = req as GraphQLRequest
  const body = graphqlRequest.bufferedBody
  if (body === undefined) return false
  return (graphqlRequest.graphqlQuery ??= body.length <= MAX_GRAPHQL_BODY && isQueryOperation(body))
}

const graphqlKeyOf = (req: GraphQLRequest): string | null => {
  if (req.bufferedBody === undefined || !isAnonymous(req)) return null
  // graphql-http picks the response type from Accept.
  return `POST ${req.url} ${req.headers.accept ?? ''} ${req.bufferedBody.toString('utf8')}`
}

/** The cache key of a request whose response may be shared, or null. */
export const cacheKeyOf = (req: IncomingMessage): string | null => {
  if (!responseCacheEnabled() || !req.url) return null
  if (req.method === 'POST') return GRAPHQL_PATH.test(req.url) ? graphqlKeyOf(req as GraphQLRequest) : null
  if (req.method !== 'GET' || !isAnonymous(req) || !PUBLIC_PATHS.test(req.url)) return null
  // Next's client navigations ask the same URLs for a different representation (RSC payloads).
  if (req.headers.rsc || req.headers['next-router-prefetch'] || req.headers['next-router-state-tree'] || req.headers['x-middleware-prefetch']) return null
  if (GRAPHQL_PATH.test(req.url)) return `GET ${req.url} ${req.headers.accept ?? ''}`
  // The public page depends on the audience cookie.
  const audience = /(?:^|;\s*)audience=patient/.test(req.headers.cookie ?? '') ? 'patient' : 'clinician'
  return req.url.startsWith('/api/') ? req.url : `${audience} ${req.url}`
}

const MIN_GZIP_BYTES = 1024
const ORIGINAL_ACCEPT_ENCODING = Symbol('accept-encoding')
type CapturedRequest = IncomingMessage & { [ORIGINAL_ACCEPT_ENCODING]?: string }

const acceptsGzip = (req: IncomingMessage) =>
  /\bgzip\b(?!;\s*q=0(?:\.0*)?\b)/i.test((req as CapturedRequest)[ORIGINAL_ACCEPT_ENCODING] ?? req.headers['accept-encoding'] ?? '')

const withAcceptEncoding = (vary: string) => (/\baccept-encoding\b/i.test(vary) ? vary : vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding')

const sendsGzip = (req: IncomingMessage, entry: Entry) => entry.body.length >= MIN_GZIP_BYTES && acceptsGzip(req)
const bodyOf = (entry: Entry, gzip: boolean) => (gzip ? (entry.gzipped ??= gzipSync(entry.body)) : entry.body)

const send = (req: IncomingMessage, res: ServerResponse, entry: Entry, cacheState: 'hit' | 'miss') => {
  const gzip = sendsGzip(req, entry)
  // Each encoding is its own representation, so each has its own strong ETag.
  const etag = etagOf(entry, gzip)
  for (const [name, value] of entry.headers) res.setHeader(name, value)
  res.setHeader('etag', etag)
  res.setHeader('cache-control', CACHE_CONTROL)
  res.setHeader('vary', withAcceptEncoding(String(res.getHeader('vary') ?? '')))
  res.setHeader('x-cache', cacheState)
  if (req.headers['if-none-match'] === etag) {
    res.statusCode = 304
    res.removeHeader('content-length')
    res.end()
    return
  }
  const body = bodyOf(entry, gzip)
  if (gzip) res.setHeader('content-encoding', 'gzip')
  res.statusCode = entry.status
  res.setHeader('content-length', body.length)
  res.end(body)
}

const etagOf = (entry: Entry, gzip: boolean) => (gzip ? `${entry.etag.slice(0, -1)}-gzip"` : entry.etag)

/** The whole head of a cache hit, built once per entry and encoding. */
const hitHead = (entry: Entry, gzip: boolean, body: Buffer): string[] => {
  const heads = (entry.heads ??= {})
  const cached = gzip ? heads.gzip : heads.identity
  if (cached) return cached
  const head: string[] = []
  let vary = ''
  for (const [name, value] of entry.headers) {
    if (name === 'vary') vary = value
    else head.push(name, value)
  }
  head.push('vary', withAcceptEncoding(vary))
  head.push('etag', etagOf(entry, gzip), 'cache-control', CACHE_CONTROL, 'x-cache', 'hit', 'content-length', String(body.length))
  if (gzip) head.push('content-encoding', 'gzip')
  head.push('age', '0') // set on each hit: the last value of the head
  if (gzip) heads.gzip = head
  else heads.identity = head
  return head
}

const LOOKED_UP = Symbol('response cache looked up')
const REFRESH_GRACE_MS = 2_000

/**
 * Serves a stored response; true when the request was answered. Cheap enough for the raw http
 * handler; Express asks again only for requests that did not come through it (tests).
 */
export const serveCached = (req: IncomingMessage, res: ServerResponse): boolean => {
  const request = req as IncomingMessage & { [LOOKED_UP]?: true }
  if (request[LOOKED_UP]) return false
  request[LOOKED_UP] = true
  if (state.sharingSuspended) return false
  const key = cacheKeyOf(req)
  const entry = key === null ? undefined : state.entries.get(key)
  if (!entry) return false
  const now = Date.now()
  const ageMs = now - entry.storedAt
  if (ageMs >= lifetimeMs()) {
    // One request fetches a fresh copy; the others keep the stored one until it lands, unless
    // that fetch has taken too long to be waited on.
    if (entry.refreshingSince === undefined || now - entry.refreshingSince >= REFRESH_GRACE_MS) {
      entry.refreshingSince = now
      return false
    }
  }
  const age = String(Math.floor(ageMs / 1000))
  const gzip = sendsGzip(req, entry)
  if (req.headers['if-none-match'] === etagOf(entry, gzip)) {
    res.setHeader('age', age)
    send(req, res, entry, 'hit')
    return true
  }
  const body = bodyOf(entry, gzip)
  const head = hitHead(entry, gzip, body)
  head[head.length - 1] = age
  res.writeHead(entry.status, head)
  res.end(body)
  return true
}

const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'date',
  'content-length',
  'content-encoding',
  'etag',
  'cache-control',
  'x-cache',
  'age',
])

/**
 * Buffers the response to a cacheable request, gives it a strong ETag and Cache-Control, answers
 * If-None-Match with 304, and stores it if nothing public changed meanwhile. Signed-in requests get
 * `Cache-Control: private, no-store`.
 */
export const captureResponse = (req: IncomingMessage, res: ServerResponse): void => {
  const key = req.method === 'POST' && !isGraphQLQuery(req) ? null : cacheKeyOf(req)
  if (key === null) {
    if (!isAnonymous(req)) res.setHeader('cache-control', 'private, no-store')
    return
  }
  // The cache stores the identity bytes and compresses them itself, so Next must not.
  const captured = req as CapturedRequest
  captured[ORIGINAL_ACCEPT_ENCODING] = req.headers['accept-encoding'] ?? ''
  delete req.headers['accept-encoding']
  const generation = state.generation
  const chunks: Buffer[] = []
  const write = res.write.bind(res)
  const end = res.end.bind(res)
  const writeHead = res.writeHead.bind(res)
  // Next sends its head with writeHead; keep it as plain headers until the response is complete.
  res.writeHead = ((status: number, reason?: unknown, headers?: unknown) => {
    res.statusCode = status
    const given = (typeof reason === 'string' ? headers : reason) as Record<string, string | string[] | number> | string[] | undefined
    if (Array.isArray(given)) for (let i = 0; i + 1 < given.length; i += 2) res.setHeader(given[i]!, given[i + 1]!)
    else if (given) for (const [name, value] of Object.entries(given)) if (value !== undefined) res.setHeader(name, value)
    return res
  }) as typeof res.writeHead
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
    res.writeHead = writeHead
    const body = Buffer.concat(chunks)
    // A page is shared only as HTML: Next answers some internal requests on page URLs with other
    // bodies (a middleware prefetch gets `{}`), which must never reach readers.
    const isPage = !key.startsWith('/api/') && !key.startsWith('GET /api/') && !key.startsWith('POST /api/')
    const cacheable =
      res.statusCode === 200 && !res.hasHeader('set-cookie') && (!isPage || /^text\/html\b/i.test(String(res.getHeader('content-type') ?? '')))
    if (!cacheable) {
      // An expired entry whose refresh came back as an error or a 404 must not be served on.
      state.entries.delete(key)
      if (!res.headersSent) res.setHeader('content-length', body.length)
      return end(body)
    }
    const entry: Entry = {
      status: res.statusCode,
      headers: Object.entries(res.getHeaders())
        .filter(([name]) => !HOP_HEADERS.has(name))
        .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]),
      body,
      // A handler that knows its content's identity (an edition's hash) names the ETag itself.
      etag: typeof res.getHeader('etag') === 'string' ? (res.getHeader('etag') as string) : `"${createHash('sha1').update(body).digest('base64url')}"`,
      storedAt: Date.now(),
    }
    if (generation === state.generation && !state.sharingSuspended) {
      if (state.entries.size >= MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value!)
      state.entries.set(key, entry)
    }
    send(req, res, entry, 'miss')
    if (typeof callback === 'function') (callback as () => void)()
    return res
  }) as typeof res.end
}
