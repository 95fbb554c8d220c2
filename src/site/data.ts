import config from '@payload-config'
import { getPayload, type Where } from 'payload'
import { cache } from 'react'

import type { Article, EditorialPolicy, Reviewer } from '../payload-types'

/** Everything the public site reads, read as the public reads it (no user, access enforced). */
const payload = () => getPayload({ config })

export const PAGE_SIZE = 20

export const listArticles = async (query: string, page: number) => {
  const where: Where | undefined = query ? { question: { like: query } } : undefined
  return (await payload()).find({
    collection: 'articles',
    where,
    page,
    limit: PAGE_SIZE,
    sort: '-lastUpdated',
    depth: 0,
    overrideAccess: false,
    select: { question: true, slug: true, lastUpdated: true, reviewStatus: true },
  })
}

/**
 * One read per request (the page and its metadata share it). Depth 2 reaches the answers of related
 * questions, of which the page needs only the slug to link them.
 */
export const getArticleBySlug = cache(async (slug: string): Promise<Article | undefined> => {
  const { docs } = await (await payload()).find({
    collection: 'articles',
    where: { slug: { equals: slug } },
    limit: 1,
    depth: 2,
    populate: { articles: { slug: true } },
    overrideAccess: false,
  })
  return docs[0]
})

export const getPolicy = async (): Promise<EditorialPolicy> =>
  (await payload()).findGlobal({ slug: 'editorial-policy', depth: 0, overrideAccess: false })

export const getBoard = async (): Promise<Reviewer[]> =>
  (await (await payload()).find({ collection: 'reviewers', sort: 'name', limit: 200, depth: 0, overrideAccess: false })).docs
