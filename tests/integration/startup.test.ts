import { afterAll, beforeAll, expect, test } from '@jest/globals'
import http from 'node:http'

import { migrationsFor } from '../../src/db/migrations'
import { runToExit, startServer } from '../support/spawnServer'
import { createTestDatabase, type TestDatabase } from '../support/testDatabase'

let database: TestDatabase
const production = () => ({ NODE_ENV: 'production', PAYLOAD_SECRET: 'startup-test-secret', DATABASE_URL: database.url, DEMO_PASSWORD: 'startup-demo' })

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})

test('production refuses an unmigrated database; `npm run migrate` applies the committed migrations', async () => {
  const refused = await runToExit(production())
  expect(refused.code).toBe(1)
  const committed = migrationsFor(database.kind).map((migration) => migration.name)
  expect(committed[0]).toMatch(/^\d{8}_\d{6}_initial$/)
  expect(refused.stderr.trim()).toBe(
    `vetted: The database has ${committed.length} unapplied migration(s) (${committed.join(', ')}): run \`npm run migrate\` first`,
  )

  const migrated = await runToExit(production(), ['node_modules/payload/bin.js', 'migrate'])
  expect(migrated.code).toBe(0)
  for (const name of committed) expect(migrated.stdout + migrated.stderr).toContain(`Migrated:  ${name}`)
})

test('the migrated server starts, survives hostile queries, and drains in-flight requests on SIGTERM', async () => {
  const server = await startServer(production())
  try {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
    const articles = await (await fetch(`${server.url}/api/articles`)).json()
    expect(articles.totalDocs).toBe(1)

    // Payload leaves a promise unawaited when validating this path; the process must not die of it.
    const nested = await fetch(`${server.url}/api/articles?where[reviewedBy.user.email][like]=example`)
    expect(nested.status).toBe(400)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)

    // A login whose body is only half sent when SIGTERM arrives must still be answered.
    const body = JSON.stringify({ email: 'editor@example.com', password: 'startup-demo' })
    const answered = new Promise<number>((resolve, reject) => {
      const req = http.request(`${server.url}/api/users/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      })
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.write(body.slice(0, 10))
      setTimeout(() => {
        server.child.kill('SIGTERM')
        setTimeout(() => req.end(body.slice(10)), 300)
      }, 200)
    })
    expect(await answered).toBe(200)
    expect(await server.exited).toBe(0)
    expect(server.output()).toContain('SIGTERM received')
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow()
  } finally {
    server.child.kill('SIGKILL')
  }
})
