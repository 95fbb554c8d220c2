import type { ServerProps } from 'payload'
import type React from 'react'

import { isStaffUser } from '../../../src/rules/roles'
import { reviewQueues, whereToQuery } from '../../../src/workflow/queues'
import { reviewerProfileIdOf } from '../../../src/workflow/reviewerProfile'
import { needsReReviewQueue } from '../endpoints/needsReReview'
import { LinkedChanges } from './LinkedChanges'

/**
 * Dashboard panel: how many articles wait in each queue, each linking to it; then the articles whose
 * approved edition shows a reference, related question or profile that has changed since.
 */
export const ReviewDashboard: React.FC<ServerProps> = async ({ payload, user }) => {
  if (!user || !isStaffUser(user)) return null
  const queues = reviewQueues(await reviewerProfileIdOf(payload, user.id))
  const [counts, needsReReview] = await Promise.all([
    Promise.all(
      queues.map(async (queue) => {
        const { totalDocs } = await payload.find({ collection: 'articles', where: queue.where, draft: true, limit: 1, depth: 0, select: {}, overrideAccess: false, user })
        return totalDocs
      }),
    ),
    needsReReviewQueue(payload),
  ])
  return (
    <section aria-label="Review queue" style={{ marginBottom: 32 }}>
      <h2 style={{ marginBottom: 12 }}>Medical review</h2>
      <div style={{ display: 'grid', gap: 12, gridTemplateColumns: 'repeat(auto-fill, minmax(160px, 1fr))' }}>
        {queues.map((queue, index) => (
          <a
            key={queue.key}
            data-queue-count={queue.key}
            href={`/admin/collections/articles?${whereToQuery(queue.where)}`}
            style={{ background: 'var(--theme-elevation-50)', borderRadius: 8, padding: 16, textDecoration: 'none' }}
          >
            <div style={{ fontSize: 28, fontWeight: 700 }}>{counts[index]}</div>
            <div>{queue.label}</div>
          </a>
        ))}
      </div>
      <section aria-label="Needs re-review" data-needs-re-review style={{ marginTop: 24 }}>
        <h3 style={{ marginBottom: 8 }}>
          Needs re-review <span data-needs-re-review-count>({needsReReview.length})</span>
        </h3>
        {needsReReview.length === 0 ? (
          <p>No published article shows a reference, related question or reviewer profile that changed since its approval.</p>
        ) : (
          <>
            <p style={{ marginBottom: 8 }}>Readers see these as approved; what they cite has changed since. Submit each for review again to publish the change.</p>
            <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
              {needsReReview.map((entry) => (
                <li key={String(entry.article)} data-needs-re-review-article={entry.article} style={{ background: 'var(--theme-elevation-50)', borderRadius: 8, marginBottom: 8, padding: 12 }}>
                  <a href={`/admin/collections/articles/${entry.article}`} style={{ fontWeight: 600 }}>
                    {entry.question}
                  </a>
                  <LinkedChanges changes={entry.changes} />
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </section>
  )
}
