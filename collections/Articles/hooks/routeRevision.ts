import { APIError, type CollectionBeforeOperationHook } from 'payload'

import { hasRole } from '../../../src/rules/roles'
import { isPublishing, markUnpublishing } from './workflowContext'


/**
 * Every write by a person is saved as a draft revision: the published copy changes only when the
 * workflow publishes an approved revision (or, in pending mode, a submitted one). Publish buttons,
 * `draft=false`, `_status: "published"` and GraphQL all land here; version restores must be drafts. The one
 * exception is an admin withdrawing the public copy (Unpublish).
 */
export const routeRevision: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if (isPublishing(req, (args as { id?: number | string }).id)) return args
  if (operation === 'restoreVersion') {
    // Payload reads the restore's `draft` flag before this hook runs, so it cannot be forced here.
    if (!args.draft) {
      throw new APIError('Restore as a draft (?draft=true): a restored revision goes through review before it is published', 400, undefined, true)
    }
    return args
  }
  if (operation !== 'create' && operation !== 'update') return args
  const data = { ...(args.data as Record<string, unknown> | undefined) }
  const isUnpublish = operation === 'update' && !args.draft && data._status === 'draft' && hasRole(req.user, 'admin')
  if (isUnpublish) {
    markUnpublishing(req, (args as { id?: number | string }).id)
    return args
  }
  delete data._status
  return { ...args, draft: true, data }
}
