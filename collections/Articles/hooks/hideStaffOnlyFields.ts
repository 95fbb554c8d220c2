import type { CollectionAfterReadHook } from 'payload'

import { isStaffUser } from '../../../src/rules/roles'

/**
 * Payload 3.90 applies field read access to `approvals` (an array) but still returns it as `[]`;
 * with a quorum in pending mode it would tell the public who has approved so far. The public
 * never gets it.
 */
export const hideStaffOnlyFields: CollectionAfterReadHook = ({ doc, req }) => {
  if (isStaffUser(req.user) || !doc || typeof doc !== 'object') return doc
  delete (doc as { approvals?: unknown }).approvals
  return doc
}
