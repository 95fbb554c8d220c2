import type { Payload, PayloadRequest } from 'payload'

import { idOf } from '../rules/ids'

/** The advisory-board profile id of a user, or null. */
export const reviewerProfileIdOf = async (payload: Payload, userId: number | string | undefined): Promise<number | string | null> => {
  if (userId === undefined) return null
  const { docs } = await payload.find({ collection: 'reviewers', where: { user: { equals: userId } }, limit: 1, depth: 0, overrideAccess: true })
  return docs[0]?.id ?? null
}

/** The user behind an advisory-board profile, or null (inside the request's transaction when given). */
export const userOfReviewerProfile = async (payload: Payload, profileId: number | string, req?: PayloadRequest): Promise<number | string | null> => {
  const profile = await payload
    .findByID({ collection: 'reviewers', id: profileId, depth: 0, overrideAccess: true, disableErrors: true, ...(req ? { req } : {}) })
    .catch(() => null)
  return profile ? idOf(profile.user) : null
}
