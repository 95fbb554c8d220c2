import { APIError, type CollectionBeforeDeleteHook } from 'payload'

/**
 * The review trail names who acted, and deleting the account would blank it (its foreign key is
 * set to null). An account that has acted is kept: take its roles away to end its access.
 */
export const keepActorsOnRecord: CollectionBeforeDeleteHook = async ({ id, req }) => {
  const { totalDocs } = await req.payload.count({ collection: 'review-events', where: { actor: { equals: id } }, overrideAccess: true, req })
  if (totalDocs === 0) return
  throw new APIError(
    `This account made ${totalDocs} review decision${totalDocs === 1 ? '' : 's'} that the audit trail keeps, so it cannot be deleted. Remove its roles to end its access.`,
    409,
    { reviewEvents: totalDocs },
    true,
  )
}
