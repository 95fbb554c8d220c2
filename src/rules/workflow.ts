/**
 * The review workflow: states, transitions, who may make each one, four-eyes, quorum, and what
 * each editorial-policy mode shows the public. Pure: no database, no Payload. Hooks and the admin
 * UI ask this module; nothing else restates these rules.
 */
import { hasRole, type Actor as RoleActor } from './roles'

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

export type Id = number | string

export type Policy = {
  publicVisibility: PublicVisibility
  approvalsRequired: number
  reviewIntervalDays: number
}

export const DEFAULT_POLICY: Policy = { publicVisibility: 'approved_only', approvalsRequired: 1, reviewIntervalDays: 365 }

/** The user asking, with their advisory-board profile when they have one. */
export type WorkflowActor = (NonNullable<RoleActor> & { reviewerProfile?: { id: Id; active: boolean } | null }) | null

/** The revision a request applies to. `reviewStatus: null` means the article is being created. */
export type Revision = {
  reviewStatus: ReviewState | null
  authors: Id[]
  assignedReviewer: Id | null
  /** The user behind the assigned profile, when known: an assignee who became an author loses the assignment. */
  assignedReviewerUser?: Id | null
  /** Reviewer profiles that approved this revision (quorum mode). */
  approvals: Id[]
}

export type WorkflowAction =
  | 'create'
  | 'submit'
  | 'claim'
  | 'request_changes'
  | 'approve'
  | 'record_approval'
  | 'revise'
  | 'restart_review'

/** What a transition needs of the actor, in words a 403 can name. */
export type Right = 'write' | 'submit' | 'claim' | 'request_changes' | 'approve'

export const RIGHT_DESCRIPTIONS: Record<Right, string> = {
  write: 'Writing article content needs the editor or admin role',
  submit: 'Submitting for review needs the editor or admin role',
  claim: 'Claiming a review needs the reviewer role with an active advisory-board profile, or the admin role to assign one',
  request_changes: 'Requesting changes needs to be the assigned reviewer or an admin',
  approve: 'Approving needs the reviewer role, an active advisory-board profile, and no part in writing this revision',
}

export type Transition = { from: ReviewState | 'new'; to: ReviewState; action: WorkflowAction; right: Right; requested: boolean }

/**
 * Every transition. `requested: false` ones are not asked for: they follow from a content change
 * (a new revision of an approved article, or content changed during review).
 */
export const TRANSITIONS: readonly Transition[] = [
  { from: 'new', to: 'draft', action: 'create', right: 'write', requested: true },
  { from: 'new', to: 'submitted', action: 'submit', right: 'submit', requested: true },
  { from: 'draft', to: 'submitted', action: 'submit', right: 'submit', requested: true },
  { from: 'changes_requested', to: 'submitted', action: 'submit', right: 'submit', requested: true },
  // Re-review without a text change: a linked reference, related question or profile changed since approval.
  { from: 'approved', to: 'submitted', action: 'submit', right: 'submit', requested: true },
  { from: 'submitted', to: 'under_review', action: 'claim', right: 'claim', requested: true },
  { from: 'under_review', to: 'changes_requested', action: 'request_changes', right: 'request_changes', requested: true },
  { from: 'under_review', to: 'approved', action: 'approve', right: 'approve', requested: true },
  { from: 'approved', to: 'draft', action: 'revise', right: 'write', requested: false },
  { from: 'under_review', to: 'submitted', action: 'restart_review', right: 'write', requested: false },
]

export const findTransition = (from: ReviewState | 'new', to: ReviewState): Transition | undefined =>
  TRANSITIONS.find((transition) => transition.requested && transition.from === from && transition.to === to)

export const nextStates = (from: ReviewState | 'new'): ReviewState[] =>
  TRANSITIONS.filter((transition) => transition.requested && transition.from === from).map((transition) => transition.to)

const sameId = (a: Id | null | undefined, b: Id | null | undefined) => a !== null && a !== undefined && b !== null && b !== undefined && String(a) === String(b)
const includesId = (ids: Id[], id: Id | null | undefined) => ids.some((candidate) => sameId(candidate, id))

export const isAuthor = (actor: WorkflowActor, revision: Revision): boolean => includesId(revision.authors, actor?.id)

/** Holds `reviewer`, has an active board profile, and did not write this revision. Admins too. */
export const isEligibleApprover = (actor: WorkflowActor, revision: Revision): boolean =>
  Boolean(actor && hasRole(actor, 'reviewer') && actor.reviewerProfile?.active && !isAuthor(actor, revision))

const isAssignedReviewer = (actor: WorkflowActor, revision: Revision) => sameId(actor?.reviewerProfile?.id, revision.assignedReviewer)

export type Denial = { allowed: false; status: 400 | 403 | 409; message: string }

export type Outcome = {
  allowed: true
  from: ReviewState | 'new'
  to: ReviewState
  /** `null` when the status does not change and nothing is recorded. */
  action: WorkflowAction | null
  assignedReviewer: Id | null
  approvals: Id[]
  authors: Id[]
  /** True when approval completes: stamp reviewedBy, reviewedAt, nextReviewDue. */
  stampApproval: boolean
  /** What happens to the public copy. */
  publication: 'publish' | 'withdraw' | 'keep'
  /** Why a transition happened that nobody asked for. */
  note?: string
}

export type Decision = Outcome | Denial

export type Request = {
  actor: WorkflowActor
  revision: Revision
  /**
   * The status asked for; undefined when only content changes. Asking for the status the article
   * is already in, with no content change, is a conflict when the caller's own act did not happen
   * (someone else claimed, requested changes or approved first); otherwise it changes nothing.
   */
  requested?: ReviewState
  contentChanged: boolean
  comment?: string
  /** An admin's choice of reviewer when claiming on someone's behalf: their profile. */
  assignee?: { id: Id; active: boolean; userId: Id | null } | null
  policy: Policy
}

const deny = (status: Denial['status'], message: string): Denial => ({ allowed: false, status, message })

export const illegalTransitionMessage = (from: ReviewState | 'new', to: ReviewState): string => {
  const options = nextStates(from)
  const where = from === 'new' ? 'A new article' : `An article in "${from}"`
  return `${where} cannot move to "${to}". Allowed next: ${options.length ? options.map((state) => `"${state}"`).join(', ') : 'none'}.`
}

/** Which public copy a state leads to under a policy mode. */
export const publicationFor = (to: ReviewState, mode: PublicVisibility): Outcome['publication'] => {
  if (to === 'approved') return 'publish'
  if (mode === 'pending_with_caution') {
    if (to === 'submitted' || to === 'under_review') return 'publish'
    if (to === 'changes_requested') return 'withdraw'
  }
  return 'keep'
}

/** The states whose published revisions the public may read under a policy mode. */
export const publicStates = (mode: PublicVisibility): ReviewState[] =>
  mode === 'pending_with_caution' ? ['submitted', 'under_review', 'approved'] : ['approved']

const withAuthor = (authors: Id[], actor: WorkflowActor): Id[] =>
  actor && !includesId(authors, actor.id) ? [...authors, actor.id] : authors

/**
 * Decides one write to an article: its content change (if any) and the status it asks for.
 * Returns what the article becomes, or a 400 (illegal) / 403 (forbidden) with a message.
 */
export const decide = (request: Request): Decision => {
  const { actor, revision, contentChanged, policy } = request
  if (!actor) return deny(403, 'Signing in is required to change an article')
  const current = revision.reviewStatus
  const requested = request.requested

  if (current === null) {
    const to = requested ?? 'draft'
    const transition = TRANSITIONS.find((candidate) => candidate.from === 'new' && candidate.to === to)
    if (!transition) return deny(400, illegalTransitionMessage('new', to))
    if (!mayWrite(actor)) return deny(403, RIGHT_DESCRIPTIONS.write)
    if (transition.right === 'submit' && !maySubmit(actor)) return deny(403, RIGHT_DESCRIPTIONS.submit)
    return {
      allowed: true,
      from: 'new',
      to,
      action: to === 'draft' ? 'create' : 'submit',
      assignedReviewer: null,
      approvals: [],
      authors: [actor.id],
      stampApproval: false,
      publication: publicationFor(to, policy.publicVisibility),
    }
  }

  // A content change first moves the revision where the workflow says, then the request applies.
  let from: ReviewState = current
  let authors = revision.authors
  let approvals = revision.approvals
  let assignedReviewer = revision.assignedReviewer
  let automatic: { action: WorkflowAction; note: string } | undefined
  if (contentChanged) {
    if (!mayWrite(actor)) return deny(403, RIGHT_DESCRIPTIONS.write)
    if (current === 'under_review') {
      if (!hasRole(actor, 'admin')) return deny(403, 'The content is frozen while under review: only an admin may change it, which restarts the review')
      from = 'submitted'
      approvals = []
      authors = withAuthor(authors, actor)
      automatic = { action: 'restart_review', note: 'Content changed during review: the review restarts on the new revision' }
    } else if (current === 'approved') {
      from = 'draft'
      approvals = []
      assignedReviewer = null
      authors = [actor.id]
      automatic = { action: 'revise', note: 'New revision of an approved article; the approved revision stays live until this one is approved' }
    } else {
      authors = withAuthor(authors, actor)
    }
  }

  const base = { allowed: true as const, authors, approvals, assignedReviewer, stampApproval: false }
  if (requested !== undefined && requested === current && !contentChanged) {
    const conflict = sameStateConflict(request, current)
    if (conflict) return conflict
  }
  if (requested === undefined || requested === from) {
    if (!automatic) return { ...base, from: current, to: current, action: null, publication: 'keep' }
    return { ...base, from: current, to: from, action: automatic.action, note: automatic.note, publication: publicationFor(from, policy.publicVisibility) }
  }

  if (automatic && requested === 'approved') {
    return deny(400, 'The content changed in this request, so the review restarts: approve the new revision after it is reviewed')
  }
  const transition = findTransition(from, requested)
  if (!transition) return deny(400, illegalTransitionMessage(from, requested))

  switch (transition.action) {
    case 'submit':
      if (!maySubmit(actor)) return deny(403, RIGHT_DESCRIPTIONS.submit)
      return {
        ...base,
        from: current,
        to: 'submitted',
        action: 'submit',
        approvals: [],
        // A re-review of an approved revision starts afresh: any board member may claim it.
        assignedReviewer: from === 'approved' ? null : base.assignedReviewer,
        publication: publicationFor('submitted', policy.publicVisibility),
      }

    case 'claim': {
      const assignee = claimantFor(request, { ...revision, authors })
      if (!assignee.allowed) return assignee
      return { ...base, from: current, to: 'under_review', action: 'claim', assignedReviewer: assignee.id, publication: publicationFor('under_review', policy.publicVisibility) }
    }

    case 'request_changes':
      if (!(hasRole(actor, 'admin') || isAssignedReviewer(actor, revision))) return deny(403, RIGHT_DESCRIPTIONS.request_changes)
      if (!request.comment?.trim()) return deny(400, 'Requesting changes needs a comment (reviewComment) telling the editor what to change')
      return { ...base, from: current, to: 'changes_requested', action: 'request_changes', approvals: [], publication: publicationFor('changes_requested', policy.publicVisibility) }

    case 'approve': {
      const revisionNow = { ...revision, authors }
      if (!isEligibleApprover(actor, revisionNow)) {
        const onTheBoard = hasRole(actor, 'reviewer') && actor.reviewerProfile?.active
        if (onTheBoard && isAuthor(actor, revisionNow)) return deny(403, 'You changed this revision, so you cannot approve it: another reviewer must (four-eyes rule)')
        return deny(403, RIGHT_DESCRIPTIONS.approve)
      }
      const profile = actor.reviewerProfile!.id
      const required = Math.max(1, policy.approvalsRequired)
      if (required === 1 && !(isAssignedReviewer(actor, revision) || hasRole(actor, 'admin'))) {
        return deny(403, 'Only the assigned reviewer or an admin may approve this article')
      }
      if (includesId(approvals, profile)) return deny(400, `You already approved this revision; it needs ${required} distinct approvals`)
      const nextApprovals = [...approvals, profile]
      if (nextApprovals.length < required) {
        return { ...base, from: current, to: 'under_review', action: 'record_approval', approvals: nextApprovals, publication: 'keep', note: `Approval ${nextApprovals.length} of ${required}` }
      }
      return { ...base, from: current, to: 'approved', action: 'approve', approvals: nextApprovals, stampApproval: true, publication: 'publish' }
    }

    default:
      return deny(400, illegalTransitionMessage(from, requested))
  }
}

/**
 * A request for the state the article is already in. Under concurrency this is how a request that
 * lost a race arrives: it was decided against the state the winner left, and must not get a 200
 * for a claim, a change request or an approval that was never made.
 */
const sameStateConflict = ({ actor, revision, comment }: Request, state: ReviewState): Denial | null => {
  switch (state) {
    case 'under_review':
      if (hasRole(actor, 'admin') || isAssignedReviewer(actor, revision)) return null
      return deny(409, 'This article is already under review, claimed by another reviewer, so your claim was not made. An admin can reassign it.')
    case 'changes_requested':
      if (!comment?.trim()) return null
      return deny(409, 'Changes were already requested on this revision, so your request and its comment were not recorded. Reload to see the latest review event.')
    case 'approved':
      if (!hasRole(actor, 'reviewer')) return null
      return deny(409, 'This revision is already approved, so your approval was not recorded. Reload to see who approved it.')
    default:
      return null
  }
}

const mayWrite = (actor: WorkflowActor) => hasRole(actor, 'editor') || hasRole(actor, 'admin')
const maySubmit = mayWrite

/** Who becomes the assigned reviewer when an article is claimed. */
const claimantFor = (request: Request, revision: Revision): { allowed: true; id: Id } | Denial => {
  const { actor, assignee } = request
  if (hasRole(actor, 'admin') && assignee) {
    if (!assignee.active) return deny(400, 'The reviewer to assign has no active advisory-board profile')
    if (includesId(revision.authors, assignee.userId)) return deny(400, 'The reviewer to assign wrote part of this revision; choose another (four-eyes rule)')
    return { allowed: true, id: assignee.id }
  }
  if (!(hasRole(actor, 'reviewer') && actor!.reviewerProfile?.active)) {
    if (hasRole(actor, 'admin')) return deny(400, 'Choose the reviewer to assign (assignedReviewer) when claiming as an admin')
    return deny(403, RIGHT_DESCRIPTIONS.claim)
  }
  if (isAuthor(actor, revision)) return deny(403, 'You changed this revision, so another reviewer must review it (four-eyes rule)')
  // An assignee who has since changed the content may not review it (four-eyes), so their hold lapses.
  const assignmentLapsed = includesId(revision.authors, revision.assignedReviewerUser)
  if (revision.assignedReviewer !== null && !assignmentLapsed && !sameId(revision.assignedReviewer, actor!.reviewerProfile.id) && !hasRole(actor, 'admin')) {
    return deny(403, 'This article is assigned to another reviewer; an admin can reassign it')
  }
  return { allowed: true, id: actor!.reviewerProfile.id }
}

/** The transitions an actor may ask for now: what the admin UI offers as buttons. */
export const availableTransitions = (actor: WorkflowActor, revision: Revision, policy: Policy): ReviewState[] => {
  if (revision.reviewStatus === null) return []
  return nextStates(revision.reviewStatus).filter((to) => {
    const decision = decide({ actor, revision, requested: to, contentChanged: false, comment: 'x', policy })
    if (decision.allowed) return true
    // An admin can claim by choosing a reviewer; the button opens that choice.
    return to === 'under_review' && hasRole(actor, 'admin')
  })
}

/** Whether the public may read a published revision in this status under this mode. */
export const isPublicStatus = (status: ReviewState | null | undefined, mode: PublicVisibility): boolean =>
  status !== null && status !== undefined && publicStates(mode).includes(status)

export const addDays = (date: Date, days: number): Date => new Date(date.getTime() + days * 86_400_000)
