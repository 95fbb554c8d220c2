import type { CollectionAfterChangeHook } from 'payload'

import { versionsWrittenBy } from '../../../src/db/instrument'
import { publishEdition, withdrawEdition } from '../../../src/delivery/editions'
import type { Outcome } from '../../../src/rules/workflow'
import { outcomeKey } from './enforceReviewTransition'
import { isPublishing, whilePublishing } from './workflowContext'

type RecordedOutcome = Outcome & { comment?: string }

/**
 * After the revision is saved: publish it and write its edition, or withdraw the public copy, when
 * the decision says so; then write the one review event, pointing at the edition it published. All
 * of it uses the request's transaction, so if any part fails the whole change rolls back.
 */
export const recordReviewEvent: CollectionAfterChangeHook = async ({ doc, operation, previousDoc, req }) => {
  if (isPublishing(req, doc.id)) return doc
  const key = outcomeKey(operation === 'create' ? undefined : (previousDoc?.id ?? doc.id))
  const outcome = req.context[key] as RecordedOutcome | undefined
  delete req.context[key]
  if (!outcome?.action) return doc

  let result = doc
  let edition: { id: number | string } | undefined
  if (outcome.publication !== 'keep') {
    result = await whilePublishing(req, doc.id, () =>
      req.payload.update({
        collection: 'articles',
        id: doc.id,
        data: { _status: outcome.publication === 'publish' ? 'published' : 'draft' },
        draft: false,
        depth: 0,
        overrideAccess: true,
        req,
      }),
    )
  }

  // The version this operation wrote last: the published one when it published, else the draft.
  const written = versionsWrittenBy(req, 'articles', doc.id)
  const version = written[written.length - 1] === undefined ? undefined : String(written[written.length - 1])
  if (outcome.publication === 'publish') {
    edition = await publishEdition(req, doc.id, { kind: outcome.to === 'approved' ? 'reviewed' : 'unreviewed', version })
  } else if (outcome.publication === 'withdraw') {
    await withdrawEdition(req, doc.id, `Changes requested (${outcome.from} → ${outcome.to})`)
  }

  const comment = [outcome.note, outcome.comment].filter(Boolean).join(' — ') || undefined
  await req.payload.create({
    collection: 'review-events',
    data: {
      article: doc.id,
      version,
      edition: edition?.id as number | undefined,
      action: outcome.action,
      from: outcome.from === 'new' ? undefined : outcome.from,
      to: outcome.to,
      actor: req.user?.id,
      comment,
    },
    depth: 0,
    overrideAccess: true,
    req,
  })
  return { ...result, reviewStatus: outcome.to }
}
