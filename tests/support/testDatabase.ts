import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

export type TestDatabase = { kind: 'sqlite' | 'postgres'; url: string; drop: () => Promise<void> }

const adminUrl = (): string => {
  const url = process.env.TEST_POSTGRES_URL
  if (!url) throw new Error('TEST_POSTGRES_URL is not set: the postgres project’s global setup did not run')
  return url
}

const withAdminClient = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: adminUrl() })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** A fresh, empty database for one test file, on the kind of server this jest project targets. */
export const createTestDatabase = async (): Promise<TestDatabase> => {
  if (process.env.TEST_DB === 'postgres') {
    const name = `vetted_test_${randomBytes(6).toString('hex')}`
    await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`))
    const url = new URL(adminUrl())
    url.pathname = `/${name}`
    return {
      kind: 'postgres',
      url: url.href,
      drop: () => withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
    }
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vetted-sqlite-'))
  return {
    kind: 'sqlite',
    url: `file:${path.join(dir, 'test.db')}`,
    drop: () => rm(dir, { recursive: true, force: true }),
  }
}
