import { configToSchema } from '@payloadcms/graphql'
import { createHandler } from 'graphql-http/lib/use/fetch'
import {
  addDataAndFileToRequest,
  addLocalesToRequestFromData,
  createPayloadRequest,
  headersWithCors,
  logError,
  type PayloadRequest,
  type SanitizedConfig,
} from 'payload'
import { GraphQLError } from 'graphql'

import { BUSY_MESSAGE, noteContention, RETRY_MESSAGE } from '../db/contention'
import { serveEditionsInGraphQL } from '../delivery/graphql'

type Schema = ReturnType<typeof configToSchema>

const schemas = new WeakMap<SanitizedConfig, Schema>()

const schemaFor = (config: SanitizedConfig): Schema => {
  let schema = schemas.get(config)
  if (!schema) {
    schema = configToSchema(config)
    serveEditionsInGraphQL(schema.schema)
    schemas.set(config, schema)
  }
  return schema
}

/** Internal errors reach the caller as a message without details; Payload's own errors keep theirs. */
const formatError = (err: GraphQLError, req: PayloadRequest) => {
  const original = err.originalError as (Error & { status?: number; data?: unknown }) | undefined
  const contention = original ? noteContention(original) : null
  if (contention) {
    const message = contention === 'retryable' ? RETRY_MESSAGE : BUSY_MESSAGE
    return new GraphQLError(message, { nodes: err.nodes, source: err.source, positions: err.positions, path: err.path, extensions: { name: 'DatabaseBusy', statusCode: 503 } })
  }
  const status = original?.status ?? (original ? 500 : 400)
  if (status >= 500) logError({ err: original ?? err, payload: req.payload })
  return new GraphQLError(status >= 500 && !req.payload.config.debug ? 'Something went wrong.' : err.message, {
    nodes: err.nodes,
    source: err.source,
    positions: err.positions,
    path: err.path,
    extensions: { name: original?.name, data: original?.data, statusCode: status },
  })
}

/** Payload's GraphQL endpoint for any Fetch-style server (what `GRAPHQL_POST` does inside Next). */
export const handleGraphQL = async (config: Promise<SanitizedConfig>, request: Request): Promise<Response> => {
  const originalRequest = request.clone()
  const req = await createPayloadRequest({ canSetHeaders: true, config, request })
  await addDataAndFileToRequest(req)
  addLocalesToRequestFromData(req)
  const { schema, validationRules } = schemaFor(req.payload.config)
  const headers: Record<string, string> = {}
  const response = await createHandler({
    schema,
    context: { headers, req },
    validationRules: (_request, args, defaultRules) => defaultRules.concat(validationRules(args)),
    onOperation: (_request, _args, result) =>
      result.errors ? { ...result, errors: result.errors.map((err) => formatError(err, req)) } : result,
  })(originalRequest)
  const responseHeaders = headersWithCors({ headers: new Headers(response.headers), req })
  for (const [key, value] of Object.entries(headers)) responseHeaders.append(key, value)
  req.responseHeaders?.forEach((value, key) => responseHeaders.append(key, value))
  return new Response(response.body, { status: response.status, headers: responseHeaders })
}
