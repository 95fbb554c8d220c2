import { Forbidden, type Endpoint, type Payload, type PayloadRequest } from 'payload'

import type { LinkedChange } from '../../../src/delivery/reReview'
import { idOf } from '../../../src/rules/ids'
import { isStaffUser } from '../../../src/rules/roles'
import type { Id } from '../../../src/rules/workflow'

export type NeedsReReviewEntry = {
  article: Id
  question: string
  slug: string
  reviewStatus: string
  changes: LinkedChange[]
  edition: Id | null
}

/**
 * The public articles whose edition shows a reference, related question or reviewer profile that
 * changed since approval, most recently flagged first: the board's "Needs re-review" queue.
 */
export const needsReReviewQueue = async (payload: Payload, req?: PayloadRequest): Promise<NeedsReReviewEntry[]> => {
  const { docs } = await payload.find({
    collection: 'live-editions',
    where: { needsReReview: { equals: true } },
    sort: '-updatedAt',
    pagination: false,
    depth: 0,
    overrideAccess: true,
    select: { article: true, question: true, slug: true, reviewStatus: true, changes: true, edition: true },
    req,
  })
  return docs.flatMap((row) => {
    const article = idOf(row.article)
    if (article === null) return []
    return [
      {
        article,
        question: row.question,
        slug: row.slug,
        reviewStatus: row.reviewStatus,
        changes: Array.isArray(row.changes) ? (row.changes as LinkedChange[]) : [],
        edition: idOf(row.edition),
      },
    ]
  })
}

/** `GET /api/articles/needs-re-review`: the "Needs re-review" queue, for staff. */
export const needsReReviewEndpoint: Endpoint = {
  path: '/needs-re-review',
  method: 'get',
  handler: async (req) => {
    if (!isStaffUser(req.user)) throw new Forbidden(req.t)
    return Response.json({ docs: await needsReReviewQueue(req.payload, req) })
  },
}
