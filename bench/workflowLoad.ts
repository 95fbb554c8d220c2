/**
 * The HTTP side of `npm run soak` and `npm run crashtest`: sign-ins, workflow writes that carry a
 * token the invariant check can trace (bench/workflowInvariants.ts), anonymous reads, process RSS.
 */
import { readFileSync } from 'node:fs'

import type { Id, WriteKind, WriteOp } from './workflowInvariants'
import { plainTextToLexical } from '../seeds/toLexical'

export type Session = { email: string; token: string; userId: Id; profileId?: Id }

export type Answer = { status: number | undefined; body: Record<string, unknown> | null; ms: number; error?: string; cache?: string | null }

/** One request; a network failure or timeout answers `status: undefined` with the error. */
export const call = async (
  base: string,
  method: string,
  path: string,
  { session, body, timeoutMs = 60_000, headers = {} }: { session?: Session; body?: unknown; timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<Answer> => {
  const started = performance.now()
  try {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(session ? { authorization: `JWT ${session.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const text = await response.text()
    let parsed: Record<string, unknown> | null = null
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : null
    } catch {
      parsed = null
    }
    return { status: response.status, body: parsed, ms: performance.now() - started, cache: response.headers.get('x-cache') }
  } catch (err) {
    const error = err as Error & { cause?: { code?: string } }
    return { status: undefined, body: null, ms: performance.now() - started, error: error.cause?.code ?? error.name ?? String(err) }
  }
}

export const messageOf = (answer: Answer): string | undefined => {
  const errors = answer.body?.errors as { message?: string }[] | undefined
  return errors?.[0]?.message ?? (typeof answer.body?.message === 'string' ? answer.body.message : undefined)
}

export const signIn = async (base: string, email: string, password: string): Promise<Session> => {
  const answer = await call(base, 'POST', '/api/users/login', { body: { email, password } })
  const user = answer.body?.user as { id: Id } | undefined
  if (answer.status !== 200 || !user || typeof answer.body?.token !== 'string') {
    throw new Error(`${email} could not sign in: ${answer.status ?? answer.error} ${messageOf(answer) ?? ''}`)
  }
  const session: Session = { email, token: answer.body.token, userId: user.id }
  const profiles = await call(base, 'GET', `/api/reviewers?where[user][equals]=${user.id}&depth=0&limit=1`, { session })
  const profile = (profiles.body?.docs as { id: Id }[] | undefined)?.[0]
  if (profile) session.profileId = profile.id
  return session
}

const REQUESTED: Partial<Record<WriteKind, string>> = {
  submit: 'submitted',
  claim: 'under_review',
  approve: 'approved',
  request_changes: 'changes_requested',
}

export type WriteRequest = {
  kind: WriteKind
  token: string
  session: Session
  article?: Id
  /** Also ask for a status with an edit (an edit that resubmits), or create straight into review. */
  requested?: string
  basedOnVersion?: string
}

/**
 * Sends one workflow write and records it. Edits replace `plainLanguageAnswer` and `bottomLine`
 * with a text holding the token; every write names the token in `reviewComment`.
 */
export const sendWrite = async (base: string, request: WriteRequest, record: (op: WriteOp) => void, timeoutMs?: number): Promise<WriteOp> => {
  const { kind, token, session, article } = request
  const requested = REQUESTED[kind] ?? request.requested
  const editText = kind === 'create' || kind === 'edit' ? `Answer written by ${token}` : undefined
  const data: Record<string, unknown> = { reviewComment: kind === 'request_changes' ? `Please tighten the wording ${token}` : token }
  if (editText !== undefined) Object.assign(data, { plainLanguageAnswer: editText, bottomLine: plainTextToLexical(editText) })
  if (kind === 'create') data.question = `Is ${token} a question the soak asks?`
  if (requested !== undefined) data.reviewStatus = requested
  if (request.basedOnVersion !== undefined) data.basedOnVersion = request.basedOnVersion
  const op: WriteOp = {
    token,
    kind,
    article,
    actorUserId: session.userId,
    actorProfileId: session.profileId,
    requested,
    editText,
    basedOnVersion: request.basedOnVersion,
    sentAt: Date.now(),
  }
  record(op)
  const answer =
    kind === 'create'
      ? await call(base, 'POST', '/api/articles?depth=0', { session, body: data, timeoutMs })
      : await call(base, 'PATCH', `/api/articles/${article}?depth=0`, { session, body: data, timeoutMs })
  op.doneAt = Date.now()
  op.status = answer.status
  const doc = answer.body?.doc as { id?: Id; reviewStatus?: string; assignedReviewer?: Id | null } | undefined
  if (doc && op.status !== undefined && op.status < 300) {
    if (kind === 'create' && doc.id !== undefined) op.article = doc.id
    op.returned = { reviewStatus: doc.reviewStatus, assignedReviewer: doc.assignedReviewer ?? null }
  }
  if (op.status === undefined || op.status >= 300) op.message = messageOf(answer) ?? answer.error
  return op
}

/** The id of the article's newest version, as its editor's screen would hold it. */
export const newestVersionId = async (base: string, session: Session, article: Id): Promise<string | undefined> => {
  const answer = await call(base, 'GET', `/api/articles/versions?where[parent][equals]=${article}&sort=-createdAt&limit=1&depth=0`, { session })
  const doc = (answer.body?.docs as { id: Id }[] | undefined)?.[0]
  return doc ? String(doc.id) : undefined
}

let freshness = 0
/** What the public reads of an article now: the query string is new each time, so no cache answers it. */
export const readPublicArticle = async (base: string, article: Id) => {
  freshness += 1
  const answer = await call(base, 'GET', `/api/articles/${article}?depth=0&fresh=${Date.now()}-${freshness}`)
  return { status: answer.status ?? 599, body: answer.body }
}

/** Resident memory of a process in MiB (Linux `/proc`), or null when it is gone. */
export const rssMiB = (pid: number | undefined): number | null => {
  if (pid === undefined) return null
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : null
  } catch {
    return null
  }
}

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!
