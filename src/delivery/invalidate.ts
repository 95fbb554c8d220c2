import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, GlobalAfterChangeHook, PayloadRequest } from 'payload'

import { notifyPublicChange } from '../cluster/notify'
import { invalidatePublicResponses } from './responseCache'

/**
 * What the public reads changed (an edition was written or withdrawn, the policy or a public
 * profile changed): clears this process's cache now, and on PostgreSQL every replica's (this one's
 * again) once the write commits, since the notification is sent inside the write's transaction.
 * Nothing else clears it: draft saves, staff-only changes and refused writes leave it warm.
 */
export const publicContentChanged = async (req: PayloadRequest): Promise<void> => {
  invalidatePublicResponses()
  await notifyPublicChange(req)
}

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
