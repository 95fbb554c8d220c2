export default async function globalTeardown(): Promise<void> {
  const server = globalThis.__vettedE2E?.server
  if (!server) return
  server.child.kill('SIGTERM')
  await server.exited
}
