import type { Access } from 'payload'

import { isStaffUser } from '../../../src/rules/roles'

/** Staff read every revision; the public reads published revisions only. */
export const publishedOrStaff: Access = ({ req }) => (isStaffUser(req.user) ? true : { _status: { equals: 'published' } })
