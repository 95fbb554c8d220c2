import type { GlobalAfterChangeHook } from 'payload'

import { clearPolicyCache } from '../../../src/workflow/policy'

export const clearCachedPolicy: GlobalAfterChangeHook = ({ doc, req }) => {
  clearPolicyCache(req.payload)
  return doc
}
