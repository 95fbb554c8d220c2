import config from '@payload-config'
import { getPayload } from 'payload'
import { cache } from 'react'

import { liveBySlug, listLive, shapeDocument } from '../delivery/read'
import { publicEditionHistory } from '../delivery/history'
import type { PublicRelatedQuestion, PublicReference, PublicReviewer } from '../delivery/document'
import type { EditorialPolicy, Reviewer } from '../payload-types'

/** Everything the public site reads: articles from their live editions, as the public API serves them. */
const payload = () => getPayload({ config })

export const PAGE_SIZE = 20

export type ListedArticle = { id: number | string; question: string; slug: string; lastUpdated?: string | null; reviewStatus: string }

export const listArticles = async (query: string, page: number) => {
  const result = await listLive(
    await payload(),
    {
      where: query ? { question: { like: query } } : undefined,
      sort: '-lastUpdated',
      limit: PAGE_SIZE,
      page,
      depth: 0,
      select: { question: true, slug: true, lastUpdated: true, reviewStatus: true },
    },
    { listFields: true },
  )
  return { ...result, docs: result.docs as unknown as ListedArticle[] }
}

export type SiteRelatedQuestion = Omit<PublicRelatedQuestion, 'article'> & { article: { id: number | string; slug: string; question: string } | null }
export type SiteArticle = {
  id: number | string
  question: string
  slug: string
  bottomLine: unknown
  plainLanguageAnswer: string | null
  body: unknown
  references: PublicReference[]
  relatedQuestions: SiteRelatedQuestion[]
  reviewedBy: PublicReviewer | null
  reviewStatus: string
  reviewedAt: string | null
  lastUpdated: string | null
  nextReviewDue: string | null
  updatedAt: string
}

/** One read per request (the page and its metadata share it): the live edition, with the answers of its related questions. */
export const getArticleBySlug = cache(async (slug: string): Promise<SiteArticle | undefined> => {
  const live = await liveBySlug(await payload(), slug)
  return live ? (shapeDocument(live, { depth: 2 }) as unknown as SiteArticle) : undefined
})

export const getEditionHistory = async (articleId: number | string) => publicEditionHistory(await payload(), articleId)

export const getPolicy = async (): Promise<EditorialPolicy> =>
  (await payload()).findGlobal({ slug: 'editorial-policy', depth: 0, overrideAccess: false })

export const getBoard = async (): Promise<Reviewer[]> =>
  (await (await payload()).find({ collection: 'reviewers', sort: 'name', limit: 200, depth: 0, overrideAccess: false })).docs
