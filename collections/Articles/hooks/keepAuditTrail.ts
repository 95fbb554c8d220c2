import { APIError, type CollectionBeforeDeleteHook } from 'payload'

/**
 * The review trail is append-only and points at its article, so an article that has been through
 * the workflow is withdrawn, not deleted.
 */
export const keepAuditTrail: CollectionBeforeDeleteHook = async ({ id, req }) => {
  const { totalDocs } = await req.payload.count({ collection: 'review-events', where: { article: { equals: id } }, overrideAccess: true, req })
  if (totalDocs === 0) return
  throw new APIError(
    `This article has ${totalDocs} review event${totalDocs === 1 ? '' : 's'}, and the audit trail keeps them, so it cannot be deleted. Unpublish it to withdraw it from the public.`,
    409,
    { reviewEvents: totalDocs },
    true,
  )
}
