import type { ServerProps } from 'payload'
import type React from 'react'

import { reviewQueues, whereToQuery } from '../../../src/workflow/queues'
import { reviewerProfileIdOf } from '../../../src/workflow/reviewerProfile'

/** Dashboard panel: how many articles wait in each queue, each linking to it. */
export const ReviewDashboard: React.FC<ServerProps> = async ({ payload, user }) => {
  if (!user) return null
  const queues = reviewQueues(await reviewerProfileIdOf(payload, user.id))
  const counts = await Promise.all(
    queues.map(async (queue) => {
      const { totalDocs } = await payload.find({ collection: 'articles', where: queue.where, draft: true, limit: 1, depth: 0, select: {}, overrideAccess: false, user })
      return totalDocs
    }),
  )
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
    </section>
  )
}
