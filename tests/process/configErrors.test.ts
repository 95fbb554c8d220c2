import { expect, test } from '@jest/globals'

import { runToExit } from '../support/spawnServer'

const oneLine = (stderr: string) => stderr.trim().split('\n')

test('an unknown DATABASE_URL scheme stops start-up with one line', async () => {
  const { code, stderr } = await runToExit({ DATABASE_URL: 'mysql://db/vetted' })
  expect(code).toBe(1)
  expect(oneLine(stderr)).toEqual(['vetted: DATABASE_URL has an unsupported scheme "mysql": use file:, postgres:// or mongodb://'])
})

test('production without PAYLOAD_SECRET stops start-up with one line', async () => {
  const { code, stderr } = await runToExit({ NODE_ENV: 'production' })
  expect(code).toBe(1)
  expect(oneLine(stderr)).toEqual([
    'vetted: PAYLOAD_SECRET is not set: production needs a long random secret (e.g. `openssl rand -hex 32`)',
  ])
})

test('an unreachable PostgreSQL stops start-up with one line naming it, password hidden', async () => {
  const { code, stderr } = await runToExit({ DATABASE_URL: 'postgres://vetted:hunter2@127.0.0.1:1/vetted' })
  expect(code).toBe(1)
  const lines = oneLine(stderr)
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^vetted: Cannot reach PostgreSQL at postgres:\/\/vetted:\*\*\*@127\.0\.0\.1:1\/vetted: ECONNREFUSED/)
  expect(stderr).not.toContain('hunter2')
})

test('an unreachable MongoDB stops start-up with one line naming it', async () => {
  const { code, stderr } = await runToExit({ DATABASE_URL: 'mongodb://127.0.0.1:1/vetted' })
  expect(code).toBe(1)
  const lines = oneLine(stderr)
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^vetted: Cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:1\/vetted: /)
})

test('a SQLite file where no folder can be made stops start-up with one line', async () => {
  const { code, stderr } = await runToExit({ DATABASE_URL: 'file:/etc/hostname/data/vetted.db' })
  expect(code).toBe(1)
  expect(oneLine(stderr)).toEqual([expect.stringMatching(/^vetted: Cannot create the SQLite folder for \/etc\/hostname\/data\/vetted\.db: ENOTDIR/)])
})

test('a RESPONSE_CACHE_TTL that is not a number of seconds stops start-up with one line', async () => {
  const { code, stderr } = await runToExit({ RESPONSE_CACHE_TTL: '10s' })
  expect(code).toBe(1)
  expect(oneLine(stderr)).toEqual(['vetted: RESPONSE_CACHE_TTL must be a number of seconds above 0, not "10s"'])
})
