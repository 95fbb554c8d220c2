import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import { runToExit, startServer, type RunningServer } from '../../support/spawnServer'

declare global {
  var __vettedE2E: { server: RunningServer } | undefined
}

export const E2E_DEMO_PASSWORD = 'e2e-demo-password'
const ROOT = path.resolve(import.meta.dirname, '../../..')

/** Builds the app if needed, then starts it in production mode on a fresh, migrated SQLite database. */
export default async function globalSetup(): Promise<void> {
  if (!existsSync(path.join(ROOT, '.next/BUILD_ID'))) {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vetted-e2e-'))
  const env = {
    NODE_ENV: 'production',
    PAYLOAD_SECRET: 'e2e-secret',
    DATABASE_URL: `file:${path.join(dir, 'e2e.db')}`,
    DEMO_PASSWORD: E2E_DEMO_PASSWORD,
    ADMIN_UI: 'true',
  }
  const migrated = await runToExit(env, ['node_modules/payload/bin.js', 'migrate'])
  if (migrated.code !== 0) throw new Error(`migration failed:\n${migrated.stdout}\n${migrated.stderr}`)
  const server = await startServer(env)
  globalThis.__vettedE2E = { server }
  process.env.E2E_BASE_URL = server.url
}
