/** `npm run seed`: loads the demo accounts and content into DATABASE_URL (idempotent). */
import { getPayload } from 'payload'

import { pendingMigrations } from '../src/db/migrations'
import { checkConfiguration } from '../src/server/platform'
import { seed } from './seed'

const main = async () => {
  const target = checkConfiguration()
  const { default: config } = await import('../src/payload.config')
  const payload = await getPayload({ config })
  try {
    const pending = await pendingMigrations(payload, target.kind)
    if (pending.length > 0) throw new Error(`The database has ${pending.length} unapplied migration(s): run \`npm run migrate\` first`)
    const report = await seed(payload, { demo: process.env.SEED_DEMO !== 'false', password: process.env.DEMO_PASSWORD || undefined })
    console.log(`Seeded: ${JSON.stringify(report.created)}`)
    if (report.generatedPassword) console.log(`Demo accounts created with the generated password: ${report.generatedPassword}`)
  } finally {
    await payload.destroy()
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`vetted seed: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(1)
  },
)
