import { APIError, type CollectionAfterOperationHook } from 'payload'

/**
 * Payload applies a bulk update (`PATCH /api/articles?where=…`) to each article on its own and
 * commits the ones that passed. A review workflow needs all or nothing: if the guard refused any
 * article, throwing here rolls the whole operation's transaction back.
 */
export const requireWholeBulkUpdate: CollectionAfterOperationHook = ({ operation, result }) => {
  if (operation !== 'update') return result
  const errors = (result as { errors?: { id: unknown; message: string }[] }).errors ?? []
  if (errors.length === 0) return result
  const reasons = errors.map((error) => `article ${String(error.id)}: ${error.message}`).join('; ')
  throw new APIError(`No article was changed, because the update was refused for ${reasons}`, 400, undefined, true)
}
