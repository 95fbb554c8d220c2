/**
 * The public read path: everything an anonymous reader gets comes from here.
 *
 * - `editions.ts` writes an article's edition (the public form of one approved revision, with its
 *   references, related questions and reviewer as they stand) and its live copy, in the
 *   transaction of the decision that publishes it; withdraws it on unpublish.
 * - `document.ts` is the pure part: which fields are public, the content hash, shapes by depth and
 *   `select`, the snapshot comparison behind "changed since approval".
 * - `read.ts` reads live copies (one indexed query per article; lists through Payload's query
 *   builder on the same table); `rest.ts` and `graphql.ts` serve them to everyone who is not staff.
 * - `reReview.ts` flags public articles whose references, related questions or reviewer changed.
 * - `history.ts` lists an article's reviewed editions for the public page.
 * - `responseCache.ts` and `invalidate.ts`: the in-process response cache, cleared only when
 *   editions, the policy or a public profile change.
 * - `backfill.ts` writes editions for databases from before editions (a migration calls it).
 */
export { publishEdition, withdrawEdition } from './editions'
export { publicContentChanged } from './invalidate'
export { deliverArticles, isPublicReader } from './rest'
export { serveEditionsInGraphQL } from './graphql'
