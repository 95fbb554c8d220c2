import type { Access, Where } from 'payload'

import { isStaffUser } from '../../../src/rules/roles'
import { publicStates } from '../../../src/rules/workflow'
import { getPolicy } from '../../../src/workflow/policy'

/**
 * Staff read every revision. The public reads published revisions whose review status the
 * editorial policy makes public: approved only, or also submitted and under review.
 */
export const publishedOrStaff: Access = async ({ req }) => {
  if (isStaffUser(req.user)) return true
  const { publicVisibility } = await getPolicy(req)
  const visible: Where = { and: [{ _status: { equals: 'published' } }, { reviewStatus: { in: publicStates(publicVisibility) } }] }
  return visible
}
