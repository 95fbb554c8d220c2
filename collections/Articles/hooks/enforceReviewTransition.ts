import { APIError, type CollectionBeforeChangeHook } from 'payload'

import { changedContentFields } from '../../../src/rules/content'
import { addDays, decide, isReviewState, type Outcome } from '../../../src/rules/workflow'
import { citationReportFor } from '../../../src/workflow/citationCheck'
import { getPolicy } from '../../../src/workflow/policy'
import { idOf } from '../../../src/rules/ids'
import { latestVersionId } from '../../../src/workflow/articleLock'
import { userOfReviewerProfile } from '../../../src/workflow/reviewerProfile'
import { resolveActor, revisionOf } from '../../../src/workflow/revision'
import { consumeRestoring, isPublishing, noteDecidedContent } from './workflowContext'

export const outcomeKey = (id: unknown) => `vetted:workflowOutcome:${id === undefined ? 'new' : String(id)}`

/**
 * The one guard on `reviewStatus`, whatever the path (REST, GraphQL, Local API, admin UI, bulk
 * update, restore, duplicate). It asks the rules module, refuses with its 400/403, and otherwise
 * writes the workflow fields from the decision, never from the request.
 */
export const enforceReviewTransition: CollectionBeforeChangeHook = async ({ data, originalDoc, operation, req }) => {
  if (isPublishing(req, originalDoc?.id)) return data
  const actor = await resolveActor(req)
  const policy = await getPolicy(req)
  const revision = revisionOf(operation === 'create' ? undefined : originalDoc)
  if (data.reviewStatus === 'under_review' && revision.assignedReviewer !== null) {
    revision.assignedReviewerUser = await userOfReviewerProfile(req.payload, revision.assignedReviewer, req)
  }
  // A restored version brings its old status along; restoring asks for content, not a transition.
  const restoring = operation === 'update' && consumeRestoring(req, originalDoc?.id)
  const asked = restoring ? undefined : data.reviewStatus
  if (asked !== undefined && asked !== null && !isReviewState(asked)) {
    throw new APIError(`"${String(asked)}" is not a review status`, 400, undefined, true)
  }
  if (operation === 'update' && originalDoc) await requireSeenVersion(req, originalDoc.id, data.basedOnVersion)
  const contentChanged = operation === 'create' || changedContentFields(originalDoc, data).length > 0
  if (operation === 'update' && originalDoc) noteDecidedContent(req, originalDoc.id, contentChanged)
  // With a content change, the current status in the request is the form echoing it back.
  const requested = isReviewState(asked) && (asked !== revision.reviewStatus || !contentChanged) ? asked : undefined

  const assigneeId = idOf(data.assignedReviewer)
  let assignee: { id: number | string; active: boolean; userId: number | string | null } | null = null
  if (requested === 'under_review' && assigneeId !== null && String(assigneeId) !== String(revision.assignedReviewer)) {
    const profile = await req.payload
      .findByID({ collection: 'reviewers', id: assigneeId, depth: 0, overrideAccess: true, req, disableErrors: true })
      .catch(() => null)
    if (!profile) throw new APIError(`Reviewer ${String(assigneeId)} does not exist`, 400, undefined, true)
    assignee = { id: profile.id, active: profile.active !== false, userId: idOf(profile.user) }
  }

  const decision = decide({
    actor,
    revision,
    requested,
    contentChanged,
    comment: typeof data.reviewComment === 'string' ? data.reviewComment : undefined,
    assignee,
    policy,
  })
  if (!decision.allowed) throw new APIError(decision.message, decision.status, undefined, true)
  if (decision.action === 'approve' || decision.action === 'record_approval') {
    const { blocking } = await citationReportFor(req, data)
    if (blocking.length > 0) {
      throw new APIError(`Approval refused until every citation points at a listed reference: ${blocking.map((problem) => problem.message).join('; ')}`, 400, { problems: blocking }, true)
    }
  }

  req.context[outcomeKey(operation === 'create' ? undefined : originalDoc?.id)] = {
    ...decision,
    comment: typeof data.reviewComment === 'string' ? data.reviewComment.trim() || undefined : undefined,
  } satisfies Outcome & { comment?: string }

  const { basedOnVersion: _seen, ...fields } = data
  const next: Record<string, unknown> = {
    ...fields,
    reviewStatus: decision.to,
    authors: decision.authors,
    assignedReviewer: decision.assignedReviewer,
    approvals: decision.approvals.map((reviewer) => ({ reviewer })),
    reviewedBy: originalDoc?.reviewedBy ?? null,
    reviewedAt: originalDoc?.reviewedAt ?? null,
    nextReviewDue: originalDoc?.nextReviewDue ?? null,
  }
  if (decision.stampApproval) {
    const now = new Date()
    next.reviewedBy = actor?.reviewerProfile?.id
    next.reviewedAt = now.toISOString()
    next.nextReviewDue = addDays(now, policy.reviewIntervalDays).toISOString()
  }
  return next
}

/**
 * A write that names the version it was made against (`basedOnVersion`: the approve dialog always
 * does) is refused if the article has a newer revision: the caller would otherwise approve, or
 * act on, text they never saw. Read under the article's lock, so nothing can come in between.
 */
const requireSeenVersion = async (req: Parameters<CollectionBeforeChangeHook>[0]['req'], id: number | string, seen: unknown) => {
  if (seen === undefined || seen === null || seen === '') return
  const latest = await latestVersionId(req, id)
  if (latest !== null && latest === String(seen)) return
  throw new APIError(
    `The article changed since you opened it: you saw version ${String(seen)}, the latest is ${latest ?? 'none'}. Reload it and review the latest revision.`,
    409,
    { seenVersion: String(seen), latestVersion: latest },
    true,
  )
}
