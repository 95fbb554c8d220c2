import type { PayloadRequest } from 'payload'

import type { Id } from '../../../src/rules/workflow'

/*
 * What the workflow notes on `req.context`, always per article: Payload's bulk update runs the
 * articles of one request in parallel on one shared `req`, and one GraphQL document runs several
 * mutations on it, so a request-wide flag set for one article leaks into the others.
 */

const publishingKey = (id: Id) => `vetted:publishing:${String(id)}`
const restoringKey = (id: Id) => `vetted:restoring:${String(id)}`
const decidedContentKey = (id: Id) => `vetted:decidedContent:${String(id)}`
const unpublishingKey = (id: Id) => `vetted:unpublishing:${String(id)}`

/** True while the workflow itself publishes or withdraws this article (no guard applies). */
export const isPublishing = (req: PayloadRequest, id: Id | undefined | null): boolean =>
  id !== undefined && id !== null && req.context[publishingKey(id)] === true

export const whilePublishing = async <T>(req: PayloadRequest, id: Id, work: () => Promise<T>): Promise<T> => {
  req.context[publishingKey(id)] = true
  try {
    return await work()
  } finally {
    delete req.context[publishingKey(id)]
  }
}

/** Set when a version restore of this article begins; the restore's own save consumes it. */
export const markRestoring = (req: PayloadRequest, id: Id): void => {
  req.context[restoringKey(id)] = true
}

export const consumeRestoring = (req: PayloadRequest, id: Id | undefined | null): boolean => {
  if (id === undefined || id === null || req.context[restoringKey(id)] !== true) return false
  delete req.context[restoringKey(id)]
  return true
}

/**
 * A write that is not the restore's own save clears the articles' marks (a restore that failed
 * before saving leaves its mark behind). Payload's own request-wide `isRestoringVersion` is cleared
 * for every write by `noteRequestInScope` (src/db/requestScope.ts).
 */
export const clearRestoring = (req: PayloadRequest, ids: Id[]): void => {
  for (const id of ids) delete req.context[restoringKey(id)]
}

/** Whether the guard decided that this write changes the article's content. */
export const noteDecidedContent = (req: PayloadRequest, id: Id, changed: boolean): void => {
  req.context[decidedContentKey(id)] = changed
}

export const takeDecidedContent = (req: PayloadRequest, id: Id): boolean | undefined => {
  const decided = req.context[decidedContentKey(id)] as boolean | undefined
  delete req.context[decidedContentKey(id)]
  return decided
}

/** Set when an admin's Unpublish of this article begins; its save withdraws the public copy. */
export const markUnpublishing = (req: PayloadRequest, id: Id | undefined): void => {
  if (id !== undefined && id !== null) req.context[unpublishingKey(id)] = true
}

export const consumeUnpublishing = (req: PayloadRequest, id: Id): boolean => {
  const marked = req.context[unpublishingKey(id)] === true
  delete req.context[unpublishingKey(id)]
  return marked
}
