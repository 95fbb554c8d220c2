import type { CollectionAfterChangeHook, CollectionBeforeDeleteHook } from 'payload'

import { withdrawEdition } from '../../../src/delivery/editions'
import { consumeUnpublishing, isPublishing } from './workflowContext'

/** An admin's Unpublish takes the article off the public site: its current edition is withdrawn. */
export const withdrawOnUnpublish: CollectionAfterChangeHook = async ({ doc, operation, req }) => {
  if (operation !== 'update' || isPublishing(req, doc.id) || !consumeUnpublishing(req, doc.id)) return doc
  if (doc._status === 'draft') await withdrawEdition(req, doc.id, 'Unpublished by an admin')
  return doc
}

/** Runs after `keepAuditTrail`: an article that may be deleted loses its public copy first. */
export const withdrawBeforeDelete: CollectionBeforeDeleteHook = async ({ id, req }) => {
  await withdrawEdition(req, id, 'Article deleted')
}
