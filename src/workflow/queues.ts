import type { Where } from 'payload'

export type ReviewQueue = { key: string; label: string; where: Where }

/** The saved filters of the review queue, for the list tabs and the dashboard panel. */
export const reviewQueues = (reviewerProfileId: number | string | null, now: Date = new Date()): ReviewQueue[] => [
  { key: 'awaiting', label: 'Awaiting review', where: { reviewStatus: { equals: 'submitted' } } },
  ...(reviewerProfileId === null
    ? []
    : [
        {
          key: 'mine',
          label: 'Assigned to me',
          where: { and: [{ assignedReviewer: { equals: reviewerProfileId } }, { reviewStatus: { in: ['submitted', 'under_review'] } }] },
        },
      ]),
  { key: 'changes', label: 'Changes requested', where: { reviewStatus: { equals: 'changes_requested' } } },
  { key: 'approved', label: 'Approved', where: { reviewStatus: { equals: 'approved' } } },
  { key: 'overdue', label: 'Overdue for review', where: { nextReviewDue: { less_than: now.toISOString() } } },
]

/** `where` as the admin list view reads it from the URL (`where[a][equals]=b`). */
export const whereToQuery = (where: Where, prefix = 'where'): string => {
  const parts: string[] = []
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`))
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, `${path}[${key}]`)
    else parts.push(`${encodeURIComponent(path).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(String(value))}`)
  }
  walk(where, prefix)
  return parts.join('&')
}
