import type { Access } from 'payload'

import { isStaffUser } from '../../../src/rules/roles'

/** The public sees the active members of the advisory board; staff see every profile. */
export const activeOrStaff: Access = ({ req }) => (isStaffUser(req.user) ? true : { active: { equals: true } })
