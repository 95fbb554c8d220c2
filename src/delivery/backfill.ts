import type { Payload, PayloadRequest } from 'payload'

import { idOf } from '../rules/ids'
import { publicStates, type Id } from '../rules/workflow'
import { getPolicy } from '../workflow/policy'
import { publishEdition, type Answers } from './editions'

const PUBLIC_STATES = new Set(['approved', 'submitted', 'under_review'])

/**
 * For databases from before editions: every published article gets an edition of its published
 * revision (reviewed when approved, unreviewed for a caution-mode submission) and its public copy.
 * Articles that already have one are left alone, so running it twice changes nothing.
 */
export const backfillEditions = async (payload: Payload, req: PayloadRequest): Promise<number> => {
  const { docs } = await payload.find({
    collection: 'articles',
    where: { _status: { equals: 'published' } },
    draft: false,
    pagination: false,
    depth: 0,
    overrideAccess: true,
    select: { reviewStatus: true, slug: true, question: true },
    req,
  })
  const published = (docs as unknown as { id: Id; reviewStatus?: string; slug: string; question: string }[]).filter((article) =>
    PUBLIC_STATES.has(String(article.reviewStatus)),
  )
  // Related questions link to every article the policy shows now, whichever is written first.
  const shown = new Set<string>(publicStates((await getPolicy(req)).publicVisibility))
  const publicArticles: Answers = Object.fromEntries(
    published.filter((article) => shown.has(String(article.reviewStatus))).map((article) => [String(article.id), { id: article.id, slug: article.slug, question: article.question, reviewStatus: String(article.reviewStatus) }]),
  )
  const { docs: live } = await payload.find({ collection: 'live-editions', pagination: false, depth: 0, overrideAccess: true, select: { article: true }, req })
  const done = new Set(live.map((row) => String(idOf((row as { article?: unknown }).article))))
  let written = 0
  for (const article of published) {
    if (done.has(String(article.id))) continue
    const { docs: versions } = await payload.findVersions({
      collection: 'articles',
      where: { and: [{ parent: { equals: article.id } }, { 'version._status': { equals: 'published' } }] },
      sort: ['-updatedAt', '-id'],
      limit: 1,
      pagination: false,
      depth: 0,
      overrideAccess: true,
      req,
    })
    const version = versions[0] ? String(versions[0].id) : undefined
    await publishEdition(req, article.id, { kind: article.reviewStatus === 'approved' ? 'reviewed' : 'unreviewed', version, publicArticles })
    written++
  }
  return written
}
