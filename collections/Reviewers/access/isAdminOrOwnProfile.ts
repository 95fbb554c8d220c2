import type { Access } from 'payload'

import { hasRole } from '../../../src/rules/roles'

/** A board member edits their own profile; admins edit every profile. */
export const isAdminOrOwnProfile: Access = ({ req }) => {
  if (hasRole(req.user, 'admin')) return true
  if (req.user && hasRole(req.user, 'reviewer')) return { user: { equals: req.user.id } }
  return false
}
