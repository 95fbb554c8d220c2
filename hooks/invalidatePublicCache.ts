import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, GlobalAfterChangeHook, PayloadRequest } from 'payload'

import { notifyPublicChange } from '../src/cluster/notify'
import { invalidatePublicResponses } from '../src/server/responseCache'

/**
 * Clears this process's cache now, and on PostgreSQL every replica's (this one's again) once the
 * write commits: the notification is sent inside the write's transaction.
 */
const publicContentChanged = async (req: PayloadRequest) => {
  invalidatePublicResponses()
  await notifyPublicChange(req)
}

/** Any write to content the public can see (approvals and unpublishing included) clears the response cache. */
export const invalidatePublicCacheAfterChange: CollectionAfterChangeHook = async ({ doc, req }) => {
  await publicContentChanged(req)
  return doc
}

export const invalidatePublicCacheAfterDelete: CollectionAfterDeleteHook = async ({ doc, req }) => {
  await publicContentChanged(req)
  return doc
}

export const invalidatePublicCacheAfterGlobalChange: GlobalAfterChangeHook = async ({ doc, req }) => {
  await publicContentChanged(req)
  return doc
}
