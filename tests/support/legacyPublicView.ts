import type { Payload, Where } from 'payload'

import { idOf } from '../../src/rules/ids'
import { publicStates, type PublicVisibility } from '../../src/rules/workflow'

/*
 * The public read of articles as it was before editions (commit 72a42dc), reproduced with the Local
 * API so that tests can hold what the edition read path serves against it. It reproduces:
 *
 * - `collections/Articles/access/publishedOrStaff.ts`: the public reads published revisions whose
 *   `reviewStatus` the policy makes public (`publicStates(mode)`), ANDed with the query's `where`;
 * - `hooks/ignoreDraftsForPublic.ts`: `draft=true` is ignored, the published revision is read;
 * - `hooks/hideStaffOnlyFields.ts` and the fields' read access: `authors`, `assignedReviewer`,
 *   `approvals`, `reviewComment` and `basedOnVersion` never reach the public;
 * - `hooks/selectListFields.ts`: a REST list with no `select` that does not pin one article (by id
 *   or slug) returns the list fields only; GraphQL callers chose their own fields;
 * - `collections/RelatedQuestions/hooks/hideUnpublishedAnswer.ts`: a related question's `article`
 *   is shown only when that article is public, else null (populated at depth >= 2, as the reader
 *   could read it then, with the same fields hidden).
 *
 * References and reviewer profiles were populated with their `defaultPopulate`, which the Local
 * API applies too. Output is JSON-round-tripped, as a REST client would receive it.
 */

export const STAFF_ONLY_FIELDS = ['authors', 'assignedReviewer', 'approvals', 'reviewComment', 'basedOnVersion'] as const

/** `selectListFields`'s LIST_FIELDS. */
export const LEGACY_LIST_FIELDS = {
  question: true,
  slug: true,
  specialties: true,
  reviewStatus: true,
  lastUpdated: true,
  reviewedAt: true,
  nextReviewDue: true,
  reviewedBy: true,
} as const

type Doc = Record<string, unknown>

export type LegacyPage = {
  docs: Doc[]
  totalDocs: number
  limit: number
  totalPages: number
  page?: number
  pagingCounter: number
  hasPrevPage: boolean
  hasNextPage: boolean
  prevPage?: number | null
  nextPage?: number | null
}

export type LegacyQuery = {
  mode: PublicVisibility
  where?: Where
  sort?: string | string[]
  depth: number
  limit?: number
  page?: number
  pagination?: boolean
  select?: Record<string, unknown>
  /** REST lists got the list fields by default; GraphQL did not. */
  api: 'REST' | 'GraphQL'
}

/** `publishedOrStaff`'s constraint for the public, with the query's own `where`. */
export const legacyWhere = (mode: PublicVisibility, where?: Where): Where => ({
  and: [{ _status: { equals: 'published' } }, { reviewStatus: { in: publicStates(mode) } }, ...(where && Object.keys(where).length > 0 ? [where] : [])],
})

/** `selectListFields`'s test: a query naming one article by id or slug gets all of it. */
const pinsOneArticle = (where: Where | undefined): boolean => {
  if (!where) return false
  const pinned = (field: 'id' | 'slug') => (where[field] as { equals?: unknown } | undefined)?.equals !== undefined
  if (pinned('id') || pinned('slug')) return true
  return Array.isArray(where.and) && where.and.some((clause) => pinsOneArticle(clause))
}

/** The ids of the articles the public could read under this mode. */
export const legacyPublicIds = async (payload: Payload, mode: PublicVisibility): Promise<Set<string>> => {
  const { docs } = await payload.find({
    collection: 'articles',
    where: legacyWhere(mode),
    depth: 0,
    draft: false,
    overrideAccess: true,
    pagination: false,
    select: { slug: true },
  })
  return new Set(docs.map((doc) => String(doc.id)))
}

const isObject = (value: unknown): value is Doc => value !== null && typeof value === 'object' && !Array.isArray(value)

/** One article as the public received it: staff-only fields gone, links to unreadable answers null. */
const asPublic = (article: Doc, publicIds: Set<string>): Doc => {
  const doc = { ...article }
  for (const field of STAFF_ONLY_FIELDS) delete doc[field]
  if (Array.isArray(doc.relatedQuestions)) {
    doc.relatedQuestions = doc.relatedQuestions.map((question: unknown) => {
      if (!isObject(question)) return question
      const answer = question.article
      const id = idOf(answer)
      if (id === null || !publicIds.has(String(id))) return { ...question, article: null }
      return { ...question, article: isObject(answer) ? asPublic(answer, publicIds) : answer }
    })
  }
  return doc
}

const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

/** `GET /api/articles?…` (or GraphQL `Articles`) as the public got it. */
export const legacyFind = async (payload: Payload, query: LegacyQuery): Promise<LegacyPage> => {
  const hasSelect = query.select !== undefined && Object.keys(query.select).length > 0
  const select = hasSelect ? query.select : query.api === 'REST' && !pinsOneArticle(query.where) ? LEGACY_LIST_FIELDS : undefined
  const [result, publicIds] = await Promise.all([
    payload.find({
      collection: 'articles',
      where: legacyWhere(query.mode, query.where),
      sort: query.sort,
      depth: query.depth,
      limit: query.limit,
      page: query.page,
      pagination: query.pagination,
      select: select as never,
      draft: false,
      overrideAccess: true,
    }),
    legacyPublicIds(payload, query.mode),
  ])
  return json({ ...(result as unknown as LegacyPage), docs: (result.docs as unknown as Doc[]).map((doc) => asPublic(doc, publicIds)) })
}

/** `GET /api/articles/:id` (or GraphQL `Article`) as the public got it; null where it was a 404. */
export const legacyFindByID = async (payload: Payload, query: { mode: PublicVisibility; id: number | string; depth: number }): Promise<Doc | null> => {
  const page = await legacyFind(payload, { mode: query.mode, where: { id: { equals: query.id } }, depth: query.depth, limit: 1, api: 'REST' })
  return page.docs[0] ?? null
}

/** `GET /api/articles/count` (or GraphQL `countArticles`) as the public got it. */
export const legacyCount = async (payload: Payload, query: { mode: PublicVisibility; where?: Where }): Promise<{ totalDocs: number }> =>
  payload.count({ collection: 'articles', where: legacyWhere(query.mode, query.where), overrideAccess: true })
