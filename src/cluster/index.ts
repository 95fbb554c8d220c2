/*
 * # Several replicas on one database
 *
 * Any number of `npm start` processes may serve one PostgreSQL database behind a load balancer.
 * They share nothing but the database (and `PAYLOAD_SECRET`, so a token signed by one is accepted
 * by all; sessions live in the database, so a logout on one ends the token on every one).
 *
 * - **Start-up** (`startupLock.ts`): the development-mode migration step and the demo seed run under
 *   a PostgreSQL advisory lock, on a connection of their own. Replicas started together take turns,
 *   and each re-checks what exists under the lock, so the demo accounts are created once.
 * - **Cache invalidation** (`notify.ts`, `cacheListener.ts`): each process keeps anonymous public
 *   responses in memory (`src/server/responseCache.ts`). A write that changes public content sends
 *   `pg_notify('vetted_public_change', '<host>:<pid>')` inside its own transaction, so it is delivered
 *   only when, and after, the write commits. Each process holds one dedicated connection that
 *   LISTENs on the channel and empties its cache on every notification, its own included.
 * - **Failing safe**: while that connection is down (reconnecting with backoff from 0.1 s to 5 s,
 *   and checked by a heartbeat every 5 s), the process neither stores nor serves cached responses;
 *   it empties its cache again once LISTEN is back in place.
 * - **SQLite and MongoDB** have no such channel: another process's change shows within
 *   RESPONSE_CACHE_TTL seconds, and the seed treats a duplicate created meanwhile as existing.
 */
export { startCacheListener, type CacheListener, type CacheListenerOptions } from './cacheListener'
export { notifyPublicChange, PROCESS_ID, PUBLIC_CHANGE_CHANNEL } from './notify'
export { withStartupLock } from './startupLock'

import type { PostgresAdapter } from '@payloadcms/db-postgres'
import type { Payload } from 'payload'

import { startCacheListener, type CacheListener } from './cacheListener'

/** The process's cache listener on Payload's PostgreSQL database, or undefined on other databases. */
export const startCacheListenerFor = (payload: Payload): CacheListener | undefined => {
  const db = payload.db as unknown as PostgresAdapter
  if (db.name !== 'postgres') return undefined
  return startCacheListener({
    openClient: () => new db.pg.Client({ ...db.poolOptions, application_name: 'vetted cache listener', keepAlive: true }),
    log: (line) => payload.logger.warn(line),
  })
}
