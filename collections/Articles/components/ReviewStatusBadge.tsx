'use client'
import type React from 'react'

import { REVIEW_STATE_LABELS, isReviewState } from '../../../src/rules/workflow'

const COLOURS: Record<string, { background: string; color: string }> = {
  draft: { background: '#e5e7eb', color: '#1f2937' },
  submitted: { background: '#dbeafe', color: '#1e3a8a' },
  under_review: { background: '#fef3c7', color: '#78350f' },
  changes_requested: { background: '#fee2e2', color: '#7f1d1d' },
  approved: { background: '#dcfce7', color: '#14532d' },
}

export const ReviewStatusBadge: React.FC<{ cellData?: unknown }> = ({ cellData }) => {
  if (!isReviewState(cellData)) return null
  return (
    <span
      data-review-status={cellData}
      style={{ ...COLOURS[cellData], borderRadius: 999, fontSize: 12, fontWeight: 600, padding: '2px 10px', whiteSpace: 'nowrap' }}
    >
      {REVIEW_STATE_LABELS[cellData]}
    </span>
  )
}
