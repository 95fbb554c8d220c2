import type { Access, FieldAccess } from 'payload'

import { canEditContent, hasRole, isStaffUser } from '../src/rules/roles'

export const anyone: Access = () => true
export const nobody: Access = () => false

export const isAdmin: Access = ({ req }) => hasRole(req.user, 'admin')
export const isStaff: Access = ({ req }) => isStaffUser(req.user)
export const isEditorOrAdmin: Access = ({ req }) => canEditContent(req.user)

export const isAdminField: FieldAccess = ({ req }) => hasRole(req.user, 'admin')
export const isStaffField: FieldAccess = ({ req }) => isStaffUser(req.user)
export const nobodyField: FieldAccess = () => false

/** Admins see every account; other staff see their own. The public sees none. */
export const isAdminOrSelf: Access = ({ req }) => {
  if (hasRole(req.user, 'admin')) return true
  if (req.user) return { id: { equals: req.user.id } }
  return false
}
