import { APIError, type CollectionAfterChangeHook } from 'payload'

import { CONTENT_FIELDS, changedContentFields } from '../../../src/rules/content'
import { isPublishing, takeDecidedContent } from './workflowContext'

/**
 * The guard decides from the request; this checks what was actually saved. If the saved revision's
 * content differs from the one it replaces while the guard saw no content change (a field Payload
 * dropped instead of keeping, whatever the path), the write is refused and rolls back: no content
 * changes without review.
 */
export const verifySavedContent: CollectionAfterChangeHook = ({ doc, previousDoc, operation, req }) => {
  if (operation !== 'update' || isPublishing(req, doc.id)) return doc
  const decided = takeDecidedContent(req, doc.id)
  if (decided !== false) return doc
  const saved = Object.fromEntries(CONTENT_FIELDS.map((field) => [field, doc[field]]))
  const changed = changedContentFields(previousDoc, saved)
  if (changed.length === 0) return doc
  throw new APIError(
    `Refused: this write would change ${changed.join(', ')} although the request did not set ${changed.length === 1 ? 'it' : 'them'}. Send the content you want saved, in full.`,
    400,
    { fields: changed },
    true,
  )
}
