import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildConfig } from 'payload'

import { Articles } from '../collections/Articles'
import { Editions } from '../collections/Editions'
import { LiveEditions } from '../collections/LiveEditions'
import { References } from '../collections/References'
import { RelatedQuestions } from '../collections/RelatedQuestions'
import { ReviewEvents } from '../collections/ReviewEvents'
import { Reviewers } from '../collections/Reviewers'
import { Users } from '../collections/Users'
import { EditorialPolicy } from '../globals/EditorialPolicy'
import { articleBodyEditor } from '../collections/Articles/editor'
import { rejectMalformedIds } from '../hooks/rejectMalformedIds'
import { createDatabaseAdapter } from './db/adapter'
import { requestScopePlugin } from './db/requestScope'
import { parseDatabaseUrl } from './db/databaseUrl'
import { resolveSecret } from './env'

const dirname = path.dirname(fileURLToPath(import.meta.url))

export default buildConfig({
  secret: resolveSecret(),
  serverURL: process.env.PUBLIC_URL ?? '',
  telemetry: false,
  admin: {
    user: Users.slug,
    avatar: 'default',
    // Components live beside their collections, outside src/: paths in configs start at the project root.
    importMap: { baseDir: path.resolve(dirname, '..'), importMapFile: path.resolve(dirname, 'app/(payload)/admin/importMap.js') },
    components: { beforeDashboard: ['/collections/Articles/components/ReviewDashboard#ReviewDashboard'] },
    meta: { titleSuffix: ' · Vetted' },
  },
  collections: [Articles, References, RelatedQuestions, Reviewers, ReviewEvents, Editions, LiveEditions, Users],
  globals: [EditorialPolicy],
  editor: articleBodyEditor,
  db: createDatabaseAdapter(parseDatabaseUrl(process.env.DATABASE_URL)),
  typescript: {
    outputFile: path.resolve(dirname, 'payload-types.ts'),
    autoGenerate: false,
  },
  plugins: [rejectMalformedIds, requestScopePlugin],
  graphQL: {
    schemaOutputFile: path.resolve(dirname, 'generated-schema.graphql'),
  },
  // Refused queries and invalid input are the caller's mistake, not the server's: no stack traces.
  loggingLevels: { APIError: 'info', QueryError: 'info', ValidationError: 'info' },
  logger: process.env.NODE_ENV === 'test' ? { options: { level: process.env.LOG_LEVEL ?? 'error' } } : undefined,
})
