import type { GraphQLFieldResolver, GraphQLObjectType, GraphQLSchema } from 'graphql'
import { NotFound, type PayloadRequest } from 'payload'

import { isStaffUser } from '../rules/roles'
import { countLive, liveByArticleId, listLive, shapeDocument } from './read'

/*
 * GraphQL for the public reads editions too: Payload's schema stays as generated, but the article
 * queries answer anyone who is not staff from the live editions, and the fields that would fetch a
 * linked document (references, related questions, the reviewer, rich text population) return what
 * the edition holds instead of reading the live reference library.
 */

type Context = { req: PayloadRequest }
type Resolver = GraphQLFieldResolver<unknown, Context, Record<string, unknown>>

const fromEdition = new WeakSet<object>()

/** Marks a public document and everything in it as edition content. */
const mark = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    fromEdition.add(value as object)
    for (const item of Array.isArray(value) ? value : Object.values(value as Record<string, unknown>)) mark(item)
  }
  return value
}

const isPublic = (context: Context) => !isStaffUser(context.req.user)

/** GraphQL spells the boolean operators in capitals. */
const restWhere = (where: unknown): unknown => {
  if (Array.isArray(where)) return where.map(restWhere)
  if (!where || typeof where !== 'object') return where
  return Object.fromEntries(Object.entries(where).map(([key, value]) => [key === 'AND' ? 'and' : key === 'OR' ? 'or' : key, key === 'AND' || key === 'OR' ? restWhere(value) : value]))
}

const queries = {
  Article: (async (_parent, args, context) => {
    const live = await liveByArticleId(context.req.payload, String(args.id))
    if (!live) throw new NotFound(context.req.t)
    return mark(shapeDocument(live, { depth: 2 }))
  }) as Resolver,
  Articles: (async (_parent, args, context) => {
    const page = await listLive(
      context.req.payload,
      {
        where: restWhere(args.where),
        sort: typeof args.sort === 'string' ? args.sort : undefined,
        limit: typeof args.limit === 'number' ? args.limit : undefined,
        page: typeof args.page === 'number' ? args.page : undefined,
        pagination: typeof args.pagination === 'boolean' ? args.pagination : undefined,
        depth: 2,
      },
      { listFields: false },
    )
    return mark(page.docs) && page
  }) as Resolver,
  countArticles: (async (_parent, args, context) => ({ totalDocs: await countLive(context.req.payload, restWhere(args.where)) })) as Resolver,
}

/** Fields whose resolvers would read a linked document; for edition content they return what it holds. */
const HELD_FIELDS: Record<string, string[]> = {
  Article: ['references', 'relatedQuestions', 'reviewedBy', 'assignedReviewer', 'authors', 'approvals', 'bottomLine', 'body'],
  RelatedQuestion: ['article'],
  Reviewer: ['user'],
}

const applied = new WeakSet<GraphQLSchema>()

export const serveEditionsInGraphQL = (schema: GraphQLSchema): void => {
  if (applied.has(schema)) return
  applied.add(schema)
  const queryFields = schema.getQueryType()!.getFields()
  for (const [name, publicResolver] of Object.entries(queries)) {
    const field = queryFields[name]
    if (!field?.resolve) throw new Error(`GraphQL query ${name} is missing: the public read path cannot be installed`)
    const staffResolver = field.resolve as Resolver
    field.resolve = ((parent, args, context, info) =>
      isPublic(context as Context) ? publicResolver(parent, args, context as Context, info) : staffResolver(parent, args, context as Context, info)) as typeof field.resolve
  }
  for (const [typeName, fieldNames] of Object.entries(HELD_FIELDS)) {
    const type = schema.getType(typeName) as GraphQLObjectType | undefined
    if (!type) continue
    const fields = type.getFields()
    for (const fieldName of fieldNames) {
      const field = fields[fieldName]
      if (!field) continue
      const original = field.resolve
      field.resolve = ((parent, args, context, info) => {
        if (parent && typeof parent === 'object' && fromEdition.has(parent)) return (parent as Record<string, unknown>)[fieldName] ?? null
        return original ? original(parent, args, context, info) : (parent as Record<string, unknown> | null)?.[fieldName]
      }) as typeof field.resolve
    }
  }
}
