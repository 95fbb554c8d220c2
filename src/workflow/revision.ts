import type { PayloadRequest } from 'payload'

import type { Revision, WorkflowActor } from '../rules/workflow'
import { idOf, idsOf } from '../rules/ids'
import { isReviewState } from '../rules/workflow'

export { idOf }

/** The workflow's view of an article document (any revision, populated or not). */
export const revisionOf = (doc: Record<string, unknown> | undefined): Revision => ({
  reviewStatus: doc && isReviewState(doc.reviewStatus) ? doc.reviewStatus : null,
  authors: idsOf(doc?.authors),
  assignedReviewer: idOf(doc?.assignedReviewer),
  approvals: idsOf(Array.isArray(doc?.approvals) ? doc.approvals.map((approval: { reviewer?: unknown }) => approval?.reviewer) : []),
})

/** The signed-in user with their advisory-board profile, looked up once per request. */
export const resolveActor = async (req: PayloadRequest): Promise<WorkflowActor> => {
  const user = req.user
  if (!user || user.collection !== 'users') return null
  const key = `vetted:actor:${user.id}`
  const cached = req.context[key] as WorkflowActor | undefined
  if (cached) return cached
  const { docs } = await req.payload.find({
    collection: 'reviewers',
    where: { user: { equals: user.id } },
    limit: 1,
    depth: 0,
    overrideAccess: true,
    req,
  })
  const profile = docs[0]
  const actor: WorkflowActor = {
    id: user.id,
    roles: (user as { roles?: string[] }).roles ?? [],
    reviewerProfile: profile ? { id: profile.id, active: profile.active !== false } : null,
  }
  req.context[key] = actor
  return actor
}
