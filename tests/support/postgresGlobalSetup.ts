import { startEmbeddedPostgres, type RunningPostgres } from './embeddedPostgres'

declare global {
  var __vettedPostgres: RunningPostgres | undefined
}

/** Uses TEST_POSTGRES_URL when it names a server; otherwise starts one for this run. */
export default async function postgresGlobalSetup(): Promise<void> {
  if (process.env.TEST_POSTGRES_URL) return
  const server = await startEmbeddedPostgres()
  globalThis.__vettedPostgres = server
  process.env.TEST_POSTGRES_URL = server.url
}
