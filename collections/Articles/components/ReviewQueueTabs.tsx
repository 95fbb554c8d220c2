import type { ServerProps } from 'payload'
import type React from 'react'

import { reviewQueues, whereToQuery } from '../../../src/workflow/queues'
import { reviewerProfileIdOf } from '../../../src/workflow/reviewerProfile'

const LIST = '/admin/collections/articles'

/** One-click tabs above the articles list: the review queue's saved filters. */
export const ReviewQueueTabs: React.FC<ServerProps> = async ({ payload, user }) => {
  const queues = reviewQueues(await reviewerProfileIdOf(payload, user?.id))
  const link = { border: '1px solid var(--theme-elevation-150)', borderRadius: 999, padding: '4px 12px', textDecoration: 'none' }
  return (
    <nav aria-label="Review queue" style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 16 }}>
      <a href={LIST} style={link}>
        All articles
      </a>
      {queues.map((queue) => (
        <a key={queue.key} data-queue={queue.key} href={`${LIST}?${whereToQuery(queue.where)}`} style={link}>
          {queue.label}
        </a>
      ))}
    </nav>
  )
}
