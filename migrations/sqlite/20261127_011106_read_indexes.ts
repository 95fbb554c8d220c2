import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`CREATE INDEX \`lastUpdated_createdAt_idx\` ON \`articles\` (\`last_updated\`,\`created_at\`);`)
  await db.run(sql`CREATE INDEX \`articles_texts_parent_lookup_idx\` ON \`articles_texts\` (\`parent_id\`);`)
  await db.run(sql`CREATE INDEX \`version_lastUpdated_version_createdAt_idx\` ON \`_articles_v\` (\`version_last_updated\`,\`version_created_at\`);`)
  await db.run(sql`CREATE INDEX \`_articles_v_texts_parent_lookup_idx\` ON \`_articles_v_texts\` (\`parent_id\`);`)
  await db.run(sql`CREATE INDEX \`reviewers_texts_parent_lookup_idx\` ON \`reviewers_texts\` (\`parent_id\`);`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.run(sql`DROP INDEX \`lastUpdated_createdAt_idx\`;`)
  await db.run(sql`DROP INDEX \`articles_texts_parent_lookup_idx\`;`)
  await db.run(sql`DROP INDEX \`version_lastUpdated_version_createdAt_idx\`;`)
  await db.run(sql`DROP INDEX \`_articles_v_texts_parent_lookup_idx\`;`)
  await db.run(sql`DROP INDEX \`reviewers_texts_parent_lookup_idx\`;`)
}
