/**
 * The who-may-do-what table in the README, computed by asking the rules module about
 * representative actors. A unit test keeps the README's copy equal to this output.
 */
import { decide, DEFAULT_POLICY, REVIEW_STATE_LABELS, TRANSITIONS, type Revision, type WorkflowActor } from './workflow'

const WRITER = 1
const COLUMNS: { label: string; actor: WorkflowActor }[] = [
  { label: 'Public', actor: null },
  { label: 'Editor', actor: { id: WRITER, roles: ['editor'] } },
  { label: 'Reviewer (assigned, or none assigned)', actor: { id: 2, roles: ['reviewer'], reviewerProfile: { id: 20, active: true } } },
  { label: 'Another reviewer', actor: { id: 3, roles: ['reviewer'], reviewerProfile: { id: 30, active: true } } },
  { label: 'Reviewer who wrote the revision', actor: { id: WRITER, roles: ['reviewer', 'editor'], reviewerProfile: { id: 10, active: true } } },
  { label: 'Admin', actor: { id: 4, roles: ['admin'] } },
  { label: 'Admin with a board profile', actor: { id: 5, roles: ['admin', 'reviewer'], reviewerProfile: { id: 50, active: true } } },
]

const label = (state: string) => (state === 'new' ? '(new)' : REVIEW_STATE_LABELS[state as keyof typeof REVIEW_STATE_LABELS])

export const renderWorkflowTable = (): string => {
  const header = `| from → to | ${COLUMNS.map((column) => column.label).join(' | ')} |`
  const divider = `|---|${COLUMNS.map(() => ':---:').join('|')}|`
  const rows = TRANSITIONS.filter((transition) => transition.requested).map((transition) => {
    const revision: Revision = {
      reviewStatus: transition.from === 'new' ? null : transition.from,
      authors: [WRITER],
      assignedReviewer: transition.from === 'under_review' ? 20 : null,
      approvals: [],
    }
    const cells = COLUMNS.map(({ actor }) => {
      const decision = decide({ actor, revision, requested: transition.to, contentChanged: transition.from === 'new', comment: 'comment', policy: DEFAULT_POLICY })
      if (decision.allowed) return 'yes'
      return decision.status === 400 && transition.from === 'submitted' ? 'names a reviewer' : '—'
    })
    return `| ${label(transition.from)} → ${label(transition.to)} | ${cells.join(' | ')} |`
  })
  return [header, divider, ...rows].join('\n')
}
