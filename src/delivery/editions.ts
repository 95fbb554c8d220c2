import type { PayloadRequest } from 'payload'

import { publicStates, type Id } from '../rules/workflow'
import { holdRowsForShare } from '../workflow/articleLock'
import { getPolicy } from '../workflow/policy'
import { idOf, idsOf } from '../rules/ids'
import { contentHashOf, linkedArticleIds, linksOf, publicDocumentOf, type PublicArticle } from './document'
import { publicContentChanged } from './invalidate'

export type EditionKind = 'reviewed' | 'unreviewed'

type LiveRow = { id: Id; edition: unknown; document: string; changes?: unknown }

/** The live (public) row of an article, read in the request's transaction. */
export const liveRowOf = async (req: PayloadRequest, article: Id): Promise<LiveRow | undefined> => {
  const { docs } = await req.payload.find({
    collection: 'live-editions',
    where: { article: { equals: article } },
    limit: 1,
    depth: 0,
    pagination: false,
    overrideAccess: true,
    req,
  })
  return docs[0] as LiveRow | undefined
}

/** Which of these articles the public can read now (a live edition the policy shows), with their slug and question. */
const publicAnswersAmong = async (req: PayloadRequest, ids: Id[]): Promise<Answers> => {
  if (ids.length === 0) return {}
  const { publicVisibility } = await getPolicy(req)
  const { docs } = await req.payload.find({
    collection: 'live-editions',
    where: { and: [{ article: { in: ids } }, { reviewStatus: { in: publicStates(publicVisibility) } }] },
    limit: ids.length,
    depth: 0,
    pagination: false,
    overrideAccess: true,
    select: { article: true, slug: true, question: true, reviewStatus: true },
    req,
  })
  const answers: Answers = {}
  for (const row of docs as unknown as { article: unknown; slug: string; question: string; reviewStatus: string }[]) {
    const id = idOf(row.article)
    if (id !== null) answers[String(id)] = { id, slug: row.slug, question: row.question, reviewStatus: row.reviewStatus }
  }
  return answers
}

/** The public articles an edition links to, with the review status each had then (a policy change may hide it). */
export type Answers = Record<string, { id: Id; slug: string; question: string; reviewStatus: string }>

/**
 * The public document of the article's published revision as it reads now, with linked documents
 * as they are now, and the public articles its related questions link to.
 */
export const buildPublicDocument = async (
  req: PayloadRequest,
  articleId: Id,
  publicArticles?: Answers,
): Promise<{ doc: PublicArticle; answers: Answers }> => {
  const article = (await req.payload.findByID({
    collection: 'articles',
    id: articleId,
    depth: 1,
    draft: false,
    overrideAccess: true,
    req,
  })) as unknown as Record<string, unknown>
  const related = Array.isArray(article.relatedQuestions) ? article.relatedQuestions : []
  const linkedArticles = [
    ...related.map((question: { article?: unknown }) => idOf(question?.article)),
    ...linkedArticleIds(article.bottomLine),
    ...linkedArticleIds(article.body),
  ].filter((id): id is Id => id !== null && id !== undefined)
  const answers = publicArticles ? { ...publicArticles } : await publicAnswersAmong(req, linkedArticles)
  answers[String(articleId)] = { id: articleId, slug: String(article.slug), question: String(article.question), reviewStatus: String(article.reviewStatus) }
  const doc = publicDocumentOf(article, (id) => answers[String(id)])
  const shown = new Set([...doc.relatedQuestions.map((question) => question.article), ...linkedArticleIds(doc.bottomLine), ...linkedArticleIds(doc.body)].map(String))
  return { doc, answers: Object.fromEntries(Object.entries(answers).filter(([id]) => shown.has(id))) }
}

const liveColumns = (doc: PublicArticle) => ({
  slug: doc.slug,
  question: doc.question,
  reviewStatus: String(doc.reviewStatus),
  specialties: Array.isArray(doc.specialties) ? doc.specialties : [],
  reviewedBy: idOf(doc.reviewedBy),
  reviewedAt: doc.reviewedAt ?? null,
  lastUpdated: doc.lastUpdated ?? null,
  nextReviewDue: doc.nextReviewDue ?? null,
  articleCreatedAt: doc.createdAt ?? null,
  articleUpdatedAt: doc.updatedAt ?? null,
  links: linksOf(doc),
  document: JSON.stringify(doc),
})

/**
 * Writes the edition of the article's published revision and makes it the public copy, in the
 * request's transaction: if anything after this fails, neither lands. The caller holds the
 * article's workflow lock.
 */
export const publishEdition = async (
  req: PayloadRequest,
  articleId: Id,
  { kind, version, publicArticles }: { kind: EditionKind; version: string | undefined; publicArticles?: Answers },
): Promise<{ id: Id; contentHash: string }> => {
  const raw = (await req.payload.findByID({ collection: 'articles', id: articleId, depth: 0, draft: false, overrideAccess: true, req })) as unknown as {
    approvals?: { reviewer?: unknown }[]
    references?: unknown
    relatedQuestions?: unknown
    reviewedBy?: unknown
  }
  await holdRowsForShare(req, 'references', idsOf(raw.references))
  await holdRowsForShare(req, 'related_questions', idsOf(raw.relatedQuestions))
  await holdRowsForShare(req, 'reviewers', [idOf(raw.reviewedBy)].filter((id): id is Id => id !== null))
  const { doc, answers } = await buildPublicDocument(req, articleId, publicArticles)
  const contentHash = contentHashOf(doc)
  const approverIds = kind === 'reviewed' ? idsOf((raw.approvals ?? []).map((approval) => approval?.reviewer)) : []
  const approvers = approverIds.length
    ? (
        await req.payload.find({
          collection: 'reviewers',
          where: { id: { in: approverIds } },
          pagination: false,
          depth: 0,
          overrideAccess: true,
          select: { name: true, credentials: true },
          req,
        })
      ).docs.map((profile) => ({ id: profile.id, name: profile.name, credentials: profile.credentials }))
    : []
  const edition = await req.payload.create({
    collection: 'editions',
    data: {
      article: articleId as number,
      version,
      kind,
      reviewStatus: String(doc.reviewStatus),
      question: doc.question,
      slug: doc.slug,
      approvers,
      reviewer: doc.reviewedBy ? [doc.reviewedBy.name, doc.reviewedBy.credentials].filter(Boolean).join(', ') : null,
      reviewedAt: (doc.reviewedAt as string | null | undefined) ?? null,
      decidedBy: typeof req.user?.id === 'number' ? req.user.id : null,
      document: doc,
      answers,
      contentHash,
      publishedAt: new Date().toISOString(),
    },
    depth: 0,
    overrideAccess: true,
    req,
  })
  const linksUnreviewed = Object.entries(answers).some(([id, answer]) => id !== String(articleId) && answer.reviewStatus !== 'approved')
  const data = { ...liveColumns(doc), answers: JSON.stringify(answers), linksUnreviewed, edition: edition.id, etag: contentHash, needsReReview: false, changes: [] }
  const live = await liveRowOf(req, articleId)
  if (live) {
    await req.payload.update({ collection: 'live-editions', id: live.id, data: data as never, depth: 0, overrideAccess: true, req })
  } else {
    await req.payload.create({ collection: 'live-editions', data: { ...data, article: articleId } as never, depth: 0, overrideAccess: true, req })
  }
  await publicContentChanged(req)
  return { id: edition.id, contentHash }
}

/** Takes the article off the public site: its current edition is marked withdrawn and the public copy goes. */
export const withdrawEdition = async (req: PayloadRequest, articleId: Id, reason: string): Promise<void> => {
  const live = await liveRowOf(req, articleId)
  if (!live) return
  const editionId = idOf(live.edition)
  if (editionId !== null) {
    await req.payload.update({
      collection: 'editions',
      id: editionId,
      data: { withdrawnAt: new Date().toISOString(), withdrawnReason: reason },
      depth: 0,
      overrideAccess: true,
      req,
    })
  }
  await req.payload.delete({ collection: 'live-editions', id: live.id, depth: 0, overrideAccess: true, req })
  await publicContentChanged(req)
}
