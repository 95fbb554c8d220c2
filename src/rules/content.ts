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

/** A populated relationship compares as its id. */
const idOf = (value: unknown): unknown =>
  value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value

/** Objects compare with sorted keys, so re-serialised rich text is not a change. */
const canonical = (value: unknown): unknown => {
  if (value === undefined || value === null || value === '') return null
  if (Array.isArray(value)) return value.length === 0 ? null : value.map(canonical)
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
    return Object.fromEntries(entries.map(([key, item]) => [key, canonical(item)]))
  }
  return value
}

const comparable = (value: unknown): string =>
  JSON.stringify(canonical(Array.isArray(value) ? value.map(idOf) : idOf(value)))

/** The content fields that `next` sets to something other than what `previous` holds. */
export const changedContentFields = (
  previous: Record<string, unknown> | undefined,
  next: Record<string, unknown>,
): string[] =>
  CONTENT_FIELDS.filter((field) => field in next && comparable(next[field]) !== comparable(previous?.[field]))
