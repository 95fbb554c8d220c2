import type React from 'react'

import type { LinkedChange } from '../../../src/delivery/reReview'

const KIND_LABELS: Record<LinkedChange['kind'], string> = { reference: 'Reference', relatedQuestion: 'Related question', reviewer: 'Reviewer profile' }
const FIELD_LABELS: Record<string, string> = { doi: 'DOI', pmid: 'PMID', url: 'URL', article: 'linked answer', deleted: 'deleted' }

const fieldLabel = (field: string) => FIELD_LABELS[field] ?? field.replace(/([A-Z])/g, ' $1').toLowerCase()

export const formatUtc = (date: string | null | undefined): string => (date ? `${new Date(date).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC` : '—')

/** What changed since approval in the documents an edition shows: which document, which fields, when. */
export const LinkedChanges: React.FC<{ changes: LinkedChange[] }> = ({ changes }) => (
  <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
    {changes.map((change) => (
      <li key={`${change.kind}:${change.id}`} data-linked-change={`${change.kind}:${change.id}`}>
        {KIND_LABELS[change.kind] ?? change.kind} “{change.label}”: {change.fields.map(fieldLabel).join(', ')}{' '}
        <span style={{ color: 'var(--theme-elevation-500)' }}>({formatUtc(change.changedAt)})</span>
      </li>
    ))}
  </ul>
)
