import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`PRAGMA foreign_keys=OFF;`)
  await db.run(sql`CREATE TABLE \`__new_editorial_policy\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`public_visibility\` text DEFAULT 'approved_only' NOT NULL,
  	\`approvals_required\` numeric DEFAULT 1 NOT NULL,
  	\`review_interval_days\` numeric DEFAULT 365 NOT NULL,
  	\`disclaimer\` text DEFAULT 'For healthcare professionals. This content supports, and does not replace, clinical judgement; verify it against primary sources before acting on it.',
  	\`caution_banner\` text DEFAULT 'Educational purpose only. This content is pending review by our medical advisory board.',
  	\`policy_text\` text DEFAULT 'Every article on Vetted answers one clinical question. Editors write it from guidelines and the primary literature and cite each claim; a member of our medical advisory board, who did not write it, checks every claim against its sources before approving it.
  
  Each article shows who reviewed it, when, and when it is due for review again. When the evidence changes, the article is revised and reviewed again before the new version replaces the old one.',
  	\`updated_at\` text,
  	\`created_at\` text
  );
  `)
  await db.run(sql`INSERT INTO \`__new_editorial_policy\`("id", "public_visibility", "approvals_required", "review_interval_days", "disclaimer", "caution_banner", "policy_text", "updated_at", "created_at") SELECT "id", "public_visibility", "approvals_required", "review_interval_days", "disclaimer", "caution_banner", "policy_text", "updated_at", "created_at" FROM \`editorial_policy\`;`)
  await db.run(sql`DROP TABLE \`editorial_policy\`;`)
  await db.run(sql`ALTER TABLE \`__new_editorial_policy\` RENAME TO \`editorial_policy\`;`)
  await db.run(sql`PRAGMA foreign_keys=ON;`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.run(sql`PRAGMA foreign_keys=OFF;`)
  await db.run(sql`CREATE TABLE \`__new_editorial_policy\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`public_visibility\` text DEFAULT 'approved_only' NOT NULL,
  	\`approvals_required\` numeric DEFAULT 1 NOT NULL,
  	\`review_interval_days\` numeric DEFAULT 365 NOT NULL,
  	\`disclaimer\` text DEFAULT 'For healthcare professionals. This content supports, and does not replace, clinical judgement; verify it against primary sources before acting on it.',
  	\`caution_banner\` text DEFAULT 'Educational purpose only. This content is pending review by our medical advisory board.',
  	\`policy_text\` text,
  	\`updated_at\` text,
  	\`created_at\` text
  );
  `)
  await db.run(sql`INSERT INTO \`__new_editorial_policy\`("id", "public_visibility", "approvals_required", "review_interval_days", "disclaimer", "caution_banner", "policy_text", "updated_at", "created_at") SELECT "id", "public_visibility", "approvals_required", "review_interval_days", "disclaimer", "caution_banner", "policy_text", "updated_at", "created_at" FROM \`editorial_policy\`;`)
  await db.run(sql`DROP TABLE \`editorial_policy\`;`)
  await db.run(sql`ALTER TABLE \`__new_editorial_policy\` RENAME TO \`editorial_policy\`;`)
  await db.run(sql`PRAGMA foreign_keys=ON;`)
}
