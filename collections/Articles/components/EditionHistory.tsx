import type { Payload } from 'payload'
import type React from 'react'

import type { LinkedChange } from '../../../src/delivery/reReview'
import { idOf } from '../../../src/rules/ids'
import { formatUtc, LinkedChanges } from './LinkedChanges'

const KIND_LABELS: Record<string, string> = { reviewed: 'Approved by the board', unreviewed: 'Not yet reviewed (caution mode)' }

/**
 * The article's editions, newest first: what readers were shown, since when, approved by whom, and
 * whether it was withdrawn; each opens as it read on that date. Above them, what changed since the
 * current edition was approved, when the article needs re-review.
 */
export const EditionHistory: React.FC<{ id: number | string; payload: Payload }> = async ({ id, payload }) => {
  const [{ docs: editions }, { docs: live }] = await Promise.all([
    payload.find({
      collection: 'editions',
      where: { article: { equals: id } },
      sort: '-publishedAt',
      limit: 200,
      depth: 0,
      overrideAccess: true,
      select: { kind: true, publishedAt: true, reviewer: true, reviewStatus: true, withdrawnAt: true, withdrawnReason: true, version: true },
    }),
    payload.find({ collection: 'live-editions', where: { article: { equals: id } }, limit: 1, depth: 0, overrideAccess: true, select: { edition: true, needsReReview: true, changes: true } }),
  ])
  const current = live[0]
  const currentEdition = current ? idOf(current.edition) : null
  const changes = (current?.needsReReview && Array.isArray(current.changes) ? current.changes : []) as LinkedChange[]
  return (
    <section data-edition-history style={{ marginTop: 24 }}>
      <h3>Editions</h3>
      {changes.length > 0 ? (
        <div data-needs-re-review-notice role="status" style={{ background: 'var(--theme-warning-100)', borderRadius: 6, marginBottom: 12, padding: 12 }}>
          <strong>Needs re-review.</strong> Readers still see the approved edition; these changed since it was approved:
          <LinkedChanges changes={changes} />
          Submit the article for review again to publish them.
        </div>
      ) : null}
      {editions.length === 0 ? (
        <p>Never published.</p>
      ) : (
        <table style={{ borderCollapse: 'collapse', width: '100%' }}>
          <thead>
            <tr>
              {['Published', 'Kind', 'Reviewer', 'Status', 'Withdrawn', ''].map((heading) => (
                <th key={heading} style={{ borderBottom: '1px solid var(--theme-elevation-150)', padding: 6, textAlign: 'left' }}>
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {editions.map((edition) => (
              <tr key={edition.id} data-edition={edition.id} data-edition-kind={edition.kind} data-edition-withdrawn={edition.withdrawnAt ? 'true' : 'false'}>
                <td style={{ padding: 6 }}>
                  {formatUtc(edition.publishedAt)}
                  {edition.id === currentEdition ? <strong> (live)</strong> : null}
                </td>
                <td style={{ padding: 6 }}>{KIND_LABELS[edition.kind] ?? edition.kind}</td>
                <td style={{ padding: 6 }}>{edition.reviewer ?? '—'}</td>
                <td style={{ padding: 6 }}>{edition.reviewStatus}</td>
                <td style={{ padding: 6 }}>{edition.withdrawnAt ? `${formatUtc(edition.withdrawnAt)}${edition.withdrawnReason ? ` — ${edition.withdrawnReason}` : ''}` : '—'}</td>
                <td style={{ padding: 6 }}>
                  <a href={`/admin/collections/editions/${edition.id}`}>Open</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
