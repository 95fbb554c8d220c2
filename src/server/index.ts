import { DEMO_ACCOUNTS } from '../../seeds/demoAccounts'
import { startPlatform } from './platform'

const log = (line: string) => process.stdout.write(`${line}\n`)
const fail = (err: unknown): never => {
  process.stderr.write(`vetted: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
}

const SHUTDOWN_GRACE_MS = Number(process.env.SHUTDOWN_GRACE_MS ?? 10_000)

/**
 * Payload 3.90's query validation leaves a promise unawaited for nested relationship paths
 * (`where[reviewedBy.user.email]`): the request still gets its 400, but the stray rejection would
 * end the process. Anonymous input must never take the server down, so such rejections are logged.
 */
process.on('unhandledRejection', (reason) => {
  const error = reason as { name?: string; message?: string }
  process.stderr.write(`vetted: unhandled rejection (${error?.name ?? 'Error'}): ${error?.message ?? String(reason)}\n`)
})

const main = async () => {
  const started = performance.now()
  const platform = await startPlatform({
    port: Number(process.env.PORT ?? 3000),
    host: process.env.HOST ?? '0.0.0.0',
    withNext: process.env.ADMIN_UI !== 'false',
    log,
  })
  const { url, target } = platform
  log(`Vetted is ready in ${Math.round(performance.now() - started)} ms on ${target.kind === 'sqlite' ? `SQLite (${target.file})` : target.kind}`)
  log(`  Public site  ${url}/`)
  log(`  Admin        ${url}/admin`)
  log(`  REST API     ${url}/api/articles`)
  log(`  GraphQL      ${url}/api/graphql`)
  log(`  Health       ${url}/healthz  ${url}/readyz`)
  if (process.env.SEED_DEMO !== 'false') {
    log(`  Demo logins  ${DEMO_ACCOUNTS.map((account) => account.email).join(', ')}`)
    log(`               password: ${process.env.DEMO_PASSWORD ? 'DEMO_PASSWORD' : 'the one printed when the accounts were created'}`)
  }

  const shutdown = (signal: string) => {
    log(`${signal} received: finishing in-flight requests, then closing the database`)
    const force = setTimeout(() => {
      process.stderr.write(`vetted: requests still open after ${SHUTDOWN_GRACE_MS} ms; exiting\n`)
      process.exit(1)
    }, SHUTDOWN_GRACE_MS)
    force.unref()
    platform.close().then(
      () => process.exit(0),
      (err: unknown) => fail(err),
    )
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
}

main().catch(fail)
