/** Which article fields are its content, as opposed to workflow bookkeeping, and when they change. Pure. */
export const CONTENT_FIELDS = [
  'question',
  'slug',
  'bottomLine',
  'plainLanguageAnswer',
  'body',
  'references',
  'relatedQuestions',
  'specialties',
] as const

export type ContentField = (typeof CONTENT_FIELDS)[number]

/** Relationship fields: Payload stores only the ids, whatever else a populated value carries. */
export const RELATIONSHIP_FIELDS: ReadonlySet<ContentField> = new Set(['references', 'relatedQuestions'])

const relationshipId = (value: unknown): unknown =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && 'id' in value ? (value as { id: unknown }).id : value

/**
 * The value as a string that differs whenever the value differs. Object keys are sorted (re-serialised
 * rich text is not a change) and empty values ('' / [] / null / undefined) are one value; every
 * other key and element, at any depth, counts. Ids are compared as strings ("3" and 3 are one id).
 */
const canonical = (value: unknown): unknown => {
  if (value === undefined || value === null || value === '') return null
  if (Array.isArray(value)) return value.length === 0 ? null : value.map((item) => (item === undefined ? null : canonical(item)))
  if (typeof value === 'object') {
    // Rich text stores a linked document as `{relationTo, value: id}`; a read at depth populates it.
    const node = value as Record<string, unknown>
    const linked = typeof node.relationTo === 'string' && 'value' in node ? { ...node, value: stringId(relationshipId(node.value)) } : node
    const entries = Object.entries(linked)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return { '{}': entries.map(([key, item]) => [key, canonical(item)]) }
  }
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : value
  return value
}

const canonicalRelationship = (value: unknown): unknown => {
  if (Array.isArray(value)) return canonical(value.map((item) => stringId(relationshipId(item))))
  return canonical(stringId(relationshipId(value)))
}

const stringId = (id: unknown): unknown => (typeof id === 'number' ? String(id) : id)

export const comparableContent = (field: ContentField, value: unknown): string =>
  JSON.stringify(RELATIONSHIP_FIELDS.has(field) ? canonicalRelationship(value) : canonical(value)) ?? 'null'

/** The content fields that `next` sets to something other than what `previous` holds. */
export const changedContentFields = (
  previous: Record<string, unknown> | undefined,
  next: Record<string, unknown>,
): ContentField[] =>
  CONTENT_FIELDS.filter((field) => field in next && comparableContent(field, next[field]) !== comparableContent(field, previous?.[field]))
