import { NotFound, type CollectionBeforeOperationHook, type Plugin } from 'payload'

const isDocumentNumber = (id: unknown): boolean =>
  (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) || (typeof id === 'string' && /^[1-9]\d{0,14}$/.test(id))

/**
 * On SQL databases ids are numbers; `/api/articles/abc` would otherwise reach the driver as NaN and
 * fail as a 500. No document has such an id, so it is a 404.
 */
export const rejectMalformedId: CollectionBeforeOperationHook = ({ args, req }) => {
  const id = (args as { id?: unknown }).id
  if (id !== undefined && id !== null && req.payload.db.defaultIDType === 'number' && !isDocumentNumber(id)) {
    throw new NotFound(req.t)
  }
  return args
}

/** Adds `rejectMalformedId` to every collection. */
export const rejectMalformedIds: Plugin = (config) => ({
  ...config,
  collections: config.collections?.map((collection) => ({
    ...collection,
    hooks: { ...collection.hooks, beforeOperation: [rejectMalformedId, ...(collection.hooks?.beforeOperation ?? [])] },
  })),
})
