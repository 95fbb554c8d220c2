import type { Payload } from 'payload'

import type { Id } from '../rules/workflow'

export type PublicEditionEntry = { id: Id; publishedAt: string; reviewedAt: string | null; reviewer: string | null }

/**
 * The reviewed editions of an article, newest first, as readers may list them ("previous
 * versions"): when each was approved and by whom. Unreviewed (caution-mode) and withdrawn editions
 * are not listed. Staff open any edition through `/api/editions`.
 */
export const publicEditionHistory = async (payload: Payload, article: Id): Promise<PublicEditionEntry[]> => {
  const { docs } = await payload.find({
    collection: 'editions',
    where: { and: [{ article: { equals: article } }, { kind: { equals: 'reviewed' } }, { withdrawnAt: { exists: false } }] },
    sort: '-publishedAt',
    limit: 100,
    depth: 0,
    overrideAccess: true,
    select: { publishedAt: true, reviewedAt: true, reviewer: true },
  })
  return docs.map((edition) => ({
    id: edition.id,
    publishedAt: String(edition.publishedAt),
    reviewedAt: (edition.reviewedAt as string | null | undefined) ?? null,
    reviewer: (edition.reviewer as string | null | undefined) ?? null,
  }))
}
