import { and, eq, inArray } from '@payloadcms/db-postgres/drizzle'
import { APIError, type Payload, type Where } from 'payload'

import { applySelect, atDepthZero, LIST_FIELDS, type PublicArticle } from './document'
import { publicStates } from '../rules/workflow'
import { getPublicPolicy } from '../workflow/policy'
import type { Answers } from './editions'

/*
 * The public read path: every answer comes from the live editions table, never from the articles.
 * One article is one indexed query (by slug or by article id) returning its serialised document;
 * lists go through Payload's query builder on the same table, with the filters and sorts the public
 * may use translated onto its columns.
 */

type LiveTable = Record<string, unknown>
type Drizzle = {
  select: (columns: Record<string, unknown>) => {
    from: (table: LiveTable) => { where: (condition: unknown) => { limit: (n: number) => Promise<Record<string, unknown>[]> } }
  }
}

export type LiveDocument = { document: string; answers: string | null; etag: string }

const tableOf = (payload: Payload) => {
  const db = payload.db as unknown as { drizzle: Drizzle; tables: Record<string, LiveTable> }
  const table = db.tables.live_editions
  if (!table) throw new Error('The live_editions table is missing: run the migrations')
  return { drizzle: db.drizzle, table }
}

/**
 * The review states the policy shows now. An edition written in caution mode stays in the table
 * when the policy turns stricter, and shows again if it turns back, as published revisions did.
 */
const visibleStates = async (payload: Payload): Promise<string[]> => publicStates((await getPublicPolicy(payload)).publicVisibility)

const readOne = async (payload: Payload, column: 'slug' | 'article', value: string | number): Promise<LiveDocument | undefined> => {
  const { drizzle, table } = tableOf(payload)
  const states = await visibleStates(payload)
  const rows = await drizzle
    .select({ document: table.document, answers: table.answers, etag: table.etag })
    .from(table)
    .where(and(eq(table[column] as never, value as never), inArray(table.reviewStatus as never, states)))
    .limit(1)
  return rows[0] as LiveDocument | undefined
}

export const liveBySlug = (payload: Payload, slug: string): Promise<LiveDocument | undefined> => readOne(payload, 'slug', slug)

export const liveByArticleId = (payload: Payload, id: string): Promise<LiveDocument | undefined> => {
  if (!/^[1-9]\d{0,14}$/.test(id) && payload.db.defaultIDType === 'number') return Promise.resolve(undefined)
  return readOne(payload, 'article', payload.db.defaultIDType === 'number' ? Number(id) : id)
}

export type Shape = { depth: number; select?: Record<string, unknown> }

/** The document in the shape asked for: depth 0 (ids), 1 (the edition as stored) or 2+ (answers linked too). */
export const shapeDocument = (live: LiveDocument, { depth, select }: Shape): Record<string, unknown> => {
  const doc = JSON.parse(live.document) as PublicArticle
  let shaped: Record<string, unknown> = doc
  if (depth <= 0) shaped = atDepthZero(doc)
  else if (depth >= 2) {
    const answers = (live.answers ? JSON.parse(live.answers) : {}) as Answers
    shaped = {
      ...doc,
      relatedQuestions: doc.relatedQuestions.map((question) => ({
        ...question,
        article: question.article === null ? null : (answers[String(question.article)] ?? question.article),
      })),
    }
  }
  return applySelect(shaped, select)
}

/** True when the stored bytes are the answer: no reshaping needed. */
export const isStoredShape = ({ depth, select }: Shape): boolean => depth === 1 && (!select || Object.keys(select).length === 0)

/* ------------------------------------------------------------------------------------------------
 * Lists: the public's `where` and `sort`, on the fields a list may filter and sort by.
 */

/** Public field -> live editions column. Anything else cannot be filtered or sorted on. */
const QUERYABLE: Record<string, string> = {
  id: 'article',
  question: 'question',
  slug: 'slug',
  specialties: 'specialties',
  reviewStatus: 'reviewStatus',
  reviewedBy: 'reviewedBy',
  reviewedAt: 'reviewedAt',
  lastUpdated: 'lastUpdated',
  nextReviewDue: 'nextReviewDue',
  createdAt: 'articleCreatedAt',
  updatedAt: 'articleUpdatedAt',
}

export const PUBLIC_QUERY_FIELDS = Object.keys(QUERYABLE)

const queryError = (message: string) => new APIError(message, 400, undefined, true)

const isPublishedCondition = (condition: unknown): boolean => {
  if (condition === null || typeof condition !== 'object') return false
  const entries = Object.entries(condition as Record<string, unknown>)
  return entries.every(([operator, value]) => {
    if (operator === 'equals') return value === 'published'
    if (operator === 'in') return (Array.isArray(value) ? value : String(value).split(',')).includes('published')
    if (operator === 'not_equals') return value !== 'published'
    if (operator === 'exists') return value === true || value === 'true'
    return false
  })
}

/** The public `where` on article fields, as a `where` on the live editions; `false` when it can match nothing. */
export const translateWhere = (where: unknown): Where | false => {
  if (where === undefined || where === null || where === '') return {}
  if (typeof where !== 'object' || Array.isArray(where)) throw queryError('`where` must be an object of conditions')
  const out: Where = {}
  for (const [key, value] of Object.entries(where as Record<string, unknown>)) {
    if (key === 'and' || key === 'or') {
      const clauses = (Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : null) as unknown[] | null
      if (!clauses) throw queryError(`\`${key}\` takes a list of conditions`)
      const translated = clauses.map(translateWhere)
      if (key === 'and') {
        if (translated.some((clause) => clause === false)) return false
        out.and = translated as Where[]
      } else {
        const possible = translated.filter((clause): clause is Where => clause !== false)
        if (possible.length === 0) return false
        out.or = possible
      }
      continue
    }
    // Every public article is published: `_status` is a constant for the public.
    if (key === '_status') {
      if (!isPublishedCondition(value)) return false
      continue
    }
    const column = QUERYABLE[key]
    if (!column) {
      throw queryError(`The following path cannot be queried: ${key}. The public may filter on ${PUBLIC_QUERY_FIELDS.join(', ')}.`)
    }
    out[column] = value as Where[string]
  }
  return out
}

export const translateSort = (sort: unknown): string[] | undefined => {
  if (sort === undefined || sort === null || sort === '') return undefined
  const parts = (Array.isArray(sort) ? sort : String(sort).split(',')).map((part) => String(part).trim()).filter(Boolean)
  return parts.map((part) => {
    const descending = part.startsWith('-')
    const field = descending ? part.slice(1) : part
    const column = QUERYABLE[field]
    if (!column) throw queryError(`The following path cannot be queried: ${field}. The public may sort on ${PUBLIC_QUERY_FIELDS.join(', ')}.`)
    return `${descending ? '-' : ''}${column}`
  })
}

export type ListQuery = { where?: unknown; sort?: unknown; limit?: number; page?: number; depth: number; select?: Record<string, unknown>; pagination?: boolean }

export type PublicPage = {
  docs: Record<string, unknown>[]
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

const emptyPage = (limit: number): PublicPage => ({
  docs: [],
  totalDocs: 0,
  limit,
  totalPages: 1,
  page: 1,
  pagingCounter: 1,
  hasPrevPage: false,
  hasNextPage: false,
  prevPage: null,
  nextPage: null,
})

/** A query that names one article (by id or slug) gets all of it; a list gets the list fields. */
export const pinsOneArticle = (where: unknown): boolean => {
  if (!where || typeof where !== 'object') return false
  const conditions = where as Record<string, unknown>
  const pinned = (field: 'id' | 'slug') => {
    const condition = conditions[field] as { equals?: unknown } | undefined
    return condition !== null && typeof condition === 'object' && condition.equals !== undefined
  }
  if (pinned('id') || pinned('slug')) return true
  const and = conditions.and
  return Array.isArray(and) && and.some((clause) => pinsOneArticle(clause))
}

export const listLive = async (payload: Payload, query: ListQuery, { listFields }: { listFields: boolean }): Promise<PublicPage> => {
  const translated = translateWhere(query.where)
  const limit = query.limit ?? 10
  if (translated === false) return emptyPage(limit)
  const where: Where = { and: [translated, { reviewStatus: { in: await visibleStates(payload) } }] }
  const sort = translateSort(query.sort) ?? ['-articleCreatedAt']
  // Ties break on the article's creation, as they did when the public read the articles.
  if (!sort.some((part) => part.replace(/^-/, '') === 'articleCreatedAt')) sort.push('-articleCreatedAt')
  const result = await payload.find({
    collection: 'live-editions',
    where,
    sort,
    limit,
    page: query.page,
    pagination: query.pagination,
    depth: 0,
    overrideAccess: true,
    select: { document: true, answers: true, etag: true },
  })
  const select = query.select && Object.keys(query.select).length > 0 ? query.select : listFields ? Object.fromEntries(LIST_FIELDS.map((field) => [field, true])) : undefined
  return {
    ...(result as unknown as PublicPage),
    docs: (result.docs as unknown as LiveDocument[]).map((live) => shapeDocument(live, { depth: query.depth, select })),
  }
}

export const countLive = async (payload: Payload, whereInput: unknown): Promise<number> => {
  const translated = translateWhere(whereInput)
  if (translated === false) return 0
  const where: Where = { and: [translated, { reviewStatus: { in: await visibleStates(payload) } }] }
  return (await payload.count({ collection: 'live-editions', where, overrideAccess: true })).totalDocs
}
