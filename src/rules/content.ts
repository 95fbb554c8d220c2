/** Which article fields are its content, as opposed to workflow bookkeeping. Pure. */
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

const idOf = (value: unknown): unknown =>
  value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value

/** Relationship values compare by id whether or not they were populated. */
const comparable = (value: unknown): string => {
  if (value === undefined || value === null || value === '') return 'null'
  if (Array.isArray(value)) return JSON.stringify(value.map(idOf))
  return JSON.stringify(idOf(value))
}

/** The content fields that `next` sets to something other than what `previous` holds. */
export const changedContentFields = (
  previous: Record<string, unknown> | undefined,
  next: Record<string, unknown>,
): string[] =>
  CONTENT_FIELDS.filter((field) => field in next && comparable(next[field]) !== comparable(previous?.[field]))
