/**
 * The invariants of published editions (issue 11), checked in the database (Payload's Local API,
 * overrideAccess) and through an anonymous read, shared by the model-based test
 * (tests/support/invariants.ts) and by `npm run soak` / `npm run crashtest`
 * (bench/workflowInvariants.ts). It reads no HTTP client of its own: the caller passes the reader.
 *
 * - Editions are never modified: every field but the withdrawal stamp (`withdrawnAt`,
 *   `withdrawnReason`, `updatedAt`) reads as it did when first seen; a stamp, once set, never
 *   changes or goes; no edition disappears.
 * - Each edition is what its revision and its decision made it: its content hash is its
 *   document's, its kind matches its state (reviewed: approved; unreviewed: submitted or under
 *   review), its content fields are those of the version it names, and exactly one review event
 *   points at it, with the same version and state (an `approve` for a reviewed edition).
 * - While the policy is `approved_only`, no unreviewed edition is written.
 * - The public copy is the article's latest edition when that edition is not withdrawn: the live
 *   row holds that edition, its document, hash and state, and the anonymous read returns that
 *   document exactly (when the policy shows its state). When the latest edition is withdrawn, or
 *   there is none, there is no live row and the anonymous read is a 404. This is how "the latest
 *   non-withdrawn edition" reads: a withdrawal takes the article off the public site, and an older
 *   edition does not come back by itself; only a new decision writes a new edition.
 * - Whatever the public reads is in a state the policy shows: approved (`approved_only`), or
 *   submitted, under review or approved (`pending_with_caution`).
 */
import type { Payload } from 'payload'

import { atDepthZero, canonicalJson, contentHashOf, type PublicArticle } from '../../src/delivery/document'
import { comparableContent, type ContentField } from '../../src/rules/content'
import { idOf } from '../../src/rules/ids'
import { DEFAULT_POLICY, publicStates, type PublicVisibility } from '../../src/rules/workflow'

export type Id = number | string

export type EditionViolation = { article: Id | null; kind: string; detail: string }

export type PublicRead = { status: number; body: Record<string, unknown> | null }

export type EditionCheck = {
  payload: Payload
  /** The articles whose editions and public copy are checked. */
  articles: readonly Id[]
  /** An anonymous read of one article by id, as the public gets it. */
  readPublic: (article: Id) => Promise<PublicRead>
  /** The `depth` `readPublic` asks for: 1 returns the edition's document as stored, 0 its relationships as ids. */
  publicDepth: 0 | 1
}

type EditionDoc = {
  id: Id
  article: unknown
  kind: string
  version?: string | null
  reviewStatus: string
  document: unknown
  contentHash: string
  publishedAt: string
  withdrawnAt?: string | null
  withdrawnReason?: string | null
} & Record<string, unknown>

type LiveRow = { id: Id; article: unknown; edition: unknown; document: string; etag: string; reviewStatus: string }
type PublishingEvent = { id: Id; article: unknown; edition?: unknown; action: string; to: string; version?: string | null }
type VersionDoc = { id: Id; parent: unknown; version: Record<string, unknown> }

/** What a withdrawal may set on an edition; everything else is frozen when it is written. */
const WITHDRAWAL_FIELDS = new Set(['withdrawnAt', 'withdrawnReason', 'updatedAt'])

/** The article fields an edition must share with the version it was written from. */
const CONTENT_KEYS = ['question', 'bottomLine', 'plainLanguageAnswer', 'body', 'references'] as const satisfies readonly ContentField[]

const STATES_OF_KIND: Record<string, readonly string[]> = { reviewed: ['approved'], unreviewed: ['submitted', 'under_review'] }

const key = (id: unknown) => String(idOf(id))
const byPublicationThenId = (a: EditionDoc, b: EditionDoc) =>
  Date.parse(a.publishedAt) - Date.parse(b.publishedAt) || Number(a.id) - Number(b.id)

const frozenFieldsOf = (edition: EditionDoc): Record<string, string> =>
  Object.fromEntries(Object.keys(edition).filter((field) => !WITHDRAWAL_FIELDS.has(field)).sort().map((field) => [field, canonicalJson(edition[field] ?? null)]))

const NULL = canonicalJson(null)

const withdrawalOf = (edition: EditionDoc): string | null =>
  edition.withdrawnAt ? canonicalJson({ withdrawnAt: edition.withdrawnAt, withdrawnReason: edition.withdrawnReason ?? null }) : null

const describe = (edition: EditionDoc) => `edition ${String(edition.id)} (${edition.kind}, ${edition.reviewStatus}, version ${String(edition.version)})`

/**
 * What the checks have seen so far: every edition's frozen fields and withdrawal stamp. Keep one per
 * database for a whole run and call `check` after every step, batch or cycle.
 */
export class EditionLedger {
  private readonly seen = new Map<string, { article: string; fields: Record<string, string>; withdrawal: string | null }>()

  /** Editions seen so far. */
  get size(): number {
    return this.seen.size
  }

  /** Withdrawn editions seen so far. */
  get withdrawn(): number {
    return [...this.seen.values()].filter((entry) => entry.withdrawal !== null).length
  }

  async check({ payload, articles, readPublic, publicDepth }: EditionCheck): Promise<EditionViolation[]> {
    const violations: EditionViolation[] = []
    const flag = (article: Id | null, kind: string, detail: string): void => {
      violations.push({ article, kind, detail })
    }
    if (articles.length === 0) return violations
    const checked = new Set(articles.map(String))

    // Nothing writes while a check runs: the reads, the policy and the editions are read at once.
    const reads = new Map(
      articles.map((article) => [String(article), readPublic(article).catch((): PublicRead => ({ status: 599, body: null }))]),
    )
    const [policy, editions, live] = await Promise.all([
      payload.findGlobal({ slug: 'editorial-policy', depth: 0, overrideAccess: true }).then((doc) => doc as unknown as Record<string, unknown>),
      payload
        .find({ collection: 'editions', where: { article: { in: [...articles] } }, depth: 0, limit: 0, pagination: false, overrideAccess: true })
        .then(({ docs }) => docs as unknown as EditionDoc[]),
      payload
        .find({
          collection: 'live-editions',
          where: { article: { in: [...articles] } },
          select: { article: true, edition: true, document: true, etag: true, reviewStatus: true },
          depth: 0,
          limit: 0,
          pagination: false,
          overrideAccess: true,
        })
        .then(({ docs }) => docs as unknown as LiveRow[]),
    ])
    const mode = (policy.publicVisibility as PublicVisibility | undefined) ?? DEFAULT_POLICY.publicVisibility
    // When the policy last changed: an unreviewed edition older than that was written under the other mode.
    const policySince = typeof policy.updatedAt === 'string' ? Date.parse(policy.updatedAt) : -Infinity
    const visible: readonly string[] = publicStates(mode)

    // Never modified, never gone.
    const fresh: EditionDoc[] = []
    const present = new Set(editions.map((edition) => String(edition.id)))
    for (const [id, entry] of this.seen) {
      if (checked.has(entry.article) && !present.has(id)) flag(idOf(entry.article), 'edition disappeared', `edition ${id} is gone`)
    }
    for (const edition of editions) {
      const fields = frozenFieldsOf(edition)
      const withdrawal = withdrawalOf(edition)
      const before = this.seen.get(String(edition.id))
      if (!before) {
        this.seen.set(String(edition.id), { article: key(edition.article), fields, withdrawal })
        fresh.push(edition)
        continue
      }
      const changed = [...new Set([...Object.keys(before.fields), ...Object.keys(fields)])].filter((field) => (before.fields[field] ?? NULL) !== (fields[field] ?? NULL))
      if (changed.length > 0) {
        flag(idOf(edition.article), 'edition modified', `${describe(edition)} changed in ${changed.join(', ')}: ${changed.map((field) => `${before.fields[field] ?? 'absent'} → ${fields[field] ?? 'absent'}`).join('; ').slice(0, 400)}`)
      }
      if (before.withdrawal !== null && withdrawal !== before.withdrawal) {
        flag(idOf(edition.article), 'withdrawal stamp changed', `${describe(edition)} was withdrawn ${before.withdrawal}, now ${withdrawal ?? 'not withdrawn'}`)
      }
      if (before.withdrawal === null && withdrawal !== null) before.withdrawal = withdrawal
    }

    // Each new edition against its own document, its version and its event.
    for (const edition of fresh) {
      const article = idOf(edition.article)
      const document = edition.document as PublicArticle
      if (edition.contentHash !== contentHashOf(document)) flag(article, 'edition hash differs from its document', `${describe(edition)}: hash ${edition.contentHash}, document hashes to ${contentHashOf(document)}`)
      if (!STATES_OF_KIND[edition.kind]?.includes(edition.reviewStatus) || document.reviewStatus !== edition.reviewStatus) {
        flag(article, 'edition kind differs from its state', `${describe(edition)}: its document says "${String(document.reviewStatus)}"`)
      }
      if (mode === 'approved_only' && edition.kind === 'unreviewed' && Date.parse(edition.publishedAt) > policySince) {
        flag(article, 'unreviewed edition while approved_only', `${describe(edition)} published at ${edition.publishedAt}, while the policy is approved_only (since ${String(policy.updatedAt ?? 'the start')})`)
      }
    }
    if (fresh.length > 0) {
      const freshIds = fresh.map((edition) => edition.id)
      const versionIds = fresh.flatMap((edition) => (edition.version ? [edition.version] : []))
      const [events, versions] = await Promise.all([
        payload
          .find({ collection: 'review-events', where: { edition: { in: freshIds } }, depth: 0, limit: 0, pagination: false, overrideAccess: true })
          .then(({ docs }) => docs as unknown as PublishingEvent[]),
        versionIds.length === 0
          ? Promise.resolve([] as VersionDoc[])
          : payload
              .findVersions({ collection: 'articles', where: { id: { in: versionIds } }, depth: 0, limit: 0, pagination: false, overrideAccess: true })
              .then(({ docs }) => docs as unknown as VersionDoc[]),
      ])
      for (const edition of fresh) {
        const article = idOf(edition.article)
        const own = events.filter((event) => key(event.edition) === String(edition.id))
        const event = own[0]
        if (own.length !== 1 || !event) {
          flag(article, 'edition without its one event', `${describe(edition)} is pointed at by ${own.length} review events`)
        } else {
          const expected = edition.kind === 'reviewed' ? 'approve' : event.action
          if (event.action !== expected || event.to !== edition.reviewStatus || key(event.article) !== key(edition.article) || String(event.version) !== String(edition.version)) {
            flag(article, 'edition differs from its event', `${describe(edition)}; its event ${String(event.id)} is ${event.action} → ${event.to} of article ${key(event.article)}, version ${String(event.version)}`)
          }
        }
        const version = versions.find((candidate) => String(candidate.id) === String(edition.version))
        if (!version || key(version.parent) !== key(edition.article)) {
          flag(article, 'edition without its version', `${describe(edition)} names a version of this article that does not exist`)
          continue
        }
        const document = edition.document as Record<string, unknown>
        const differs = CONTENT_KEYS.filter((field) => comparableContent(field, document[field]) !== comparableContent(field, version.version[field]))
        if (differs.length > 0) flag(article, 'edition differs from its version', `${describe(edition)} differs from its version in ${differs.join(', ')}`)
      }
    }

    // The public copy is the latest edition, unless that one is withdrawn, as first seen.
    const documentOf = (edition: EditionDoc): string => this.seen.get(String(edition.id))?.fields.document ?? NULL
    const editionsOf = new Map<string, EditionDoc[]>()
    for (const edition of editions) editionsOf.set(key(edition.article), [...(editionsOf.get(key(edition.article)) ?? []), edition])
    await Promise.all(
      articles.map(async (article) => {
        const latest = (editionsOf.get(String(article)) ?? []).sort(byPublicationThenId).at(-1)
        const current = latest && !latest.withdrawnAt ? latest : undefined
        const rows = live.filter((row) => key(row.article) === String(article))
        const row = rows[0]
        if (rows.length > 1) flag(article, 'several public copies', `${rows.length} live rows`)
        if (!current) {
          if (row) flag(article, 'public copy without a current edition', `live row ${String(row.id)} holds edition ${key(row.edition)}, but ${latest ? `the latest, ${describe(latest)}, is withdrawn` : 'the article has no edition'}`)
        } else if (!row) {
          flag(article, 'current edition not public', `the latest, ${describe(current)}, is not withdrawn but there is no live row`)
        } else {
          if (key(row.edition) !== String(current.id)) flag(article, 'public copy is not the latest edition', `live row holds edition ${key(row.edition)}, the latest is ${describe(current)}`)
          if (canonicalJson(JSON.parse(row.document)) !== documentOf(current)) flag(article, 'public copy differs from its edition', `live row ${String(row.id)} document differs from ${describe(current)}`)
          if (row.etag !== current.contentHash || row.reviewStatus !== current.reviewStatus) {
            flag(article, 'public copy differs from its edition', `live row etag ${row.etag} / "${row.reviewStatus}", ${describe(current)} hash ${current.contentHash}`)
          }
        }

        const shown = current && visible.includes(current.reviewStatus) ? current : undefined
        const read = await reads.get(String(article))!
        if (read.status >= 500) return flag(article, 'public read failed', `the anonymous read answered ${read.status}${read.status === 599 ? ' (no answer)' : ''}`)
        if (read.status === 200 && read.body && !visible.includes(String(read.body.reviewStatus))) {
          flag(article, 'public copy in a state the policy hides', `the anonymous read returns "${String(read.body.reviewStatus)}" under ${mode}`)
        }
        if (!shown) {
          if (read.status !== 404) flag(article, 'public read without a current edition', `the anonymous read answered ${read.status} (latest: ${latest ? describe(latest) : 'none'}${latest?.withdrawnAt ? ', withdrawn' : ''}, policy ${mode})`)
          return
        }
        if (read.status !== 200 || !read.body) return flag(article, 'current edition not public', `the latest, ${describe(shown)}, is current but the anonymous read answered ${read.status}`)
        const document = JSON.parse(documentOf(shown)) as PublicArticle
        const expected = publicDepth === 0 ? canonicalJson(atDepthZero(document)) : documentOf(shown)
        if (canonicalJson(read.body) !== expected) {
          flag(article, 'public read differs from the latest edition', `the anonymous read at depth ${publicDepth} is not ${describe(shown)}: "${String(read.body.question)}" (${String(read.body.reviewStatus)}), edition "${document.question}"`)
        }
      }),
    )
    return violations
  }
}
