import type { BaseDatabaseAdapter, PayloadRequest } from 'payload'

import { DatabaseBusy } from './contention'
import { currentScope } from './requestScope'

/**
 * Three things Payload 3.90's SQL adapters leave to the application, added to the adapter
 * instance when it is created:
 *
 * - **SQLite transactions queue in-process.** libsql opens a new connection per transaction and
 *   only the first one gets `busy_timeout`, so two overlapping requests in one process got
 *   SQLITE_BUSY at once. Transactions now wait their turn (bounded: a 503 after the wait), and each
 *   transaction's connection gets the busy timeout for other processes.
 * - **The document-lock lookup joins the request's transaction.** `checkDocumentLockStatus` reads
 *   `payload-locked-documents` without `req`, so every write needed a second pool connection while
 *   its transaction held one: 20 concurrent writes with the default pool hung for good. That
 *   lookup now runs on the transaction of the request in scope.
 * - **The versions a request writes are noted** on its context (`versionsWrittenBy`), so a review
 *   event points at the version its own operation wrote, never at "the latest one".
 */

type Adapter = BaseDatabaseAdapter & Record<string, unknown>
type Args = { req?: Partial<PayloadRequest>; collection?: string; collectionSlug?: string; parent?: number | string }

const LOCKED_DOCUMENTS = 'payload-locked-documents'
const versionsKey = (collection: string, parent: number | string) => `vetted:versionsWritten:${collection}:${String(parent)}`

/** Ids of the versions of one document written by this request, oldest first. */
export const versionsWrittenBy = (req: PayloadRequest, collection: string, parent: number | string): (number | string)[] =>
  (req.context[versionsKey(collection, parent)] as (number | string)[] | undefined) ?? []

const noteVersions = (adapter: Adapter) => {
  const createVersion = adapter.createVersion.bind(adapter)
  adapter.createVersion = (async (args: Parameters<typeof createVersion>[0]) => {
    const { req, collectionSlug, parent } = args as Args
    // Payload asks for no result on some saves; the id is needed here, the row is not returned.
    const created = await createVersion(args.returning === false ? { ...args, returning: undefined, select: { id: true } } : args)
    if (req?.context && collectionSlug && parent !== undefined && created?.id !== undefined) {
      const key = versionsKey(collectionSlug, parent)
      req.context[key] = [...((req.context[key] as unknown[]) ?? []), created.id]
    }
    return args.returning === false ? (null as unknown as typeof created) : created
  }) as typeof adapter.createVersion
}

const lockLookupsInRequestTransaction = (adapter: Adapter) => {
  const find = adapter.find.bind(adapter)
  adapter.find = ((args: Parameters<typeof find>[0]) => {
    const scoped = currentScope()?.req
    if (!args.req && args.collection === LOCKED_DOCUMENTS && scoped?.transactionID) return find({ ...args, req: scoped })
    return find(args)
  }) as typeof adapter.find
}

type Queue = { tail: Promise<void>; holders: Map<string, () => void> }
const queues = ((globalThis as typeof globalThis & { __vettedSqliteQueues?: Map<string, Queue> }).__vettedSqliteQueues ??= new Map())

const transactionWaitMs = () => Number(process.env.DB_TRANSACTION_WAIT_MS ?? 15_000)

const queueSqliteTransactions = (adapter: Adapter, url: string, busyTimeoutMs: number) => {
  let queue = queues.get(url)
  if (!queue) queues.set(url, (queue = { tail: Promise.resolve(), holders: new Map() }))
  const shared = queue
  const begin = adapter.beginTransaction.bind(adapter)
  const commit = adapter.commitTransaction.bind(adapter)
  const rollback = adapter.rollbackTransaction.bind(adapter)

  adapter.beginTransaction = (async (options?: unknown) => {
    let release!: () => void
    const turn = new Promise<void>((resolve) => (release = resolve))
    const previous = shared.tail
    shared.tail = previous.then(() => turn)
    let timer: NodeJS.Timeout | undefined
    const waited = await Promise.race([
      previous.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), transactionWaitMs()))),
    ])
    clearTimeout(timer)
    if (!waited) {
      // Give up our place without blocking those behind us: our turn ends when it would begin.
      void previous.then(release)
      throw new DatabaseBusy()
    }
    try {
      const client = adapter.client as { execute: (sql: string) => Promise<unknown> } | undefined
      // libsql's next transaction runs on the connection this statement opens.
      await client?.execute(`PRAGMA busy_timeout = ${busyTimeoutMs}`)
      const id = await begin(options as never)
      if (id === null || id === undefined) {
        release()
        return id
      }
      shared.holders.set(String(id), release)
      return id
    } catch (err) {
      release()
      throw err
    }
  }) as typeof adapter.beginTransaction

  /** Commit and rollback both end the transaction: the next one may begin, whatever the outcome. */
  const endingTurn = <End extends (id: Parameters<typeof commit>[0]) => Promise<unknown>>(end: End) =>
    (async (id: Parameters<End>[0]) => {
      const transactionID = id instanceof Promise ? await id : id
      try {
        return await end(transactionID)
      } finally {
        const release = shared.holders.get(String(transactionID))
        shared.holders.delete(String(transactionID))
        release?.()
      }
    }) as End
  adapter.commitTransaction = endingTurn(commit)
  adapter.rollbackTransaction = endingTurn(rollback)
}

export type Instrumentation = { kind: 'sqlite' | 'postgres' | 'mongodb'; url: string; busyTimeoutMs?: number }

export const instrumentAdapter = <T extends BaseDatabaseAdapter>(adapter: T, { kind, url, busyTimeoutMs = 10_000 }: Instrumentation): T => {
  const target = adapter as unknown as Adapter
  noteVersions(target)
  if (kind === 'mongodb') return adapter
  lockLookupsInRequestTransaction(target)
  if (kind === 'sqlite') queueSqliteTransactions(target, url, busyTimeoutMs)
  return adapter
}
