import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`CREATE INDEX \`_status_reviewStatus_idx\` ON \`articles\` (\`_status\`,\`review_status\`);`)
  await db.run(sql`CREATE INDEX \`version__status_version_reviewStatus_idx\` ON \`_articles_v\` (\`version__status\`,\`version_review_status\`);`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.run(sql`DROP INDEX \`_status_reviewStatus_idx\`;`)
  await db.run(sql`DROP INDEX \`version__status_version_reviewStatus_idx\`;`)
}
