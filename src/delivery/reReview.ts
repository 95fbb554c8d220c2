import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, CollectionBeforeChangeHook, CollectionBeforeDeleteHook, PayloadRequest } from 'payload'

import { idOf } from '../rules/ids'
import { publicStates, type Id } from '../rules/workflow'
import { getPolicy } from '../workflow/policy'
import { lockArticles } from '../workflow/articleLock'
import {
  changedPublicFields,
  LINK_TOKEN,
  REFERENCE_FIELDS,
  REVIEWER_FIELDS,
  snapshotOf,
  type LinkKind,
  type PublicArticle,
} from './document'

/** One linked document that no longer reads as the article's edition shows it. */
export type LinkedChange = { kind: LinkKind; id: string; label: string; fields: string[]; changedAt: string }

type LiveRow = { id: Id; article: unknown; document: string; changes?: LinkedChange[] | null }

const pickPublic = (doc: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(keys.map((key) => [key, doc[key] ?? null]))

/** The linked document's public fields as an edition written now would hold them; null when it is gone. */
const currentPublicForm = async (req: PayloadRequest, kind: LinkKind, doc: Record<string, unknown> | null): Promise<Record<string, unknown> | null> => {
  if (!doc) return null
  if (kind === 'reference') return pickPublic(doc, REFERENCE_FIELDS)
  if (kind === 'reviewer') return pickPublic(doc, REVIEWER_FIELDS)
  const linked = idOf(doc.article)
  let article: Id | null = null
  if (linked !== null) {
    const { publicVisibility } = await getPolicy(req)
    const { totalDocs } = await req.payload.count({
      collection: 'live-editions',
      where: { and: [{ article: { equals: linked } }, { reviewStatus: { in: publicStates(publicVisibility) } }] },
      overrideAccess: true,
      req,
    })
    article = totalDocs > 0 ? linked : null
  }
  return { id: doc.id, question: doc.question ?? null, slug: doc.slug ?? null, article }
}

const labelOf = (kind: LinkKind, snapshot: Record<string, unknown>): string => {
  const name = kind === 'reference' ? snapshot.title : kind === 'reviewer' ? snapshot.name : snapshot.question
  return typeof name === 'string' ? name : `${kind} ${String(snapshot.id)}`
}

/**
 * A reference, related question or reviewer profile changed: every public article that shows it is
 * compared with what its edition holds, and flagged "changed since approval" with the fields that
 * differ (or unflagged, if it reads as approved again). The public copy itself does not change.
 * The articles are locked as the workflow locks them, so an approval running at the same time
 * either includes this change or is flagged by it.
 */
export const flagArticlesShowing = async (req: PayloadRequest, kind: LinkKind, id: Id, doc: Record<string, unknown> | null): Promise<void> => {
  const token = `|${LINK_TOKEN[kind]}:${String(id)}|`
  const showing = async () =>
    (
      await req.payload.find({
        collection: 'live-editions',
        where: { links: { contains: token } },
        pagination: false,
        depth: 0,
        overrideAccess: true,
        req,
      })
    ).docs as unknown as LiveRow[]
  const candidates = await showing()
  if (candidates.length === 0) return
  await lockArticles(
    req,
    candidates.map((row) => idOf(row.article)).filter((article): article is Id => article !== null),
  )
  const current = await currentPublicForm(req, kind, doc)
  const now = new Date().toISOString()
  for (const row of await showing()) {
    const snapshot = snapshotOf(JSON.parse(row.document) as PublicArticle, kind, id)
    if (!snapshot) continue
    const fields = current === null ? ['deleted'] : changedPublicFields(snapshot, current)
    const others = (row.changes ?? []).filter((change) => !(change.kind === kind && change.id === String(id)))
    const previous = (row.changes ?? []).find((change) => change.kind === kind && change.id === String(id))
    const entry: LinkedChange[] = fields.length
      ? [{ kind, id: String(id), label: labelOf(kind, current ?? snapshot), fields, changedAt: previous && sameFields(previous.fields, fields) ? previous.changedAt : now }]
      : []
    const changes = [...others, ...entry]
    if (JSON.stringify(changes) === JSON.stringify(row.changes ?? [])) continue
    await req.payload.update({
      collection: 'live-editions',
      id: row.id,
      data: { changes, needsReReview: changes.length > 0 } as never,
      depth: 0,
      overrideAccess: true,
      req,
    })
  }
}

const sameFields = (a: string[], b: string[]) => a.length === b.length && a.every((field, index) => field === b[index])

/**
 * Before a linked document changes, the public articles already showing it are locked, in the
 * workflow's order: an approval of one of them waits for this change (or this change for it), and
 * neither holds what the other waits on.
 */
const lockArticlesShowing = async (req: PayloadRequest, kind: LinkKind, id: Id): Promise<void> => {
  const { docs } = await req.payload.find({
    collection: 'live-editions',
    where: { links: { contains: `|${LINK_TOKEN[kind]}:${String(id)}|` } },
    pagination: false,
    depth: 0,
    overrideAccess: true,
    select: { article: true },
    req,
  })
  await lockArticles(req, docs.map((row) => idOf((row as { article?: unknown }).article)).filter((article): article is Id => article !== null))
}

export const lockShowingBeforeChange =
  (kind: LinkKind): CollectionBeforeChangeHook =>
  async ({ data, operation, originalDoc, req }) => {
    if (operation === 'update' && originalDoc?.id !== undefined) await lockArticlesShowing(req, kind, originalDoc.id)
    return data
  }

export const lockShowingBeforeDelete =
  (kind: LinkKind): CollectionBeforeDeleteHook =>
  async ({ id, req }) => {
    await lockArticlesShowing(req, kind, id)
  }

export const flagAfterChange =
  (kind: LinkKind): CollectionAfterChangeHook =>
  async ({ doc, operation, req }) => {
    if (operation === 'update') await flagArticlesShowing(req, kind, doc.id, doc)
    return doc
  }

export const flagAfterDelete =
  (kind: LinkKind): CollectionAfterDeleteHook =>
  async ({ id, req, doc }) => {
    await flagArticlesShowing(req, kind, id ?? doc.id, null)
    return doc
  }

/** The hooks a collection whose documents editions copy needs. */
export const reReviewHooks = (kind: LinkKind) => ({
  beforeChange: [lockShowingBeforeChange(kind)],
  beforeDelete: [lockShowingBeforeDelete(kind)],
  afterChange: [flagAfterChange(kind)],
  afterDelete: [flagAfterDelete(kind)],
})
