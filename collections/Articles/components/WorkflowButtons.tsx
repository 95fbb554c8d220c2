'use client'
import React, { useState } from 'react'

type Transition = 'draft' | 'submitted' | 'under_review' | 'changes_requested' | 'approved'

const LABELS: Record<Transition, string> = {
  draft: 'Back to draft',
  submitted: 'Submit for review',
  under_review: 'Claim review',
  changes_requested: 'Request changes',
  approved: 'Approve',
}

type Props = {
  id: number | string
  /** The revision on screen: the API refuses the action (409) if the article changed since. */
  version: string | null
  transitions: Transition[]
  reviewers: { id: number | string; name: string }[]
  question: string
  citationProblems: string[]
}

export const WorkflowButtons: React.FC<Props> = ({ id, version, transitions, reviewers, question, citationProblems }) => {
  const [open, setOpen] = useState<Transition | null>(null)
  const [comment, setComment] = useState('')
  const [assignee, setAssignee] = useState<string>('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const send = async (to: Transition) => {
    setBusy(true)
    setError(null)
    const body: Record<string, unknown> = { reviewStatus: to }
    // A judgement on the text binds to the text on screen; the API refuses it if the article changed.
    if (version && (to === 'approved' || to === 'changes_requested')) body.basedOnVersion = version
    if (comment.trim()) body.reviewComment = comment.trim()
    if (to === 'under_review' && assignee) body.assignedReviewer = Number(assignee) || assignee
    try {
      const res = await fetch(`/api/articles/${id}?depth=0`, {
        method: 'PATCH',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      if (!res.ok) {
        const json = (await res.json().catch(() => ({}))) as { errors?: { message?: string }[] }
        setError(json.errors?.[0]?.message ?? `The server refused (${res.status})`)
        return
      }
      window.location.reload()
    } finally {
      setBusy(false)
    }
  }

  const needsDialog = (to: Transition) => to === 'changes_requested' || to === 'approved' || (to === 'under_review' && reviewers.length > 0)

  if (transitions.length === 0) return <p data-no-actions>No review action is open to you at this stage.</p>
  return (
    <div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        {transitions.map((to) => (
          <button
            key={to}
            type="button"
            className="btn btn--style-secondary btn--size-small"
            data-transition={to}
            disabled={busy}
            onClick={() => (needsDialog(to) ? setOpen(to) : void send(to))}
          >
            {LABELS[to]}
          </button>
        ))}
      </div>
      {open ? (
        <div role="dialog" aria-label={LABELS[open]} style={{ background: 'var(--theme-elevation-50)', borderRadius: 8, marginTop: 12, padding: 12 }}>
          {open === 'approved' ? (
            <div>
              <p>Approving publishes this revision to the public:</p>
              <p>
                <strong>{question}</strong>
              </p>
              {citationProblems.length > 0 ? (
                <ul data-citation-problems>
                  {citationProblems.map((problem) => (
                    <li key={problem}>{problem}</li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
          {open === 'under_review' ? (
            <label>
              Reviewer to assign{' '}
              <select value={assignee} onChange={(event) => setAssignee(event.target.value)} data-assignee>
                <option value="">Choose…</option>
                {reviewers.map((reviewer) => (
                  <option key={reviewer.id} value={String(reviewer.id)}>
                    {reviewer.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {open === 'changes_requested' || open === 'approved' ? (
            <label style={{ display: 'block' }}>
              {open === 'changes_requested' ? 'What should the editor change? (required)' : 'Comment (optional)'}
              <textarea data-review-comment rows={4} style={{ display: 'block', width: '100%' }} value={comment} onChange={(event) => setComment(event.target.value)} />
            </label>
          ) : null}
          <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
            <button type="button" className="btn btn--style-primary btn--size-small" data-confirm={open} disabled={busy} onClick={() => void send(open)}>
              {LABELS[open]}
            </button>
            <button type="button" className="btn btn--style-secondary btn--size-small" onClick={() => setOpen(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {error ? (
        <p role="alert" data-workflow-error style={{ color: 'var(--theme-error-500)', marginTop: 8 }}>
          {error}
        </p>
      ) : null}
    </div>
  )
}
