import type pg from 'pg'

import { invalidatePublicResponses, resumeSharing, suspendSharing } from '../delivery/responseCache'
import { PUBLIC_CHANGE_CHANNEL } from './notify'

export type CacheListenerOptions = {
  /** A new, unconnected client: the listener's own connection, never one of Payload's pool. */
  openClient: () => pg.Client
  log: (line: string) => void
  /** How often the connection is checked, to notice a peer that vanished without closing it. */
  heartbeatMs?: number
}

export type CacheListener = {
  /** True while LISTEN is in place: only then does the cache store and serve. */
  readonly connected: boolean
  /** Resolves once the first connection attempt has succeeded or failed. */
  readonly firstAttempt: Promise<void>
  stop: () => Promise<void>
}

const MIN_BACKOFF_MS = 100
const MAX_BACKOFF_MS = 5_000
const DEFAULT_HEARTBEAT_MS = 5_000

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref())

/** Resolves when the connection ends, errors, or stops answering its heartbeat. */
const untilLost = (client: pg.Client, heartbeatMs: number, stopped: Promise<void>): Promise<string> =>
  new Promise((resolve) => {
    const heartbeat = setInterval(() => {
      const timeout = setTimeout(() => lose('no answer to its heartbeat'), heartbeatMs)
      client.query('select 1').then(
        () => clearTimeout(timeout),
        (err: Error) => {
          clearTimeout(timeout)
          lose(err.message)
        },
      )
    }, heartbeatMs)
    heartbeat.unref()
    const lose = (reason: string) => {
      clearInterval(heartbeat)
      resolve(reason)
    }
    client.once('error', (err) => lose(err.message))
    client.once('end', () => lose('the server closed the connection'))
    void stopped.then(() => lose('stopped'))
  })

const runListener = ({ openClient, log, heartbeatMs = DEFAULT_HEARTBEAT_MS }: CacheListenerOptions): CacheListener => {
  let connected = false
  let stopping = false
  let stop!: () => void
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  let settleFirstAttempt!: () => void
  const firstAttempt = new Promise<void>((resolve) => (settleFirstAttempt = resolve))

  // Until LISTEN is in place this process would not hear other replicas' changes.
  suspendSharing()

  const loop = async () => {
    let failures = 0
    while (!stopping) {
      const client = openClient()
      // Errors are handled through untilLost; an unhandled 'error' event would end the process.
      client.on('error', () => {})
      let reason: string
      try {
        await client.connect()
        client.on('notification', () => invalidatePublicResponses())
        await client.query(`LISTEN ${PUBLIC_CHANGE_CHANNEL}`)
        connected = true
        resumeSharing()
        if (failures > 0) log(`Cache listener reconnected to PostgreSQL: caching resumed`)
        failures = 0
        settleFirstAttempt()
        reason = await untilLost(client, heartbeatMs, stopped)
      } catch (err) {
        reason = err instanceof Error ? err.message : String(err)
      }
      connected = false
      suspendSharing()
      settleFirstAttempt()
      void client.end().catch(() => {})
      if (stopping) break
      if (failures === 0) log(`Cache listener lost PostgreSQL (${reason}): caching paused until it reconnects`)
      failures++
      await Promise.race([sleep(Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (failures - 1))), stopped])
    }
  }
  const running = loop()

  return {
    get connected() {
      return connected
    },
    firstAttempt,
    stop: async () => {
      stopping = true
      stop()
      await running
      // Without a listener this process is on its own again: changes reach it through its hooks and the TTL.
      resumeSharing()
    },
  }
}

type Shared = { listener: CacheListener; users: number }
const holder = globalThis as typeof globalThis & { __vettedCacheListener?: Shared }

/**
 * Starts this process's one listener, or joins the one already running (Express's and Next's
 * Payload instances share it); each caller stops its share, and the last stop closes it.
 */
export const startCacheListener = (options: CacheListenerOptions): CacheListener => {
  const shared = (holder.__vettedCacheListener ??= { listener: runListener(options), users: 0 })
  shared.users++
  let released = false
  return {
    get connected() {
      return shared.listener.connected
    },
    firstAttempt: shared.listener.firstAttempt,
    stop: async () => {
      if (released) return
      released = true
      if (--shared.users > 0) return
      if (holder.__vettedCacheListener === shared) delete holder.__vettedCacheListener
      await shared.listener.stop()
    },
  }
}
