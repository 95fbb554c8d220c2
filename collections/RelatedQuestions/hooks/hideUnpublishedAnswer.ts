import type { FieldHook } from 'payload'

import { isStaffUser } from '../../../src/rules/roles'

/**
 * A related question links to its answer only when the reader may read that answer; otherwise the
 * public would learn that an unpublished article exists.
 */
export const hideUnpublishedAnswer: FieldHook = async ({ value, req }) => {
  // A populated answer was already read with the reader's access.
  if (value === null || value === undefined || typeof value === 'object' || isStaffUser(req.user)) return value
  const { totalDocs } = await req.payload.count({
    collection: 'articles',
    where: { id: { equals: value } },
    overrideAccess: false,
    req,
  })
  return totalDocs > 0 ? value : null
}
