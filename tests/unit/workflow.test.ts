import { describe, expect, test } from '@jest/globals'

import {
  availableTransitions,
  decide,
  DEFAULT_POLICY,
  isPublicStatus,
  publicationFor,
  REVIEW_STATES,
  TRANSITIONS,
  type Policy,
  type ReviewState,
  type Revision,
  type WorkflowActor,
} from '../../src/rules/workflow'

const EDITOR = 1
const REVIEWER_AUTHOR_USER = 2
const PROFILE = { assigned: 10, other: 11, author: 12, adminReviewer: 13, inactive: 14 }

const ACTORS = {
  anonymous: null,
  editor: { id: EDITOR, roles: ['editor'] },
  assignedReviewer: { id: 3, roles: ['reviewer'], reviewerProfile: { id: PROFILE.assigned, active: true } },
  otherReviewer: { id: 4, roles: ['reviewer'], reviewerProfile: { id: PROFILE.other, active: true } },
  authorReviewer: { id: REVIEWER_AUTHOR_USER, roles: ['reviewer', 'editor'], reviewerProfile: { id: PROFILE.author, active: true } },
  reviewerWithoutProfile: { id: 5, roles: ['reviewer'], reviewerProfile: null },
  inactiveReviewer: { id: 6, roles: ['reviewer'], reviewerProfile: { id: PROFILE.inactive, active: false } },
  admin: { id: 7, roles: ['admin'] },
  adminReviewer: { id: 8, roles: ['admin', 'reviewer'], reviewerProfile: { id: PROFILE.adminReviewer, active: true } },
} satisfies Record<string, WorkflowActor>
type ActorName = keyof typeof ACTORS

type Expected = 'ok' | 400 | 403

/**
 * The contract's table, written out independently of the module: for each requested transition,
 * the actors who may make it. Every other signed-in actor gets a 403; a pair not listed is illegal
 * (400) for everyone signed in; the public always gets a 403.
 */
const MAY: Record<string, Partial<Record<ActorName, Expected>>> = {
  'new>draft': { editor: 'ok', authorReviewer: 'ok', admin: 'ok', adminReviewer: 'ok' },
  'new>submitted': { editor: 'ok', authorReviewer: 'ok', admin: 'ok', adminReviewer: 'ok' },
  'draft>submitted': { editor: 'ok', authorReviewer: 'ok', admin: 'ok', adminReviewer: 'ok' },
  'changes_requested>submitted': { editor: 'ok', authorReviewer: 'ok', admin: 'ok', adminReviewer: 'ok' },
  // Re-review (issue 11): a linked reference, related question or profile changed since approval.
  'approved>submitted': { editor: 'ok', authorReviewer: 'ok', admin: 'ok', adminReviewer: 'ok' },
  // Unassigned: any active, non-author reviewer claims; an admin without a profile must name one.
  'submitted>under_review': { assignedReviewer: 'ok', otherReviewer: 'ok', adminReviewer: 'ok', admin: 400 },
  'under_review>changes_requested': { assignedReviewer: 'ok', admin: 'ok', adminReviewer: 'ok' },
  'under_review>approved': { assignedReviewer: 'ok', adminReviewer: 'ok' },
}

const revisionIn = (state: ReviewState | 'new'): Revision => ({
  reviewStatus: state === 'new' ? null : state,
  authors: [EDITOR, REVIEWER_AUTHOR_USER],
  assignedReviewer: state === 'under_review' || state === 'changes_requested' ? PROFILE.assigned : null,
  approvals: [],
})

const outcome = (actor: WorkflowActor, from: ReviewState | 'new', to: ReviewState, policy: Policy = DEFAULT_POLICY) => {
  const decision = decide({ actor, revision: revisionIn(from), requested: to, contentChanged: from === 'new', comment: 'Please cite the trial.', policy })
  return decision.allowed ? 'ok' : decision.status
}

describe('re-review of an approved revision', () => {
  test('starts afresh: no assignee, no approvals, the same authors; approved_only keeps the public edition', () => {
    const revision = { ...revisionIn('approved'), assignedReviewer: PROFILE.assigned, approvals: [PROFILE.assigned] }
    const decision = decide({ actor: ACTORS.editor, revision, requested: 'submitted', contentChanged: false, policy: DEFAULT_POLICY })
    expect(decision).toEqual({
      allowed: true,
      from: 'approved',
      to: 'submitted',
      action: 'submit',
      authors: revision.authors,
      approvals: [],
      assignedReviewer: null,
      stampApproval: false,
      publication: 'keep',
    })
  })

  test('in caution mode the resubmitted revision is published as unreviewed', () => {
    const decision = decide({ actor: ACTORS.editor, revision: revisionIn('approved'), requested: 'submitted', contentChanged: false, policy: { ...DEFAULT_POLICY, publicVisibility: 'pending_with_caution' } })
    expect(decision).toMatchObject({ allowed: true, to: 'submitted', publication: 'publish' })
  })
})

describe('every actor × from-state × to-state', () => {
  const cases: [ActorName, ReviewState | 'new', ReviewState][] = []
  for (const actor of Object.keys(ACTORS) as ActorName[])
    for (const from of ['new', ...REVIEW_STATES] as const) for (const to of REVIEW_STATES) if (from !== to) cases.push([actor, from, to])

  test.each(cases)('%s: %s → %s', (actorName, from, to) => {
    const rule = MAY[`${from}>${to}`]
    const expected: Expected = actorName === 'anonymous' ? 403 : !rule ? 400 : (rule[actorName] ?? 403)
    expect(outcome(ACTORS[actorName], from, to)).toBe(expected)
  })

  test('the module lists exactly the contract’s requested transitions', () => {
    const requested = TRANSITIONS.filter((transition) => transition.requested).map((transition) => `${transition.from}>${transition.to}`)
    expect(requested.sort()).toEqual(Object.keys(MAY).sort())
  })

  test('asking for the state an article is already in changes nothing and records nothing', () => {
    const decision = decide({ actor: ACTORS.editor, revision: revisionIn('submitted'), requested: 'submitted', contentChanged: false, policy: DEFAULT_POLICY })
    expect(decision).toMatchObject({ allowed: true, action: null, to: 'submitted', publication: 'keep' })
  })
})

/**
 * Asking for the state the article is already in, with no content change: how a request that lost
 * a race arrives once it is decided against the winner's state. Written out independently: a
 * conflict (409) wherever the caller's own act did not happen, a no-op otherwise.
 */
const SAME_STATE: Record<ReviewState, Partial<Record<ActorName, 'noop' | 409>>> = {
  draft: {},
  submitted: {},
  // Claimed by PROFILE.assigned: only that reviewer (and admins) find nothing to do.
  under_review: { otherReviewer: 409, authorReviewer: 409, reviewerWithoutProfile: 409, inactiveReviewer: 409, editor: 409 },
  // With a comment, a change request that was not recorded.
  changes_requested: { assignedReviewer: 409, otherReviewer: 409, authorReviewer: 409, reviewerWithoutProfile: 409, inactiveReviewer: 409, editor: 409, admin: 409, adminReviewer: 409 },
  // Any board member asking to approve an approved revision did not approve it.
  approved: { assignedReviewer: 409, otherReviewer: 409, authorReviewer: 409, reviewerWithoutProfile: 409, inactiveReviewer: 409, adminReviewer: 409 },
}

describe('asking for the current state (a request that lost a race)', () => {
  const cases: [ActorName, ReviewState][] = []
  for (const actor of Object.keys(ACTORS) as ActorName[]) if (actor !== 'anonymous') for (const state of REVIEW_STATES) cases.push([actor, state])

  test.each(cases)('%s asks for %s', (actorName, state) => {
    const decision = decide({ actor: ACTORS[actorName], revision: revisionIn(state), requested: state, contentChanged: false, comment: 'Please cite the trial.', policy: DEFAULT_POLICY })
    const expected = SAME_STATE[state][actorName] ?? 'noop'
    if (expected === 'noop') expect(decision).toMatchObject({ allowed: true, action: null, to: state, publication: 'keep' })
    else expect(decision).toMatchObject({ allowed: false, status: 409, message: expect.stringMatching(/not (made|recorded)/) })
  })

  test('without a comment, asking for changes_requested again is the form echoing the status: a no-op', () => {
    const decision = decide({ actor: ACTORS.editor, revision: revisionIn('changes_requested'), requested: 'changes_requested', contentChanged: false, policy: DEFAULT_POLICY })
    expect(decision).toMatchObject({ allowed: true, action: null })
  })

  test('with a content change, the current status is the form echoing it: the content rules decide', () => {
    const decision = decide({ actor: ACTORS.editor, revision: revisionIn('draft'), requested: undefined, contentChanged: true, policy: DEFAULT_POLICY })
    expect(decision).toMatchObject({ allowed: true, action: null, to: 'draft' })
  })
})

describe('an assignment that four-eyes has voided', () => {
  test('once the assigned reviewer has changed the content, another reviewer may claim the resubmitted article', () => {
    const revision = { ...revisionIn('submitted'), assignedReviewer: PROFILE.author, assignedReviewerUser: REVIEWER_AUTHOR_USER }
    expect(decide({ actor: ACTORS.otherReviewer, revision, requested: 'under_review', contentChanged: false, policy: DEFAULT_POLICY })).toMatchObject({ allowed: true, assignedReviewer: PROFILE.other })
    expect(decide({ actor: ACTORS.authorReviewer, revision, requested: 'under_review', contentChanged: false, policy: DEFAULT_POLICY })).toMatchObject({ allowed: false, status: 403 })
  })
  test('an assigned reviewer who wrote nothing keeps the assignment', () => {
    const revision = { ...revisionIn('submitted'), assignedReviewer: PROFILE.assigned, assignedReviewerUser: 3 }
    expect(decide({ actor: ACTORS.otherReviewer, revision, requested: 'under_review', contentChanged: false, policy: DEFAULT_POLICY })).toMatchObject({ allowed: false, status: 403 })
  })
})

describe('messages a person can act on', () => {
  test('an illegal transition names from, to and what is allowed', () => {
    const decision = decide({ actor: ACTORS.editor, revision: revisionIn('draft'), requested: 'approved', contentChanged: false, policy: DEFAULT_POLICY })
    expect(decision).toEqual({ allowed: false, status: 400, message: 'An article in "draft" cannot move to "approved". Allowed next: "submitted".' })
  })
  test('a forbidden one names the missing right', () => {
    const decision = decide({ actor: ACTORS.editor, revision: revisionIn('under_review'), requested: 'approved', contentChanged: false, policy: DEFAULT_POLICY })
    expect(decision).toMatchObject({ status: 403, message: expect.stringMatching(/^Approving needs the reviewer role/) })
  })
  test('requesting changes without a comment is a 400', () => {
    for (const comment of [undefined, '', '   ']) {
      const decision = decide({ actor: ACTORS.assignedReviewer, revision: revisionIn('under_review'), requested: 'changes_requested', contentChanged: false, comment, policy: DEFAULT_POLICY })
      expect(decision).toMatchObject({ allowed: false, status: 400, message: expect.stringMatching(/needs a comment/) })
    }
  })
})

describe('four-eyes', () => {
  test('a reviewer who changed the revision can neither claim nor approve it', () => {
    expect(decide({ actor: ACTORS.authorReviewer, revision: revisionIn('submitted'), requested: 'under_review', contentChanged: false, policy: DEFAULT_POLICY })).toMatchObject({ status: 403, message: expect.stringMatching(/four-eyes/) })
    const assignedToAuthor = { ...revisionIn('under_review'), assignedReviewer: PROFILE.author }
    expect(decide({ actor: ACTORS.authorReviewer, revision: assignedToAuthor, requested: 'approved', contentChanged: false, policy: DEFAULT_POLICY })).toMatchObject({ status: 403, message: expect.stringMatching(/four-eyes/) })
  })
  test('nor can an admin who wrote it', () => {
    const revision = { ...revisionIn('under_review'), authors: [ACTORS.adminReviewer.id] }
    expect(decide({ actor: ACTORS.adminReviewer, revision, requested: 'approved', contentChanged: false, policy: DEFAULT_POLICY })).toMatchObject({ allowed: false, status: 403 })
  })
  test('an admin cannot assign a reviewer who wrote the revision, nor an inactive one', () => {
    const base = { actor: ACTORS.admin, revision: revisionIn('submitted'), requested: 'under_review' as const, contentChanged: false, policy: DEFAULT_POLICY }
    expect(decide({ ...base, assignee: { id: PROFILE.author, active: true, userId: REVIEWER_AUTHOR_USER } })).toMatchObject({ status: 400, message: expect.stringMatching(/four-eyes/) })
    expect(decide({ ...base, assignee: { id: PROFILE.inactive, active: false, userId: 6 } })).toMatchObject({ status: 400 })
    expect(decide({ ...base, assignee: { id: PROFILE.other, active: true, userId: 4 } })).toMatchObject({ allowed: true, assignedReviewer: PROFILE.other, to: 'under_review' })
  })
})

describe('assignment', () => {
  test('claiming assigns the claimant', () => {
    expect(decide({ actor: ACTORS.otherReviewer, revision: revisionIn('submitted'), requested: 'under_review', contentChanged: false, policy: DEFAULT_POLICY })).toMatchObject({ assignedReviewer: PROFILE.other })
  })
  test('once assigned, another reviewer can neither claim, request changes nor approve', () => {
    const resubmitted = { ...revisionIn('submitted'), assignedReviewer: PROFILE.assigned }
    expect(decide({ actor: ACTORS.otherReviewer, revision: resubmitted, requested: 'under_review', contentChanged: false, policy: DEFAULT_POLICY })).toMatchObject({ status: 403, message: expect.stringMatching(/assigned to another reviewer/) })
    expect(decide({ actor: ACTORS.assignedReviewer, revision: resubmitted, requested: 'under_review', contentChanged: false, policy: DEFAULT_POLICY })).toMatchObject({ allowed: true })
  })
})

describe('revision binding', () => {
  test('editors cannot change content under review; an admin can, and the review restarts', () => {
    expect(decide({ actor: ACTORS.editor, revision: revisionIn('under_review'), contentChanged: true, policy: DEFAULT_POLICY })).toMatchObject({ status: 403, message: expect.stringMatching(/frozen/) })
    const restarted = decide({ actor: ACTORS.admin, revision: { ...revisionIn('under_review'), approvals: [PROFILE.other] }, contentChanged: true, policy: DEFAULT_POLICY })
    expect(restarted).toMatchObject({ allowed: true, to: 'submitted', action: 'restart_review', approvals: [], publication: 'keep' })
    expect(restarted.allowed && restarted.authors).toContain(ACTORS.admin.id)
  })
  test('a reviewer cannot change content at all', () => {
    expect(decide({ actor: ACTORS.assignedReviewer, revision: revisionIn('submitted'), contentChanged: true, policy: DEFAULT_POLICY })).toMatchObject({ status: 403, message: expect.stringMatching(/^Writing article content/) })
  })
  test('editing an approved article starts a new draft revision whose only author is the editor', () => {
    const decision = decide({ actor: ACTORS.editor, revision: { ...revisionIn('approved'), authors: [99] }, contentChanged: true, policy: DEFAULT_POLICY })
    expect(decision).toMatchObject({ allowed: true, from: 'approved', to: 'draft', action: 'revise', authors: [EDITOR], assignedReviewer: null, publication: 'keep' })
  })
  test('content and approval in one request is refused', () => {
    expect(decide({ actor: ACTORS.admin, revision: revisionIn('under_review'), requested: 'approved', contentChanged: true, policy: DEFAULT_POLICY })).toMatchObject({ status: 400 })
  })
  test('content changes add the writer to the authors', () => {
    const decision = decide({ actor: ACTORS.admin, revision: revisionIn('draft'), requested: 'submitted', contentChanged: true, policy: DEFAULT_POLICY })
    expect(decision.allowed && decision.authors).toEqual([EDITOR, REVIEWER_AUTHOR_USER, ACTORS.admin.id])
  })
})

describe('approval', () => {
  test('approval stamps and publishes', () => {
    expect(decide({ actor: ACTORS.assignedReviewer, revision: revisionIn('under_review'), requested: 'approved', contentChanged: false, policy: DEFAULT_POLICY })).toMatchObject({ allowed: true, to: 'approved', action: 'approve', stampApproval: true, publication: 'publish', approvals: [PROFILE.assigned] })
  })
  test('with approvalsRequired = 2, two distinct eligible reviewers approve the same revision', () => {
    const policy = { ...DEFAULT_POLICY, approvalsRequired: 2 }
    const first = decide({ actor: ACTORS.otherReviewer, revision: revisionIn('under_review'), requested: 'approved', contentChanged: false, policy })
    expect(first).toMatchObject({ allowed: true, to: 'under_review', action: 'record_approval', stampApproval: false, publication: 'keep', approvals: [PROFILE.other] })
    const revision = { ...revisionIn('under_review'), approvals: [PROFILE.other] }
    expect(decide({ actor: ACTORS.otherReviewer, revision, requested: 'approved', contentChanged: false, policy })).toMatchObject({ status: 400, message: expect.stringMatching(/already approved/) })
    expect(decide({ actor: ACTORS.authorReviewer, revision, requested: 'approved', contentChanged: false, policy })).toMatchObject({ status: 403 })
    expect(decide({ actor: ACTORS.assignedReviewer, revision, requested: 'approved', contentChanged: false, policy })).toMatchObject({ allowed: true, to: 'approved', stampApproval: true, publication: 'publish', approvals: [PROFILE.other, PROFILE.assigned] })
  })
  test('a content change clears collected approvals', () => {
    const decision = decide({ actor: ACTORS.admin, revision: { ...revisionIn('under_review'), approvals: [PROFILE.other] }, contentChanged: true, policy: { ...DEFAULT_POLICY, approvalsRequired: 2 } })
    expect(decision.allowed && decision.approvals).toEqual([])
  })
})

describe('policy modes', () => {
  test('approved_only: only approval publishes and only approved revisions are public', () => {
    for (const state of REVIEW_STATES) {
      expect(publicationFor(state, 'approved_only')).toBe(state === 'approved' ? 'publish' : 'keep')
      expect(isPublicStatus(state, 'approved_only')).toBe(state === 'approved')
    }
  })
  test('pending_with_caution: submission publishes, changes requested withdraws, drafts never public', () => {
    expect(REVIEW_STATES.map((state) => publicationFor(state, 'pending_with_caution'))).toEqual(['keep', 'publish', 'publish', 'withdraw', 'publish'])
    expect(REVIEW_STATES.filter((state) => isPublicStatus(state, 'pending_with_caution'))).toEqual(['submitted', 'under_review', 'approved'])
    const submit = decide({ actor: ACTORS.editor, revision: revisionIn('draft'), requested: 'submitted', contentChanged: false, policy: { ...DEFAULT_POLICY, publicVisibility: 'pending_with_caution' } })
    expect(submit).toMatchObject({ publication: 'publish' })
  })
})

describe('available transitions (what the admin UI offers)', () => {
  test.each([
    ['editor', 'draft', ['submitted']],
    ['editor', 'under_review', []],
    ['assignedReviewer', 'under_review', ['changes_requested', 'approved']],
    ['otherReviewer', 'submitted', ['under_review']],
    ['authorReviewer', 'submitted', []],
    ['admin', 'submitted', ['under_review']],
    ['admin', 'under_review', ['changes_requested']],
    ['anonymous', 'draft', []],
  ] as [ActorName, ReviewState, ReviewState[]][])('%s on %s', (actorName, state, expected) => {
    expect(availableTransitions(ACTORS[actorName], revisionIn(state), DEFAULT_POLICY)).toEqual(expected)
  })
})
