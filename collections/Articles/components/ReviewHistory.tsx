import type { UIFieldServerProps } from 'payload'
import type React from 'react'

import { REVIEW_STATE_LABELS, isReviewState } from '../../../src/rules/workflow'
import { EditionHistory } from './EditionHistory'

const label = (state: unknown) => (isReviewState(state) ? REVIEW_STATE_LABELS[state] : '(new)')

/** The article's review events (who, from, to, when, comment), then its editions. */
export const ReviewHistory: React.FC<UIFieldServerProps> = async ({ id, payload }) => {
  if (id === undefined) return null
  const { docs } = await payload.find({ collection: 'review-events', where: { article: { equals: id } }, sort: 'createdAt', limit: 200, depth: 1, overrideAccess: true })
  return (
    <>
      <section data-review-history style={{ marginTop: 24 }}>
        <h3>Review history</h3>
        {docs.length === 0 ? (
          <p>No review events yet.</p>
        ) : (
          <table style={{ borderCollapse: 'collapse', width: '100%' }}>
            <thead>
              <tr>
                {['When', 'Who', 'From', 'To', 'Comment'].map((heading) => (
                  <th key={heading} style={{ borderBottom: '1px solid var(--theme-elevation-150)', padding: 6, textAlign: 'left' }}>
                    {heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {docs.map((event) => (
                <tr key={event.id} data-event-action={event.action}>
                  <td style={{ padding: 6 }}>{new Date(event.createdAt).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC</td>
                  <td style={{ padding: 6 }}>{typeof event.actor === 'object' && event.actor ? event.actor.name : '—'}</td>
                  <td style={{ padding: 6 }}>{label(event.from)}</td>
                  <td style={{ padding: 6 }}>{label(event.to)}</td>
                  <td style={{ padding: 6, whiteSpace: 'pre-wrap' }}>{event.comment ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <EditionHistory id={id} payload={payload} />
    </>
  )
}
