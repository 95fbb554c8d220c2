import type { MigrateDownArgs, MigrateUpArgs } from '@payloadcms/db-sqlite'

import { backfillEditions } from '../../src/delivery/backfill'

/** Every article published before editions existed gets the edition of its published revision. */
export async function up({ payload, req }: MigrateUpArgs): Promise<void> {
  const written = await backfillEditions(payload, req)
  if (written > 0) payload.logger.info(`Wrote editions for ${written} published articles`)
}

/** Editions are kept forever, and the tables they live in go with the previous migration's down. */
export async function down(_args: MigrateDownArgs): Promise<void> {}
