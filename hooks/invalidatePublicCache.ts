import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, GlobalAfterChangeHook } from 'payload'

import { invalidatePublicResponses } from '../src/server/responseCache'

/** Any write to content the public can see (approvals and unpublishing included) clears the response cache. */
export const invalidatePublicCacheAfterChange: CollectionAfterChangeHook = ({ doc }) => {
  invalidatePublicResponses()
  return doc
}

export const invalidatePublicCacheAfterDelete: CollectionAfterDeleteHook = ({ doc }) => {
  invalidatePublicResponses()
  return doc
}

export const invalidatePublicCacheAfterGlobalChange: GlobalAfterChangeHook = ({ doc }) => {
  invalidatePublicResponses()
  return doc
}
