import type { Request as ExpressRequest, Response as ExpressResponse } from 'express'
import { Readable } from 'node:stream'

import { bufferedBodyOf } from '../delivery/responseCache'

/** Turns an Express request into a Fetch `Request` without reading the body first. */
export const toFetchRequest = (req: ExpressRequest): Request => {
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const item of value) headers.append(key, item)
    else headers.set(key, value)
  }
  const host = req.headers.host ?? 'localhost'
  const url = `${req.protocol}://${host}${req.originalUrl}`
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  const buffered = bufferedBodyOf(req)
  const abort = new AbortController()
  req.once('close', () => {
    if (!req.complete) abort.abort()
  })
  return new Request(url, {
    method: req.method,
    headers,
    body: buffered ?? (hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined),
    duplex: hasBody && !buffered ? 'half' : undefined,
    signal: abort.signal,
  } as RequestInit)
}

/** Writes a Fetch `Response` to Express, keeping every Set-Cookie header. */
export const sendFetchResponse = async (res: ExpressResponse, response: Response): Promise<void> => {
  res.status(response.status)
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie') res.setHeader(key, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  if (!response.body) {
    res.end()
    return
  }
  const body = Buffer.from(await response.arrayBuffer())
  res.removeHeader('content-encoding')
  res.setHeader('content-length', body.length)
  res.end(body)
}
