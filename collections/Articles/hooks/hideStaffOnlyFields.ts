import type { CollectionAfterReadHook } from 'payload'

import { isStaffUser } from '../../../src/rules/roles'

/**
 * Payload 3.90 applies field read access to `approvals` (an array) by emptying it, not removing it:
 * the public got `approvals: []` even after a first approval of a quorum. A staff-only field should
 * not appear at all, so REST and GraphQL readers who are not staff never get it.
 */
export const hideStaffOnlyFields: CollectionAfterReadHook = ({ doc, req }) => {
  // Server code (hooks, the site) reads through the Local API and may need the field.
  if (req.payloadAPI === 'local' || isStaffUser(req.user) || !doc || typeof doc !== 'object') return doc
  delete (doc as { approvals?: unknown }).approvals
  return doc
}
