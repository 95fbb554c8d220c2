import type { UIFieldServerProps } from 'payload'
import type React from 'react'

import { availableTransitions, REVIEW_STATE_LABELS } from '../../../src/rules/workflow'
import { citationReportFor } from '../../../src/workflow/citationCheck'
import { latestVersionId } from '../../../src/workflow/articleLock'
import { getPolicy } from '../../../src/workflow/policy'
import { userOfReviewerProfile } from '../../../src/workflow/reviewerProfile'
import { resolveActor, revisionOf } from '../../../src/workflow/revision'
import { WorkflowButtons } from './WorkflowButtons'

/**
 * The workflow actions of the edit view. Which buttons appear is the rules module's answer for
 * this user and revision; pressing one asks the API, where the same guard decides again.
 */
export const WorkflowPanel: React.FC<UIFieldServerProps> = async ({ data, id, payload, req }) => {
  if (id === undefined || !req?.user) return <p>Save the article to start its review.</p>
  const actor = await resolveActor(req)
  const policy = await getPolicy(req)
  const revision = revisionOf(data as Record<string, unknown>)
  if (revision.assignedReviewer !== null) revision.assignedReviewerUser = await userOfReviewerProfile(payload, revision.assignedReviewer)
  const transitions = availableTransitions(actor, revision, policy)
  const reviewers =
    transitions.includes('under_review') && actor?.roles?.includes('admin')
      ? (await payload.find({ collection: 'reviewers', where: { active: { equals: true } }, limit: 100, depth: 0, overrideAccess: true })).docs.map((doc) => ({ id: doc.id, name: doc.name }))
      : []
  const citationProblems = (await citationReportFor(req, data as Record<string, unknown>)).blocking.map((problem) => problem.message)

  // "What changed": the revision under review against the live (published) one, in Payload's diff view.
  const [newest, { docs: published }] = await Promise.all([
    latestVersionId(req, id),
    payload.findVersions({ collection: 'articles', where: { and: [{ parent: { equals: id } }, { 'version._status': { equals: 'published' } }] }, sort: '-updatedAt', limit: 1, depth: 0, overrideAccess: true }),
  ])
  const compareUrl = newest
    ? `/admin/collections/articles/${id}/versions/${newest}${published[0] && String(published[0].id) !== newest ? `?versionFrom=${published[0].id}` : ''}`
    : null

  return (
    <div data-workflow-panel style={{ border: '1px solid var(--theme-elevation-150)', borderRadius: 8, marginBottom: 16, padding: 12 }}>
      <div style={{ marginBottom: 8 }}>
        Review status: <strong data-current-status={revision.reviewStatus ?? ''}>{revision.reviewStatus ? REVIEW_STATE_LABELS[revision.reviewStatus] : '—'}</strong>
      </div>
      <WorkflowButtons
        id={id}
        version={newest}
        transitions={transitions}
        reviewers={reviewers}
        question={String(data?.question ?? '')}
        citationProblems={citationProblems}
      />
      {compareUrl && (revision.reviewStatus === 'under_review' || revision.reviewStatus === 'submitted') ? (
        <p style={{ marginTop: 8 }}>
          <a data-what-changed href={compareUrl}>
            What changed: compare this revision with the published one
          </a>
        </p>
      ) : null}
    </div>
  )
}
