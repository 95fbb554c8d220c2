import type { RequestHandler } from 'express'
import { createServer, type Server } from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { getPayload, type Payload } from 'payload'

import { seed } from '../../seeds/seed'
import { startCacheListenerFor, withStartupLock } from '../cluster'
import { guardPoolErrors } from '../db/adapter'
import { parseDatabaseUrl, type DatabaseTarget } from '../db/databaseUrl'
import { applyMigrations, pendingMigrations } from '../db/migrations'
import { keepPlannerStatistics } from '../db/plannerStatistics'
import { probeDatabase } from '../db/probe'
import { createApp } from './app'
import { isCacheableGraphQLPost, parseCacheLifetime, readGraphQLBody, serveCached, useCookiePrefix } from '../delivery/responseCache'

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export type PlatformOptions = {
  port: number
  host: string
  /** Serve /admin and the public site through Next.js. */
  withNext: boolean
  log: (line: string) => void
}

export type RunningPlatform = { server: Server; payload: Payload; target: DatabaseTarget; url: string; close: () => Promise<void> }

const isProduction = () => process.env.NODE_ENV === 'production'

/** Everything the server needs before it may listen; each failure is one line a person can act on. */
export const checkConfiguration = (): DatabaseTarget => {
  if (isProduction() && !process.env.PAYLOAD_SECRET?.trim()) {
    throw new Error('PAYLOAD_SECRET is not set: production needs a long random secret (e.g. `openssl rand -hex 32`)')
  }
  if (parseCacheLifetime(process.env.RESPONSE_CACHE_TTL) === null) {
    throw new Error(`RESPONSE_CACHE_TTL must be a number of seconds above 0, not "${process.env.RESPONSE_CACHE_TTL}"`)
  }
  return parseDatabaseUrl(process.env.DATABASE_URL)
}

const startNext = async (log: (line: string) => void): Promise<RequestHandler> => {
  const { default: next } = await import('next')
  const dev = !isProduction()
  const app = next({ dev, dir: PROJECT_ROOT, quiet: true })
  await app.prepare().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err)
    throw new Error(
      /production build/i.test(message) ? 'The admin UI is not built: run `npm run build` first' : `Next.js failed to start: ${message}`,
    )
  })
  log(`Next.js ready (${dev ? 'development' : 'production'} build)`)
  const handle = app.getRequestHandler()
  return (req, res) => handle(req, res)
}

export const startPlatform = async ({ port, host, withNext, log }: PlatformOptions): Promise<RunningPlatform> => {
  const target = checkConfiguration()
  await probeDatabase(target)
  const { default: config } = await import('../payload.config')
  const payload = await getPayload({ config }).catch((err: unknown) => {
    // Replicas started together on a database that does not exist yet both try to create it; the
    // one whose CREATE DATABASE lost finds it on a second try.
    if (target.kind !== 'postgres' || !/database .* does not exist/i.test(err instanceof Error ? err.message : '')) throw err
    return getPayload({ config })
  })
  guardPoolErrors(payload)

  const pending = await pendingMigrations(payload, target.kind)
  if (pending.length > 0) {
    if (isProduction()) {
      await payload.destroy()
      throw new Error(`The database has ${pending.length} unapplied migration(s) (${pending.join(', ')}): run \`npm run migrate\` first`)
    }
    // Replicas starting together take turns; whoever comes second finds the work done.
    await withStartupLock(payload, async () => {
      const stillPending = await pendingMigrations(payload, target.kind)
      if (stillPending.length === 0) return
      log(`Applying ${stillPending.length} migration(s): ${stillPending.join(', ')}`)
      await applyMigrations(payload, target.kind)
    })
  }

  if (process.env.SEED_DEMO !== 'false') {
    const report = await seed(payload, { demo: true, password: process.env.DEMO_PASSWORD || undefined })
    const created = Object.entries(report.created).filter(([, n]) => n > 0)
    if (created.length > 0) log(`Demo content loaded: ${created.map(([kind, n]) => `${n} ${kind}`).join(', ')}`)
    if (report.generatedPassword) {
      log(`Demo accounts created with the generated password: ${report.generatedPassword}`)
      log('  (shown once; set DEMO_PASSWORD to choose it)')
    }
  }

  useCookiePrefix(payload.config.cookiePrefix)
  // On PostgreSQL, other replicas' changes clear this process's cache as soon as they commit.
  const cacheListener = startCacheListenerFor(payload)
  await cacheListener?.firstAttempt
  if (cacheListener && !cacheListener.connected) log('The cache listener could not reach PostgreSQL yet: responses are not cached until it does')

  const stopPlannerStatistics = await keepPlannerStatistics(payload, target.kind)
  const nextHandler = withNext ? await startNext(log) : undefined
  const app = createApp({ config, payload, nextHandler })
  // Cached anonymous responses are answered before Express does any per-request work.
  const server = createServer((req, res) => {
    if (isCacheableGraphQLPost(req)) {
      readGraphQLBody(req).then(
        () => serveCached(req, res) || app(req, res),
        () => res.destroy(),
      )
    } else if (!serveCached(req, res)) app(req, res)
  })
  await new Promise<void>((resolve, reject) => server.listen(port, host, () => resolve()).once('error', reject))
  server.keepAliveTimeout = 65_000
  const address = server.address()
  const actualPort = typeof address === 'object' && address ? address.port : port
  const url = `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${actualPort}`

  let closing: Promise<void> | undefined
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      })
      stopPlannerStatistics?.()
      await cacheListener?.stop()
      await payload.destroy()
    })())
  return { server, payload, target, url, close }
}
