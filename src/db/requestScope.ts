import { AsyncLocalStorage } from 'node:async_hooks'
import type { CollectionBeforeOperationHook, PayloadRequest, Plugin } from 'payload'

import { reportContention } from './contention'

/**
 * What one HTTP request's Payload work shares with code that Payload calls without its `req`: the
 * request itself once an operation has begun (so a lookup Payload makes outside the request's
 * transaction can be put back inside it), and what kind of database contention ended it.
 */
export type RequestScope = {
  req?: PayloadRequest
  /** A deadlock or serialization failure rolled the request back: it may be replayed. */
  retryable?: boolean
  /** The database could not take the request in time (pool, lock or busy timeout). */
  busy?: boolean
}

type Holder = typeof globalThis & { __vettedRequestScope?: AsyncLocalStorage<RequestScope> }
const holder = globalThis as Holder
// Express's and Next's Payload instances share one store.
export const requestScope: AsyncLocalStorage<RequestScope> = (holder.__vettedRequestScope ??= new AsyncLocalStorage<RequestScope>())

export const currentScope = (): RequestScope | undefined => requestScope.getStore()

/** Every collection's operations note their request on the scope (see src/db/instrument.ts). */
export const noteRequestInScope: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  const scope = currentScope()
  if (scope) scope.req = req
  // Payload sets this request-wide flag for a version restore and never clears it; a later write in
  // the same request (one GraphQL document) would then not keep the fields it leaves out.
  if (operation === 'create' || operation === 'update' || operation === 'delete') delete req.context.isRestoringVersion
  return args
}

export const requestScopePlugin: Plugin = (config) => ({
  ...config,
  collections: config.collections?.map((collection) => ({
    ...collection,
    hooks: { ...collection.hooks, beforeOperation: [noteRequestInScope, ...(collection.hooks?.beforeOperation ?? [])] },
  })),
  hooks: { ...config.hooks, afterError: [...(config.hooks?.afterError ?? []), reportContention] },
})
