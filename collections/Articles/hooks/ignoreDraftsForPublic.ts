import type { CollectionBeforeOperationHook } from 'payload'

import { isStaffUser } from '../../../src/rules/roles'

/**
 * `draft=true` asks for the newest revision. The public may only ever read the published one, so
 * for them the flag is dropped: they get the same answer as without it, never an empty one.
 */
export const ignoreDraftsForPublic: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if (operation === 'read' && args.draft && args.overrideAccess !== true && !isStaffUser(req.user)) {
    return { ...args, draft: false }
  }
  return args
}
