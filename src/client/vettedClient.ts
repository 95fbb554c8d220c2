/**
 * A typed client for frontends, on `@payloadcms/sdk` and the generated `payload-types.ts`: copy it
 * (with the types) into a frontend, or import it. Everything here is what an anonymous reader gets.
 */
import { PayloadSDK } from '@payloadcms/sdk'

import type { Article, Config, EditorialPolicy, Reference, RelatedQuestion, Reviewer } from '../payload-types'

export type VettedClient = ReturnType<typeof createVettedClient>

/** An article at depth 1: its references, related questions and reviewer arrive populated. */
export type PublishedArticle = Omit<Article, 'references' | 'relatedQuestions' | 'reviewedBy'> & {
  references: Pick<Reference, 'id' | 'type' | 'title' | 'authors' | 'publisher' | 'year' | 'doi' | 'pmid' | 'url'>[]
  relatedQuestions: (Pick<RelatedQuestion, 'id' | 'question' | 'slug'> & { article?: number | null })[]
  reviewedBy: Pick<Reviewer, 'id' | 'name' | 'slug' | 'credentials' | 'specialties'> | null
}

export const createVettedClient = (baseURL: string, init?: RequestInit) => {
  const sdk = new PayloadSDK<Config>({ baseURL, baseInit: init })
  return {
    sdk,

    /** The published article answering one question, or null. */
    articleBySlug: async (slug: string): Promise<PublishedArticle | null> => {
      const { docs } = await sdk.find({ collection: 'articles', where: { slug: { equals: slug } }, depth: 1, limit: 1 })
      return (docs[0] as unknown as PublishedArticle | undefined) ?? null
    },

    /** Newest first; `search` matches words of the question. */
    listArticles: ({ page = 1, limit = 20, search }: { page?: number; limit?: number; search?: string } = {}) =>
      sdk.find({
        collection: 'articles',
        where: search ? { question: { like: search } } : undefined,
        select: { question: true, slug: true, reviewStatus: true, lastUpdated: true, specialties: true },
        sort: '-lastUpdated',
        page,
        limit,
        depth: 0,
      }),

    /** The active members of the medical advisory board. */
    advisoryBoard: async () => (await sdk.find({ collection: 'reviewers', sort: 'name', limit: 100, depth: 0 })).docs,

    policy: (): Promise<EditorialPolicy> => sdk.findGlobal({ slug: 'editorial-policy' }) as Promise<EditorialPolicy>,
  }
}
