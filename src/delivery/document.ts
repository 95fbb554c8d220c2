import { createHash } from 'node:crypto'

import { idOf } from '../rules/ids'

/*
 * The public document of an edition: exactly the fields a reader gets, at depth 1, built from a
 * whitelist so that nothing staff-only can ride along. Pure.
 */

export const ARTICLE_FIELDS = [
  'id',
  'question',
  'slug',
  'bottomLine',
  'plainLanguageAnswer',
  'body',
  'references',
  'relatedQuestions',
  'specialties',
  'reviewStatus',
  'reviewedBy',
  'reviewedAt',
  'lastUpdated',
  'nextReviewDue',
  'updatedAt',
  'createdAt',
  '_status',
] as const

export const REFERENCE_FIELDS = ['id', 'type', 'title', 'authors', 'publisher', 'year', 'doi', 'pmid', 'url'] as const
export const RELATED_QUESTION_FIELDS = ['id', 'question', 'slug', 'article'] as const
export const REVIEWER_FIELDS = ['id', 'name', 'slug', 'credentials', 'specialties'] as const

/** What a public list returns for each article unless `select` says otherwise. */
export const LIST_FIELDS = ['question', 'slug', 'specialties', 'reviewStatus', 'lastUpdated', 'reviewedAt', 'nextReviewDue', 'reviewedBy'] as const

export type PublicReference = Record<(typeof REFERENCE_FIELDS)[number], unknown>
export type PublicRelatedQuestion = { id: unknown; question: unknown; slug: unknown; article: unknown }
export type PublicReviewer = Record<(typeof REVIEWER_FIELDS)[number], unknown>
export type PublicArticle = Record<string, unknown> & {
  id: number | string
  slug: string
  question: string
  references: PublicReference[]
  relatedQuestions: PublicRelatedQuestion[]
  reviewedBy: PublicReviewer | null
}

const pick = <K extends string>(source: Record<string, unknown>, keys: readonly K[]): Record<K, unknown> => {
  const out = {} as Record<K, unknown>
  for (const key of keys) out[key] = source[key] === undefined ? null : source[key]
  return out
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

type Answer = { id: unknown; slug: unknown; question: unknown }

/** Ids of the articles a rich-text value links to (internal links), populated or not. */
export const linkedArticleIds = (value: unknown, found: unknown[] = []): unknown[] => {
  if (Array.isArray(value)) for (const item of value) linkedArticleIds(item, found)
  else if (isObject(value)) {
    if (value.relationTo === 'articles' && 'value' in value) {
      const id = idOf(value.value)
      if (id !== null) found.push(id)
    }
    for (const item of Object.values(value)) linkedArticleIds(item, found)
  }
  return found
}

/**
 * Rich text as the public may read it. Payload populates a document a node points at (an internal
 * link's `doc`, a citation's `reference`) with the whole document, read with staff rights: a link
 * to an article becomes that article's public `{id, slug, question}`, or is unlinked when the
 * article is not public; any other embedded document becomes its id.
 */
export const publicRichText = (value: unknown, answerOf: (id: unknown) => Answer | undefined): unknown => {
  if (Array.isArray(value)) return value.map((item) => publicRichText(item, answerOf))
  if (!isObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (isObject(item) && typeof item.relationTo === 'string' && 'value' in item) {
      const id = idOf(item.value)
      if (item.relationTo === 'articles') {
        const answer = id === null ? undefined : answerOf(id)
        out[key] = answer ? { relationTo: 'articles', value: { id: answer.id, slug: answer.slug, question: answer.question } } : null
      } else out[key] = { relationTo: item.relationTo, value: id }
      continue
    }
    out[key] = isObject(item) && typeof item.blockType === 'string' ? publicBlockFields(item, answerOf) : publicRichText(item, answerOf)
  }
  return out
}

/** An inline block's relationship fields (a citation's `reference`) hold ids, never documents. */
const publicBlockFields = (fields: Record<string, unknown>, answerOf: (id: unknown) => Answer | undefined) => {
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(fields)) out[key] = isObject(item) && 'id' in item ? item.id : publicRichText(item, answerOf)
  return out
}

/**
 * The public document from an article read at depth 1 (references, related questions and the
 * reviewer populated). `isPublicArticle` says whether a related question's answer is public now:
 * a link to anything else is shown as null, as before editions.
 */
export const publicDocumentOf = (article: Record<string, unknown>, answerOf: (id: unknown) => Answer | undefined): PublicArticle => {
  const isPublicArticle = (id: unknown) => answerOf(id) !== undefined
  const doc = pick(article, ARTICLE_FIELDS) as Record<string, unknown>
  doc.bottomLine = publicRichText(doc.bottomLine, answerOf)
  doc.body = publicRichText(doc.body, answerOf)
  doc.references = (Array.isArray(article.references) ? article.references : []).filter(isObject).map((reference) => pick(reference, REFERENCE_FIELDS))
  doc.relatedQuestions = (Array.isArray(article.relatedQuestions) ? article.relatedQuestions : []).filter(isObject).map((question) => {
    const linked = idOf(question.article)
    return { ...pick(question, RELATED_QUESTION_FIELDS), article: linked !== null && isPublicArticle(linked) ? linked : null }
  })
  doc.reviewedBy = isObject(article.reviewedBy) ? pick(article.reviewedBy, REVIEWER_FIELDS) : null
  doc.specialties = Array.isArray(article.specialties) ? article.specialties : []
  doc._status = 'published'
  return doc as PublicArticle
}

/** Key-sorted JSON: one text per value, whatever order its keys were built in. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (isObject(value)) {
    return `{${Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

/** The edition's content hash, also its ETag: the same text gives the same hash on every replica. */
export const contentHashOf = (doc: PublicArticle): string => createHash('sha256').update(canonicalJson(doc)).digest('base64url').slice(0, 32)

/** The document at depth 0: relationships as ids, as Payload returns them. */
export const atDepthZero = (doc: PublicArticle): Record<string, unknown> => ({
  ...doc,
  references: doc.references.map((reference) => reference.id),
  relatedQuestions: doc.relatedQuestions.map((question) => question.id),
  reviewedBy: doc.reviewedBy?.id ?? null,
})

/** The linked documents an edition shows, as searchable tokens: `|r:4|q:2|p:1|`. */
export const linksOf = (doc: PublicArticle): string => {
  const tokens = [
    ...doc.references.map((reference) => `r:${String(reference.id)}`),
    ...doc.relatedQuestions.map((question) => `q:${String(question.id)}`),
    ...(doc.reviewedBy ? [`p:${String(doc.reviewedBy.id)}`] : []),
  ]
  return `|${tokens.join('|')}|`
}

export type LinkKind = 'reference' | 'relatedQuestion' | 'reviewer'
export const LINK_TOKEN: Record<LinkKind, string> = { reference: 'r', relatedQuestion: 'q', reviewer: 'p' }

/** A linked document's public fields that differ from what the edition holds. */
export const changedPublicFields = (snapshot: Record<string, unknown>, current: Record<string, unknown>): string[] =>
  Object.keys(snapshot).filter((key) => key !== 'id' && canonicalJson(snapshot[key] ?? null) !== canonicalJson(current[key] ?? null))

/** The snapshot of one linked document in an edition, or undefined when the edition does not show it. */
export const snapshotOf = (doc: PublicArticle, kind: LinkKind, id: number | string): Record<string, unknown> | undefined => {
  const same = (value: unknown) => value !== null && value !== undefined && String(value) === String(id)
  if (kind === 'reference') return doc.references.find((reference) => same(reference.id))
  if (kind === 'relatedQuestion') return doc.relatedQuestions.find((question) => same(question.id))
  return doc.reviewedBy && same(doc.reviewedBy.id) ? doc.reviewedBy : undefined
}

/** Projects a document onto Payload's `select` (`{field: true}` includes, `{field: false}` excludes); `id` always stays. */
export const applySelect = (doc: Record<string, unknown>, select: Record<string, unknown> | undefined): Record<string, unknown> => {
  if (!select || Object.keys(select).length === 0) return doc
  const values = Object.values(select)
  const including = values.some((value) => value === true || value === 'true' || isObject(value))
  if (including) {
    const out: Record<string, unknown> = { id: doc.id }
    for (const [key, value] of Object.entries(select)) {
      if (!(key in doc) || value === false || value === 'false') continue
      const field = doc[key]
      if (isObject(value) && isObject(field)) out[key] = applySelect(field, value)
      else if (isObject(value) && Array.isArray(field)) out[key] = field.map((item) => (isObject(item) ? applySelect(item, value) : item))
      else out[key] = field
    }
    return out
  }
  const out = { ...doc }
  for (const [key, value] of Object.entries(select)) if ((value === false || value === 'false') && key !== 'id') delete out[key]
  return out
}
