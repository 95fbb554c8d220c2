/**
 * The review workflow's invariants, checked in the database (Payload's Local API, overrideAccess)
 * and through an anonymous read of a running server, for `npm run soak` and `npm run crashtest`.
 *
 * Every write the load sends carries a token (`#op-…#`) in its `reviewComment`, which the workflow
 * copies onto the event it writes, and content edits put the same token in `plainLanguageAnswer`.
 * So each event and each revision can be traced back to the request that made it, and:
 *
 * - each event's `from` is the previous event's `to`, the first starting from a new article;
 * - the status (newest draft) is the last event's `to`, and the revisions' statuses change exactly
 *   where the events say (no transition without its event);
 * - no revision goes back to content an earlier revision replaced (no lost edit);
 * - every acknowledged (2xx) transition has exactly one event, matching what the response said; a
 *   2xx without an event is a no-op only if the article was already in that state meanwhile;
 * - a refused request (4xx/5xx) left no event and no revision;
 * - an approval that named a version published that version's content;
 * - the public copy (anonymous GET, cache bypassed) is the content of the version the last
 *   publishing event points at, or 404 when nothing is published;
 * - the editions' invariants (tests/support/editionInvariants.ts, against the `editions` ledger
 *   kept for the whole run): no edition is ever modified or goes, each one matches its version and
 *   its one event (`approve` for a reviewed one), none is unreviewed while the policy is
 *   approved_only, and the public copy (the live row and the anonymous read) is the article's
 *   latest edition unless that one is withdrawn, in which case there is none.
 */
import type { Payload } from 'payload'

import { comparableContent, type ContentField } from '../src/rules/content'
import type { EditionLedger } from '../tests/support/editionInvariants'
import { idOf } from '../src/rules/ids'
import { publicationFor, type PublicVisibility } from '../src/rules/workflow'

export type Id = number | string

export type WriteKind = 'create' | 'edit' | 'submit' | 'claim' | 'approve' | 'request_changes'

/** One write the load sent and what came back. */
export type WriteOp = {
  token: string
  kind: WriteKind
  article?: Id
  actorUserId: Id
  /** The caller's advisory-board profile (claims and approvals). */
  actorProfileId?: Id
  requested?: string
  /** The `plainLanguageAnswer` the write sets, when it edits content. */
  editText?: string
  basedOnVersion?: string
  sentAt: number
  doneAt?: number
  /** Undefined while in flight, or when no response ever came (killed server, timeout). */
  status?: number
  returned?: { reviewStatus?: string; assignedReviewer?: Id | null }
  message?: string
}

export type Violation = { article: Id | null; kind: string; detail: string }

type EventDoc = { id: Id; article: Id; action: string; from?: string | null; to: string; actor?: Id | null; version?: string | null; comment?: string | null; createdAt: string }
type VersionDoc = { id: Id; parent: Id; createdAt: string; version: Record<string, unknown> }

const TOKEN = /#op-[\w-]+#/g

export const isSuccess = (status: number | undefined): status is number => status !== undefined && status >= 200 && status < 300

const sameId = (a: unknown, b: unknown) => {
  const left = idOf(a)
  const right = idOf(b)
  return left !== null && right !== null && String(left) === String(right)
}

const CONTENT_KEYS = ['question', 'bottomLine', 'plainLanguageAnswer', 'body', 'references'] as const satisfies readonly ContentField[]

/** Each content field as the workflow itself compares it (src/rules/content.ts). */
const contentOf = (doc: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(CONTENT_KEYS.map((key) => [key, comparableContent(key, doc[key])]))

const differingContent = (a: Record<string, unknown>, b: Record<string, unknown>): string[] => {
  const left = contentOf(a)
  const right = contentOf(b)
  return CONTENT_KEYS.filter((key) => left[key] !== right[key])
}

const tokensIn = (text: unknown): string[] => (typeof text === 'string' ? (text.match(TOKEN) ?? []) : [])

const byTimeThenId = <T extends { createdAt: string; id: Id }>(a: T, b: T) =>
  new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime() || Number(a.id) - Number(b.id)

const dedupe = (states: string[]) => states.filter((state, index) => index === 0 || state !== states[index - 1])

/** What an event does to the public copy (the workflow's own rule; a partial quorum approval keeps it). */
const publicationOf = (event: EventDoc, mode: PublicVisibility): 'publish' | 'withdraw' | 'keep' => {
  if (event.action === 'record_approval' || event.action === 'revise') return 'keep'
  if (event.action === 'approve') return 'publish'
  return publicationFor(event.to as Parameters<typeof publicationFor>[0], mode)
}

const describe = (event: EventDoc) => `event ${String(event.id)} ${event.action} ${event.from ?? 'new'}→${event.to}`

export type PublicReader = (article: Id) => Promise<{ status: number; body: Record<string, unknown> | null }>

export type CheckOptions = {
  payload: Payload
  /** Anonymous read of an article by id that no cache answers. */
  readPublic: PublicReader
  /** Every write sent so far; those on the checked articles are matched with the events. */
  ops: readonly WriteOp[]
  /** The articles to check; all of them when absent. */
  articles?: readonly Id[]
  publicVisibility?: PublicVisibility
  /** Every edition seen by earlier checks of this run: one ledger per database, kept across checks. */
  editions: EditionLedger
}

export type CheckResult = {
  articles: number
  events: number
  violations: Violation[]
  /** Acknowledged writes that left nothing: transitions without their event, edits without their revision. */
  lost: Violation[]
  /** 2xx answers to a transition the article had already made (no event, no change). */
  noOpAcknowledgements: number
  noOpExamples: string[]
  /** Editions seen so far in the run, and how many of them are withdrawn. */
  editions: number
  withdrawnEditions: number
}

const LOSS_KINDS = new Set(['acknowledged transition without its event', 'acknowledged edit without its revision', 'edit lost to a later revision'])

export const checkWorkflowInvariants = async ({ payload, readPublic, ops, articles, publicVisibility = 'approved_only', editions }: CheckOptions): Promise<CheckResult> => {
  const violations: Violation[] = []
  const flag = (article: Id | null, kind: string, detail: string): void => {
    violations.push({ article, kind, detail })
  }
  const inArticles = articles ? { id: { in: [...articles] } } : undefined

  const latestDocs = (
    await payload.find({ collection: 'articles', where: inArticles, draft: true, depth: 0, limit: 0, pagination: false, overrideAccess: true })
  ).docs as unknown as Record<string, unknown>[]
  const ids = latestDocs.map((doc) => doc.id as Id)
  const articleFilter = { article: { in: ids } }
  const events = (
    ids.length === 0
      ? []
      : (await payload.find({ collection: 'review-events', where: articleFilter, depth: 0, limit: 0, pagination: false, overrideAccess: true })).docs
  ) as unknown as EventDoc[]
  const versions = (
    ids.length === 0
      ? []
      : (await payload.findVersions({ collection: 'articles', where: { parent: { in: ids } }, depth: 0, limit: 0, pagination: false, overrideAccess: true })).docs
  ) as unknown as VersionDoc[]

  const eventsOf = new Map<string, EventDoc[]>()
  for (const event of events) {
    const key = String(idOf(event.article))
    eventsOf.set(key, [...(eventsOf.get(key) ?? []), event])
  }
  const versionsOf = new Map<string, VersionDoc[]>()
  for (const version of versions) {
    const key = String(idOf(version.parent))
    versionsOf.set(key, [...(versionsOf.get(key) ?? []), version])
  }
  const versionById = new Map(versions.map((version) => [String(version.id), version]))
  const eventsByToken = new Map<string, EventDoc[]>()
  for (const event of events) for (const token of tokensIn(event.comment)) eventsByToken.set(token, [...(eventsByToken.get(token) ?? []), event])
  const versionsByToken = new Map<string, VersionDoc[]>()
  for (const version of versions) for (const token of tokensIn(version.version.plainLanguageAnswer)) versionsByToken.set(token, [...(versionsByToken.get(token) ?? []), version])

  // Per article: the chain, the status, the revisions, the public copy.
  const publicChecks: Promise<void>[] = []
  for (const latest of latestDocs) {
    const article = latest.id as Id
    const chain = (eventsOf.get(String(article)) ?? []).sort(byTimeThenId)
    const revisions = (versionsOf.get(String(article)) ?? []).sort(byTimeThenId)
    const last = chain.at(-1)
    if (!last) {
      flag(article, 'article without events', `article ${String(article)} (${String(latest.reviewStatus)}) has no review event`)
      continue
    }
    chain.forEach((event, index) => {
      const previous = chain[index - 1]
      if (!previous && event.from) flag(article, 'event chain broken', `the first ${describe(event)} starts from "${event.from}"`)
      if (previous && (event.from ?? null) !== previous.to) flag(article, 'event chain broken', `${describe(event)} follows ${describe(previous)}`)
    })
    if (latest.reviewStatus !== last.to) flag(article, 'status differs from the last event', `status "${String(latest.reviewStatus)}", last ${describe(last)}`)

    const revisionStates = dedupe(revisions.map((revision) => String(revision.version.reviewStatus)))
    const eventStates = dedupe(chain.map((event) => event.to))
    if (revisionStates.join('>') !== eventStates.join('>')) {
      flag(article, 'transition without its event', `revisions went ${revisionStates.join(' > ')}, events ${eventStates.join(' > ')}`)
    }

    const seen = new Set<string>()
    let previousToken: string | undefined
    for (const revision of revisions) {
      const token = tokensIn(revision.version.plainLanguageAnswer)[0] ?? 'initial'
      if (previousToken !== undefined && token !== previousToken && seen.has(token)) {
        flag(article, 'edit lost to a later revision', `version ${String(revision.id)} went back to the content of ${token}, replacing ${previousToken}`)
      }
      seen.add(token)
      previousToken = token
    }

    const relevant = [...chain].reverse().find((event) => publicationOf(event, publicVisibility) !== 'keep')
    const published = relevant && publicationOf(relevant, publicVisibility) === 'publish' ? relevant : undefined
    publicChecks.push(
      (async () => {
        const anonymous = await readPublic(article)
        if (anonymous.status >= 500) return flag(article, 'public read failed', `anonymous read answered ${anonymous.status}`)
        if (!published) {
          if (anonymous.status !== 404) flag(article, 'public copy without publication', `anonymous read answered ${anonymous.status} though no event published the article`)
          return
        }
        const version = published.version ? (versionById.get(String(published.version)) ?? null) : null
        if (!version || !sameId(version.parent, article)) {
          return flag(article, 'publishing event without its version', `${describe(published)} points at version ${String(published.version)}`)
        }
        if (anonymous.status !== 200 || !anonymous.body) {
          return flag(article, 'published article not public', `${describe(published)} published version ${String(version.id)}, anonymous read answered ${anonymous.status}`)
        }
        const differs = differingContent(anonymous.body, version.version)
        if (differs.length > 0) flag(article, 'public copy differs from the published version', `${differs.join(', ')} differ from version ${String(version.id)} of ${describe(published)}`)
      })(),
    )
  }

  // Per write: what it was told against what the database holds.
  let noOpAcknowledgements = 0
  const noOpExamples: string[] = []
  const checked = new Set(ids.map(String))
  for (const op of ops) {
    if (op.article === undefined || !checked.has(String(op.article)) || op.status === undefined) continue
    const article = op.article
    const label = `${op.kind} ${op.token}`
    const ownEvents = eventsByToken.get(op.token) ?? []
    const ownRevisions = versionsByToken.get(op.token) ?? []
    if (!isSuccess(op.status)) {
      if (ownEvents.length > 0 || ownRevisions.length > 0) {
        flag(article, 'refused request changed the article', `${label} answered ${op.status} but wrote ${ownEvents.length} event(s) and ${ownRevisions.length} revision(s)`)
      }
      continue
    }
    if (ownEvents.length > 1) flag(article, 'duplicate events', `${label} wrote ${ownEvents.length} events: ${ownEvents.map(describe).join('; ')}`)
    if (op.editText !== undefined && ownRevisions.length === 0) flag(article, 'acknowledged edit without its revision', `${label} answered ${op.status} but no revision holds its text`)
    const event = ownEvents[0]
    if (event && op.returned?.reviewStatus !== undefined && event.to !== op.returned.reviewStatus) {
      flag(article, 'event differs from the response', `${label} answered "${op.returned.reviewStatus}", its ${describe(event)}`)
    }
    if (op.requested === undefined) continue
    if (op.returned?.reviewStatus !== undefined && op.returned.reviewStatus !== op.requested && !(op.kind === 'approve' && op.returned.reviewStatus === 'under_review')) {
      flag(article, 'acknowledged a change it did not make', `${label} asked for "${op.requested}" and got ${op.status} with "${op.returned.reviewStatus}"`)
    }
    if (op.kind === 'claim' && op.returned && !sameId(op.returned.assignedReviewer, op.actorProfileId)) {
      flag(article, 'acknowledged a change it did not make', `${label} got ${op.status} but the response names reviewer ${String(op.returned.assignedReviewer)}, not the caller's profile ${String(op.actorProfileId)}`)
    }
    if (event) {
      if (op.kind === 'approve' && event.action === 'approve' && op.basedOnVersion) {
        const approved = versionById.get(op.basedOnVersion)
        const publishedVersion = event.version ? versionById.get(String(event.version)) : undefined
        if (approved && publishedVersion) {
          const differs = differingContent(publishedVersion.version, approved.version)
          if (differs.length > 0) flag(article, 'approval published another revision', `${label} approved version ${op.basedOnVersion}; its event points at version ${String(publishedVersion.id)}, whose ${differs.join(', ')} differ`)
        }
      }
      continue
    }
    // A 2xx without an event: the article must already have been in the state asked for, at some
    // moment between the request and its answer (same machine, same clock).
    const chain = (eventsOf.get(String(article)) ?? []).sort(byTimeThenId)
    let claimant: Id | null = null
    const explained = chain.some((candidate, index) => {
      if (candidate.action === 'claim') claimant = idOf(candidate.actor)
      if (candidate.to !== op.requested) return false
      if (op.kind === 'claim' && !sameId(claimant, op.actorUserId)) return false
      const next = chain[index + 1]
      return new Date(candidate.createdAt).getTime() <= (op.doneAt ?? Infinity) && (!next || new Date(next.createdAt).getTime() >= op.sentAt)
    })
    if (explained) {
      noOpAcknowledgements++
      if (noOpExamples.length < 10) noOpExamples.push(`article ${String(article)}: ${label} asked for "${op.requested}" and got ${op.status} with "${String(op.returned?.reviewStatus)}"`)
    }
    else flag(article, 'acknowledged transition without its event', `${label} asked for "${op.requested}", answered ${op.status}, and no event records it`)
  }

  await Promise.all(publicChecks)
  // `readPublic` reads at depth 0: the edition's document with its relationships as ids.
  violations.push(...(await editions.check({ payload, articles: ids, readPublic, publicDepth: 0 })))
  return {
    articles: ids.length,
    events: events.length,
    violations,
    lost: violations.filter((violation) => LOSS_KINDS.has(violation.kind)),
    noOpAcknowledgements,
    noOpExamples,
    editions: editions.size,
    withdrawnEditions: editions.withdrawn,
  }
}

/** Counts per kind, for one report line or a summary. */
export const countByKind = (violations: readonly Violation[]): Record<string, number> =>
  violations.reduce<Record<string, number>>((counts, violation) => ({ ...counts, [violation.kind]: (counts[violation.kind] ?? 0) + 1 }), {})
