import { and, eq, inArray } from '@payloadcms/db-postgres/drizzle'
import { APIError, type Payload, type Where } from 'payload'

import { applySelect, atDepthZero, LIST_FIELDS, publicRichText, type PublicArticle } from './document'
import { DEFAULT_POLICY, isReviewState, publicStates, REVIEW_STATES, type PublicVisibility } from '../rules/workflow'
import { databaseKey } from '../workflow/policy'
import { publicGeneration } from './responseCache'
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

export type LiveDocument = {
  document: string
  answers: string | null
  etag: string
  linksUnreviewed?: boolean | null
  /** The review states the policy showed when this was read. */
  visible?: string[]
}

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
const VISIBLE_STATES_TTL_MS = 5_000
type VisibleStates = { states: string[]; generation: number; at: number }
const statesHolder = globalThis as typeof globalThis & { __vettedVisibleStates?: Map<string, VisibleStates> }
const statesByDatabase = (statesHolder.__vettedVisibleStates ??= new Map())

/**
 * Kept with the response cache's generation: a policy change clears the cache before it commits
 * and again once its request is over (on PostgreSQL, on every replica when it commits), so a read
 * that fetched the policy in between cannot keep serving the old one.
 */
const visibleStates = async (payload: Payload): Promise<string[]> => {
  const key = databaseKey(payload)
  const generation = publicGeneration()
  const hit = statesByDatabase.get(key)
  if (hit && hit.generation === generation && Date.now() - hit.at < VISIBLE_STATES_TTL_MS) return hit.states
  const policy = await payload.findGlobal({ slug: 'editorial-policy', depth: 0, overrideAccess: true })
  const states = publicStates((policy as { publicVisibility?: PublicVisibility }).publicVisibility ?? DEFAULT_POLICY.publicVisibility)
  statesByDatabase.set(key, { states, generation, at: Date.now() })
  return states
}

const readOne = async (payload: Payload, column: 'slug' | 'article', value: string | number): Promise<LiveDocument | undefined> => {
  const { drizzle, table } = tableOf(payload)
  const states = await visibleStates(payload)
  const rows = await drizzle
    .select({ document: table.document, answers: table.answers, etag: table.etag, linksUnreviewed: table.linksUnreviewed })
    .from(table)
    .where(and(eq(table[column] as never, value as never), inArray(table.reviewStatus as never, states)))
    .limit(1)
  const row = rows[0] as LiveDocument | undefined
  return row && { ...row, linksUnreviewed: Boolean(row.linksUnreviewed), visible: states }
}

export const liveBySlug = (payload: Payload, slug: string): Promise<LiveDocument | undefined> => readOne(payload, 'slug', slug)

export const liveByArticleId = (payload: Payload, id: string): Promise<LiveDocument | undefined> => {
  if (!/^[1-9]\d{0,14}$/.test(id) && payload.db.defaultIDType === 'number') return Promise.resolve(undefined)
  return readOne(payload, 'article', payload.db.defaultIDType === 'number' ? Number(id) : id)
}

export type Shape = { depth: number; select?: Record<string, unknown> }

const answerLink = (answer: Answers[string] | undefined) => answer && { id: answer.id, slug: answer.slug, question: answer.question }

/** The document in the shape asked for: depth 0 (ids), 1 (the edition as stored) or 2+ (answers linked too). */
export const shapeDocument = (live: LiveDocument, { depth, select }: Shape): Record<string, unknown> => {
  const answers = (live.answers ? JSON.parse(live.answers) : {}) as Answers
  const doc = hidesLinks(live) ? withoutHiddenLinks(JSON.parse(live.document) as PublicArticle, answers, live.visible ?? []) : (JSON.parse(live.document) as PublicArticle)
  let shaped: Record<string, unknown> = doc
  if (depth <= 0) shaped = atDepthZero(doc)
  else if (depth >= 2) {
    shaped = {
      ...doc,
      relatedQuestions: doc.relatedQuestions.map((question) => ({
        ...question,
        article: question.article === null ? null : answerLink(answers[String(question.article)]) ?? question.article,
      })),
    }
  }
  return applySelect(shaped, select)
}

/**
 * An edition written in caution mode may link to articles that were public then only as unreviewed
 * revisions; under a stricter policy now, those links read as unlinked, as if the article were
 * not public.
 */
const hidesLinks = (live: LiveDocument) => Boolean(live.linksUnreviewed) && !(live.visible ?? []).includes('submitted')

const withoutHiddenLinks = (doc: PublicArticle, answers: Answers, visible: string[]): PublicArticle => {
  const answerOf = (id: unknown) => {
    const answer = answers[String(id)]
    return answer && (String(id) === String(doc.id) || visible.includes(answer.reviewStatus)) ? answer : undefined
  }
  return {
    ...doc,
    bottomLine: publicRichText(doc.bottomLine, answerOf),
    body: publicRichText(doc.body, answerOf),
    relatedQuestions: doc.relatedQuestions.map((question) => ({ ...question, article: question.article !== null && answerOf(question.article) ? question.article : null })),
  }
}

/** True when the stored bytes are the answer: no reshaping needed. */
export const isStoredShape = ({ depth, select }: Shape, live: LiveDocument): boolean =>
  depth === 1 && (!select || Object.keys(select).length === 0) && !hidesLinks(live)

/* ------------------------------------------------------------------------------------------------
 * Lists: the public's `where` and `sort`, on the fields a list may filter and sort by.
 */

type FieldKind = 'id' | 'text' | 'texts' | 'status' | 'date'

/** Public field -> live editions column and its kind. Anything else cannot be filtered or sorted on. */
const QUERYABLE: Record<string, { column: string; kind: FieldKind }> = {
  id: { column: 'article', kind: 'id' },
  question: { column: 'question', kind: 'text' },
  slug: { column: 'slug', kind: 'text' },
  specialties: { column: 'specialties', kind: 'texts' },
  reviewStatus: { column: 'reviewStatus', kind: 'status' },
  reviewedBy: { column: 'reviewedBy', kind: 'id' },
  reviewedAt: { column: 'reviewedAt', kind: 'date' },
  lastUpdated: { column: 'lastUpdated', kind: 'date' },
  nextReviewDue: { column: 'nextReviewDue', kind: 'date' },
  createdAt: { column: 'articleCreatedAt', kind: 'date' },
  updatedAt: { column: 'articleUpdatedAt', kind: 'date' },
}

export const PUBLIC_QUERY_FIELDS = Object.keys(QUERYABLE)

const queryError = (message: string) => new APIError(message, 400, undefined, true)

const OPERATORS: Record<FieldKind, readonly string[]> = {
  id: ['equals', 'not_equals', 'in', 'not_in', 'exists'],
  text: ['equals', 'not_equals', 'in', 'not_in', 'like', 'contains', 'exists'],
  texts: ['equals', 'not_equals', 'in', 'not_in', 'like', 'contains', 'exists'],
  status: ['equals', 'not_equals', 'in', 'not_in', 'exists'],
  date: ['equals', 'not_equals', 'greater_than', 'greater_than_equal', 'less_than', 'less_than_equal', 'exists'],
}

const isId = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) || (typeof value === 'string' && /^[1-9]\d{0,14}$/.test(value))
const isDate = (value: unknown) => (typeof value === 'string' || typeof value === 'number') && String(value).trim() !== '' && !Number.isNaN(new Date(value).getTime())
const isBoolean = (value: unknown) => value === true || value === false || value === 'true' || value === 'false'

const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value])

/**
 * Checks one condition's operators and values against the field's type before any query runs:
 * what the database would fail on (a word where an id goes, a non-date, a geo operator) is the
 * caller's mistake, a 400 naming it.
 */
const checkCondition = (field: string, kind: FieldKind, condition: unknown): void => {
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    throw queryError(`The condition on "${field}" must be an operator and a value, e.g. where[${field}][equals]=…`)
  }
  for (const [operator, value] of Object.entries(condition)) {
    if (!OPERATORS[kind].includes(operator)) {
      throw queryError(`"${operator}" cannot be used on "${field}". Use one of: ${OPERATORS[kind].join(', ')}.`)
    }
    if (operator === 'exists') {
      if (!isBoolean(value)) throw queryError(`"exists" on "${field}" takes true or false`)
      continue
    }
    const values = operator === 'in' || operator === 'not_in' ? listOf(value) : [value]
    for (const item of values) {
      const valid =
        kind === 'id' ? isId(item) : kind === 'date' ? isDate(item) : kind === 'status' ? isReviewState(item) : typeof item === 'string' || typeof item === 'number'
      if (!valid) {
        const expected = kind === 'id' ? 'a document id (a positive whole number)' : kind === 'date' ? 'a date' : kind === 'status' ? `one of ${REVIEW_STATES.join(', ')}` : 'text'
        throw queryError(`"${field}" ${operator} takes ${expected}; got ${JSON.stringify(item)}`)
      }
    }
  }
}

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
    if (key === 'and' || key === 'or' || key === 'AND' || key === 'OR') {
      const clauses = (Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : null) as unknown[] | null
      if (!clauses) throw queryError(`\`${key}\` takes a list of conditions`)
      const translated = clauses.map(translateWhere)
      if (key.toLowerCase() === 'and') {
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
    const field = QUERYABLE[key]
    if (!field) {
      throw queryError(`The following path cannot be queried: ${key}. The public may filter on ${PUBLIC_QUERY_FIELDS.join(', ')}.`)
    }
    checkCondition(key, field.kind, value)
    out[field.column] = value as Where[string]
  }
  return out
}

export const translateSort = (sort: unknown): string[] | undefined => {
  if (sort === undefined || sort === null || sort === '') return undefined
  const parts = (Array.isArray(sort) ? sort : String(sort).split(',')).map((part) => String(part).trim()).filter(Boolean)
  return parts.map((part) => {
    const descending = part.startsWith('-')
    const field = descending ? part.slice(1) : part
    const known = QUERYABLE[field]
    if (!known) throw queryError(`The following path cannot be queried: ${field}. The public may sort on ${PUBLIC_QUERY_FIELDS.join(', ')}.`)
    return `${descending ? '-' : ''}${known.column}`
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
  const limit = query.limit ?? 10
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > 1000) throw queryError('`limit` must be a whole number from 0 to 1000')
  if (query.page !== undefined && (!Number.isSafeInteger(query.page) || query.page < 1 || query.page > 1_000_000)) {
    throw queryError('`page` must be a whole number from 1 to 1000000')
  }
  const translated = translateWhere(query.where)
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
    select: { document: true, answers: true, etag: true, linksUnreviewed: true },
  })
  const visible = await visibleStates(payload)
  const select = query.select && Object.keys(query.select).length > 0 ? query.select : listFields ? Object.fromEntries(LIST_FIELDS.map((field) => [field, true])) : undefined
  return {
    ...(result as unknown as PublicPage),
    docs: (result.docs as unknown as LiveDocument[]).map((live) => shapeDocument({ ...live, visible }, { depth: query.depth, select })),
  }
}

export const countLive = async (payload: Payload, whereInput: unknown): Promise<number> => {
  const translated = translateWhere(whereInput)
  if (translated === false) return 0
  const where: Where = { and: [translated, { reviewStatus: { in: await visibleStates(payload) } }] }
  return (await payload.count({ collection: 'live-editions', where, overrideAccess: true })).totalDocs
}
