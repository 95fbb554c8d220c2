import { APIError, type AfterErrorHook } from 'payload'

import { currentScope } from './requestScope'


/**
 * Database contention, told apart from real failures. A deadlock or a serialization failure rolled
 * the whole transaction back, so the request can be replayed; a pool, lock or busy timeout means
 * the database is saturated, so the caller is told to come back (503 with Retry-After).
 */
export type Contention = 'retryable' | 'busy'

const RETRYABLE_CODES = new Set(['40P01', '40001'])
const MONGO_WRITE_CONFLICT = 112
const BUSY_CODES = new Set(['55P03', '57014', 'SQLITE_BUSY', 'SQLITE_LOCKED', 'VETTED_BUSY'])
const BUSY_MESSAGES = [/timeout exceeded when trying to connect/i, /database is locked/i, /canceling statement due to lock timeout/i]

/** Walks an error and its causes (drizzle and Payload wrap driver errors). */
export const classifyContention = (error: unknown): Contention | null => {
  let current: unknown = error
  for (let depth = 0; current && depth < 6; depth++) {
    const { code, message, cause, errorLabels } = current as { code?: unknown; message?: unknown; cause?: unknown; errorLabels?: unknown }
    if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return 'retryable'
    // MongoDB: a write conflict aborts the whole transaction and labels it safe to run again.
    if (code === MONGO_WRITE_CONFLICT || (Array.isArray(errorLabels) && errorLabels.includes('TransientTransactionError'))) return 'retryable'
    if (typeof code === 'string' && BUSY_CODES.has(code)) return 'busy'
    if (typeof message === 'string' && BUSY_MESSAGES.some((pattern) => pattern.test(message))) return 'busy'
    current = cause
  }
  return null
}

export const BUSY_MESSAGE = 'The database is busy: too many changes are waiting. Try again in a moment.'
export const RETRY_MESSAGE = 'Another change to the same content was being saved at the same moment. Try again.'
export const RETRY_AFTER_SECONDS = 1

/** Thrown by this project's own waits (the SQLite transaction queue) when they give up. */
export class DatabaseBusy extends APIError {
  code = 'VETTED_BUSY'
  constructor() {
    super(BUSY_MESSAGE, 503, undefined, true)
  }
}

/** Notes contention on the request's scope, so the server can replay the request or send Retry-After. */
export const noteContention = (error: unknown): Contention | null => {
  const kind = classifyContention(error)
  const scope = currentScope()
  if (kind && scope) scope[kind === 'retryable' ? 'retryable' : 'busy'] = true
  return kind
}

/** Contention is a 503 with a message, never a 500 with the driver's text. */
export const reportContention: AfterErrorHook = ({ error }) => {
  const kind = noteContention(error)
  if (!kind) return
  return { status: 503, response: { errors: [{ message: kind === 'retryable' ? RETRY_MESSAGE : BUSY_MESSAGE }] } }
}
