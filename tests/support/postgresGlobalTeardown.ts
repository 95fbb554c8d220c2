export default async function postgresGlobalTeardown(): Promise<void> {
  await globalThis.__vettedPostgres?.stop()
}
