import type { CollectionBeforeOperationHook, PayloadRequest, Where } from 'payload'

import { lockArticles } from '../../../src/workflow/articleLock'
import type { Id } from '../../../src/rules/workflow'
import { clearRestoring, isPublishing, markRestoring } from './workflowContext'

/**
 * Takes the articles' workflow lock before Payload reads them (this hook runs inside the
 * operation's transaction, before the read), so every write is decided against the latest state.
 */
export const lockForWorkflow: CollectionBeforeOperationHook = async ({ args, operation, req }) => {
  if (operation !== 'update' && operation !== 'restoreVersion') return args
  const { id, where } = args as { id?: Id | null; where?: Where }
  if (isPublishing(req, id)) return args
  if (id !== undefined && id !== null) {
    const articleId = operation === 'restoreVersion' ? await parentOfVersion(req, id) : id
    if (articleId === null) return args
    clearRestoring(req, [articleId])
    await lockArticles(req, [articleId])
    if (operation === 'restoreVersion') markRestoring(req, articleId)
    return args
  }
  if (!where) return args
  const locked = await idsMatching(req, where)
  clearRestoring(req, locked)
  await lockArticles(req, locked)
  // Payload matches `where` again once the locks are held; an article that began to match
  // meanwhile was not locked, so the update is held to the ones that were.
  return { ...args, where: { and: [where, { id: { in: locked.length > 0 ? locked : [0] } }] } }
}

const parentOfVersion = async (req: PayloadRequest, versionId: Id): Promise<Id | null> => {
  const version = await req.payload
    .findVersionByID({ collection: 'articles', id: String(versionId), depth: 0, overrideAccess: true, req, disableErrors: true })
    .catch(() => null)
  if (!version) return null
  const parent = version.parent as unknown
  return parent !== null && typeof parent === 'object' ? (parent as { id: Id }).id : (parent as Id)
}

/** Every article a bulk update may touch, by its published and its draft state. */
const idsMatching = async (req: PayloadRequest, where: Where): Promise<Id[]> => {
  const ids = new Set<Id>()
  for (const draft of [false, true]) {
    const { docs } = await req.payload.find({ collection: 'articles', where, draft, depth: 0, pagination: false, overrideAccess: true, req, select: { question: true } })
    for (const doc of docs) ids.add(doc.id)
  }
  return [...ids]
}
