/**
 * The workflow's invariants for one article after a burst of concurrent requests, checked on the
 * Local API (overrideAccess) and through an anonymous read of the app:
 *
 * - every accepted transition has exactly one event, and every event added in the burst belongs to
 *   one accepted request by the same user;
 * - each event's `from` is the previous event's `to` (ordered by createdAt, then id);
 * - the status (newest draft) is the last event's `to`;
 * - the public copy is the content of the version the last publishing event points at, or absent
 *   when nothing is published;
 * - quorum approvals are all counted: the article's `approvals` hold one distinct reviewer per
 *   approval event of the current revision;
 * - no response is a 5xx.
 *
 * `checkEditions` adds the invariants of published editions (tests/support/editionInvariants.ts)
 * for a set of articles: editions never change, and the public copy is the latest edition unless
 * that one is withdrawn.
 *
 * The checker returns the violations as sentences instead of throwing, so a suite can run every
 * burst and report how many broke which invariant.
 */
import type { Express } from 'express'
import type { Payload } from 'payload'
import request, { type Response } from 'supertest'

import { comparableContent, type ContentField } from '../../src/rules/content'
import { idOf } from '../../src/rules/ids'
import { EditionLedger, type PublicRead } from './editionInvariants'

export { EditionLedger } from './editionInvariants'

export type Id = number | string

export type WorkflowAction = 'create' | 'submit' | 'claim' | 'request_changes' | 'approve' | 'record_approval' | 'revise' | 'restart_review'

/** Transitions that follow from a content change without being asked for. */
export const AUTOMATIC_ACTIONS: readonly WorkflowAction[] = ['restart_review', 'revise']

/** Transitions after which the approvals of a revision start from none. */
const APPROVALS_RESET_BY: readonly WorkflowAction[] = ['create', 'submit', 'request_changes', 'restart_review', 'revise']

/** The article fields the public copy must share with the version that was published. */
export const CONTENT_KEYS = ['question', 'bottomLine', 'plainLanguageAnswer', 'body', 'references'] as const satisfies readonly ContentField[]

export type PublicVisibility = 'approved_only' | 'pending_with_caution'

/**
 * What the test knows about one response:
 * - `transition`: a 2xx means that this request made one of `expects` happen (a claim, an approval);
 * - `content`: a content change, which may have caused an automatic transition (restart, revise);
 * - `any`: a request whose effect the test does not predict (model-based batches); a 2xx may
 *   account for at most one event, whose `to` is the status the response returned;
 * - `none`: must not write an event (reads).
 */
export type Acknowledgement = {
  label: string
  actor: Id | null
  status: number
  message?: string
  retryAfter?: string
  kind: 'transition' | 'content' | 'any' | 'none'
  expects?: readonly WorkflowAction[]
  /** The status the request asked for explicitly, if any. */
  requested?: string
  /** `reviewStatus` of the document a 2xx response returned. */
  returnedStatus?: string
}

type EventDoc = {
  id: Id
  action: WorkflowAction
  from?: string | null
  to: string
  actor?: Id | { id: Id } | null
  version?: string | null
  createdAt: string
}

export const isSuccess = (status: number) => status >= 200 && status < 300

const sameId = (a: unknown, b: unknown) => {
  const left = idOf(a)
  const right = idOf(b)
  return left !== null && right !== null && String(left) === String(right)
}

/** The first error message of a Payload REST error body. */
export const messageOf = (res: Response): string | undefined => res.body?.errors?.[0]?.message

/** An acknowledgement from a REST response on one article (a PATCH by id or a bulk PATCH). */
export const acknowledge = (
  res: Response,
  meta: Omit<Acknowledgement, 'status' | 'message' | 'retryAfter' | 'returnedStatus'>,
  articleId?: Id,
): Acknowledgement => {
  const body = res.body as { doc?: { id?: Id; reviewStatus?: string }; docs?: { id?: Id; reviewStatus?: string }[]; reviewStatus?: string } | undefined
  const doc = body?.doc ?? body?.docs?.find((candidate) => articleId === undefined || sameId(candidate.id, articleId)) ?? body
  return {
    ...meta,
    status: res.status,
    message: messageOf(res),
    retryAfter: res.headers['retry-after'],
    returnedStatus: isSuccess(res.status) && typeof doc?.reviewStatus === 'string' ? doc.reviewStatus : undefined,
  }
}

/**
 * The content of an article document or version, each field as the workflow compares it
 * (src/rules/content.ts, whose property tests pin down what counts as a change).
 */
export const contentOf = (doc: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(CONTENT_KEYS.map((key) => [key, comparableContent(key, doc[key])]))

export const differingContent = (a: Record<string, unknown>, b: Record<string, unknown>): string[] => {
  const left = contentOf(a)
  const right = contentOf(b)
  return CONTENT_KEYS.filter((key) => left[key] !== right[key])
}

/** The plain text of a Lexical value, for messages. */
export const textOf = (value: unknown): string => {
  if (typeof value === 'string') return value
  if (!value || typeof value !== 'object') return ''
  const node = value as { text?: unknown; root?: unknown; children?: unknown[] }
  if (typeof node.text === 'string') return node.text
  if (node.root) return textOf(node.root)
  return Array.isArray(node.children) ? node.children.map(textOf).join(' ') : ''
}

/** Every event of an article, in the order they happened (createdAt, then id). */
export const orderedEvents = async (payload: Payload, article: Id): Promise<EventDoc[]> => {
  const { docs } = await payload.find({
    collection: 'review-events',
    where: { article: { equals: article } },
    limit: 0,
    pagination: false,
    depth: 0,
    overrideAccess: true,
  })
  return (docs as unknown as EventDoc[]).sort(
    (a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime() || Number(a.id) - Number(b.id),
  )
}

/** The ids of an article's events now: pass it to `checkBurst` as `eventsBefore`. */
export const eventIdsOf = async (payload: Payload, article: Id): Promise<Set<string>> =>
  new Set((await orderedEvents(payload, article)).map((event) => String(event.id)))

/** Which actions publish and which withdraw the public copy under a policy mode (src/rules/workflow's `publicationFor`). */
const publicationOf = (event: EventDoc, mode: PublicVisibility): 'publish' | 'withdraw' | 'keep' => {
  if (event.action === 'approve') return 'publish'
  if (mode === 'pending_with_caution') {
    if (event.to === 'submitted' || event.to === 'under_review') return event.action === 'record_approval' ? 'keep' : 'publish'
    if (event.to === 'changes_requested') return 'withdraw'
  }
  return 'keep'
}

/** Pairs each event with a distinct response that can account for it (augmenting paths; transitions first). */
const matchEvents = (events: EventDoc[], responses: readonly Acknowledgement[]) => {
  const accounts = (response: Acknowledgement, event: EventDoc): boolean => {
    if (!isSuccess(response.status) || !sameId(response.actor, event.actor)) return false
    switch (response.kind) {
      case 'transition':
        return Boolean(response.expects?.includes(event.action))
      case 'content':
        return AUTOMATIC_ACTIONS.includes(event.action)
      case 'any':
        return response.returnedStatus === undefined || response.returnedStatus === event.to
      case 'none':
        return false
    }
  }
  const eventFor = new Map<number, number>()
  const responseFor = new Map<number, number>()
  const tryAssign = (r: number, seen: Set<number>): boolean => {
    for (let e = 0; e < events.length; e++) {
      if (seen.has(e) || !accounts(responses[r]!, events[e]!)) continue
      seen.add(e)
      const holder = responseFor.get(e)
      if (holder === undefined || tryAssign(holder, seen)) {
        responseFor.set(e, r)
        eventFor.set(r, e)
        return true
      }
    }
    return false
  }
  const order = responses.map((_, index) => index).sort((a, b) => Number(responses[b]!.kind === 'transition') - Number(responses[a]!.kind === 'transition'))
  for (const r of order) tryAssign(r, new Set())
  return { eventFor, responseFor }
}

export type BurstCheck = {
  article: Id
  /** Event ids before the burst (`eventIdsOf`). */
  eventsBefore: ReadonlySet<string>
  /** The status before the burst. */
  statusBefore?: string
  responses: readonly Acknowledgement[]
  publicVisibility?: PublicVisibility
  /** An admin's unpublish was accepted since the last publication: the public copy may be gone. */
  withdrawalAllowed?: boolean
}

export type CheckContext = { payload: Payload; app: Express }

const describeEvent = (event: EventDoc) =>
  `event ${String(event.id)} ${event.action} ${event.from ?? 'new'}→${event.to} by user ${String(idOf(event.actor))}`

export const checkBurst = async ({ payload, app }: CheckContext, burst: BurstCheck): Promise<string[]> => {
  const violations: string[] = []
  const { article, responses } = burst
  const mode = burst.publicVisibility ?? 'approved_only'

  for (const response of responses) {
    if (response.status >= 500) violations.push(`${response.label} answered ${response.status}${response.message ? `: ${response.message}` : ''}`)
  }

  const events = await orderedEvents(payload, article)
  const added = events.filter((event) => !burst.eventsBefore.has(String(event.id)))

  // Every event added has its own accepted request; every accepted transition has its own event.
  const { eventFor, responseFor } = matchEvents(added, responses)
  const unaccounted: string[] = []
  added.forEach((event, index) => {
    if (!responseFor.has(index)) unaccounted.push(`${describeEvent(event)} belongs to no accepted request of that user`)
  })
  responses.forEach((response, index) => {
    if (response.kind === 'transition' && isSuccess(response.status) && !eventFor.has(index)) {
      unaccounted.push(`${response.label} got ${response.status} but no ${response.expects?.join('/')} event by its user was written`)
    }
    if (response.requested !== undefined && isSuccess(response.status) && !eventFor.has(index)) {
      const everThere = burst.statusBefore === response.requested || added.some((event) => event.to === response.requested)
      if (!everThere) unaccounted.push(`${response.label} asked for "${response.requested}", got ${response.status} and wrote no event, but the article never was "${response.requested}"`)
    }
  })
  if (unaccounted.length > 0) {
    const countBy = (keys: string[]) => keys.reduce<Record<string, number>>((counts, key) => ({ ...counts, [key]: (counts[key] ?? 0) + 1 }), {})
    const accepted = responses.filter((response) => response.kind === 'transition' && isSuccess(response.status)).map((response) => response.expects!.join('/'))
    violations.push(...unaccounted, `burst events by action ${JSON.stringify(countBy(added.map((event) => event.action)))}; accepted transitions ${JSON.stringify(countBy(accepted))}`)
  }

  // One chain of states. Events before the burst were checked after their own burst.
  events.forEach((event, index) => {
    if (burst.eventsBefore.has(String(event.id))) return
    const previous = events[index - 1]
    if (!previous) {
      if (event.from) violations.push(`the first ${describeEvent(event)} starts from "${event.from}", not from a new article`)
    } else if ((event.from ?? null) !== previous.to) {
      violations.push(`${describeEvent(event)} does not start where ${describeEvent(previous)} ended`)
    }
  })

  const latest = (await payload.findByID({ collection: 'articles', id: article, draft: true, depth: 0, overrideAccess: true })) as unknown as Record<string, unknown>
  const last = events.at(-1)
  if (last && latest.reviewStatus !== last.to) {
    violations.push(`status is "${String(latest.reviewStatus)}" but the last event, ${describeEvent(last)}, ended in "${last.to}"`)
  }

  // Every approval of the current revision is in the article's approvals, one per reviewer.
  if (last && (latest.reviewStatus === 'under_review' || latest.reviewStatus === 'approved')) {
    const resetAt = events.findLastIndex((event) => APPROVALS_RESET_BY.includes(event.action))
    const approvalEvents = events.slice(resetAt + 1).filter((event) => event.action === 'record_approval' || event.action === 'approve')
    const approvers = approvalEvents.map((event) => String(idOf(event.actor)))
    if (new Set(approvers).size !== approvers.length) violations.push(`one reviewer approved the same revision twice: users ${approvers.join(', ')}`)
    const approvals = Array.isArray(latest.approvals) ? latest.approvals : []
    if (approvals.length !== approvalEvents.length) {
      violations.push(`${approvalEvents.length} approval events (users ${approvers.join(', ')}) but the article holds ${approvals.length} approvals`)
    }
  }

  // The public copy is the version the last publication points at.
  const publication = [...events].reverse().find((event) => publicationOf(event, mode) !== 'keep')
  const published = publication && publicationOf(publication, mode) === 'publish' ? publication : undefined
  const anonymous = await request(app).get(`/api/articles/${article}?depth=0`)
  const stored = (await payload.findByID({ collection: 'articles', id: article, draft: false, depth: 0, overrideAccess: true })) as unknown as Record<string, unknown>
  if (anonymous.status >= 500) violations.push(`the anonymous read answered ${anonymous.status}`)
  if (!published) {
    if (anonymous.status === 200) violations.push(`the public reads article ${String(article)} (${String(anonymous.body.reviewStatus)}) although no event published it`)
    if (stored._status === 'published' && !burst.withdrawalAllowed && publication) {
      violations.push(`the article is published although its last publication event, ${describeEvent(publication)}, withdrew it`)
    } else if (stored._status === 'published' && !publication) {
      violations.push(`the article is published (${String(stored.reviewStatus)}) although no event published it`)
    }
  } else {
    const version = published.version
      ? await payload.findVersionByID({ collection: 'articles', id: published.version, depth: 0, overrideAccess: true, disableErrors: true }).catch(() => null)
      : null
    if (!version) {
      violations.push(`${describeEvent(published)} points at version ${String(published.version)}, which does not exist`)
    } else {
      const content = version.version as unknown as Record<string, unknown>
      if (!sameId(version.parent, article)) violations.push(`${describeEvent(published)} points at version ${String(version.id)} of another article`)
      if (content._status !== 'published') violations.push(`${describeEvent(published)} points at version ${String(version.id)}, a ${String(content._status)} revision`)
      if (anonymous.status === 200) {
        const differs = differingContent(anonymous.body, content)
        if (differs.length > 0) {
          violations.push(`the public copy differs from version ${String(version.id)} of ${describeEvent(published)} in ${differs.join(', ')}: public bottomLine "${textOf(anonymous.body.bottomLine)}" / plain "${String(anonymous.body.plainLanguageAnswer)}", approved "${textOf(content.bottomLine)}" / "${String(content.plainLanguageAnswer)}"`)
        }
        if (anonymous.body.reviewStatus !== published.to) violations.push(`the public copy is "${String(anonymous.body.reviewStatus)}", but ${describeEvent(published)} published "${published.to}"`)
      } else if (!burst.withdrawalAllowed) {
        violations.push(`${describeEvent(published)} published version ${String(version.id)}, but the anonymous read answers ${anonymous.status}`)
      }
      if (stored._status === 'published') {
        const differs = differingContent(stored, content)
        if (differs.length > 0) violations.push(`the stored published copy differs from version ${String(version.id)} of ${describeEvent(published)} in ${differs.join(', ')}`)
      } else if (!burst.withdrawalAllowed) {
        violations.push(`${describeEvent(published)} published, but the stored copy is ${String(stored._status)}`)
      }
    }
  }
  return violations
}

/** The anonymous read of an article by id at depth 1: the edition's document exactly as stored. */
export const readPublicDocument =
  (app: Express) =>
  async (article: Id): Promise<PublicRead> => {
    const res = await request(app).get(`/api/articles/${String(article)}?depth=1`)
    return { status: res.status, body: res.status === 200 ? (res.body as Record<string, unknown>) : null }
  }

/**
 * The editions' invariants for these articles, against what `ledger` saw before (keep one ledger
 * for a whole run): as sentences, like `checkBurst`.
 */
export const checkEditions = async ({ payload, app }: CheckContext, ledger: EditionLedger, articles: readonly Id[]): Promise<string[]> =>
  (await ledger.check({ payload, articles, readPublic: readPublicDocument(app), publicDepth: 1 })).map(
    (violation) => `${violation.article === null ? '' : `article ${String(violation.article)}: `}${violation.kind}: ${violation.detail}`,
  )

/** Collects violations across bursts and summarises them by kind for the final assertion and the log. */
export class ViolationLog {
  private readonly entries: string[] = []
  private readonly kinds = new Map<string, number>()
  bursts = 0
  brokenBursts = 0

  record(burst: string, violations: readonly string[]) {
    this.bursts++
    if (violations.length === 0) return
    this.brokenBursts++
    for (const violation of violations) {
      this.entries.push(`${burst}: ${violation}`)
      const kind = violation.replace(/\d+/g, 'N').replace(/"[^"]*"/g, '"…"').slice(0, 160)
      this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1)
    }
  }

  /** Empty when every burst held; otherwise the first examples and counts per kind. */
  summary(examples = 12): string[] {
    if (this.entries.length === 0) return []
    return [
      `${this.brokenBursts} of ${this.bursts} bursts broke an invariant`,
      ...[...this.kinds.entries()].sort((a, b) => b[1] - a[1]).map(([kind, count]) => `${count}× ${kind}`),
      ...this.entries.slice(0, examples).map((entry) => `e.g. ${entry}`),
    ]
  }
}

/** How long a request may go unanswered before a burst counts as hung (issue 10, observation 5); not a speed check. */
export const HANG_SECONDS = Number(process.env.HANG_SECONDS ?? 90)

/** Resolves with `work`, or fails naming `what` if it has no answer after HANG_SECONDS: a hung server fails the test instead of stalling it. */
export const answerWithin = async <T>(work: PromiseLike<T>, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} got no answer within ${HANG_SECONDS} s: the server hangs`)), HANG_SECONDS * 1000)
  })
  try {
    return await Promise.race([work, hung])
  } finally {
    clearTimeout(timer)
  }
}
