import type { Payload } from 'payload'

/** The advisory-board profile id of a user, or null. */
export const reviewerProfileIdOf = async (payload: Payload, userId: number | string | undefined): Promise<number | string | null> => {
  if (userId === undefined) return null
  const { docs } = await payload.find({ collection: 'reviewers', where: { user: { equals: userId } }, limit: 1, depth: 0, overrideAccess: true })
  return docs[0]?.id ?? null
}
