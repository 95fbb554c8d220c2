/** The review workflow's states. Pure: no database, no Payload. */
export const REVIEW_STATES = ['draft', 'submitted', 'under_review', 'changes_requested', 'approved'] as const
export type ReviewState = (typeof REVIEW_STATES)[number]

export const REVIEW_STATE_LABELS: Record<ReviewState, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  under_review: 'Under review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
}

export const isReviewState = (value: unknown): value is ReviewState =>
  typeof value === 'string' && (REVIEW_STATES as readonly string[]).includes(value)

export const PUBLIC_VISIBILITY_MODES = ['approved_only', 'pending_with_caution'] as const
export type PublicVisibility = (typeof PUBLIC_VISIBILITY_MODES)[number]
