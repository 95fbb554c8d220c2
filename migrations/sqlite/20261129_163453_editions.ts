import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`CREATE TABLE \`editions\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`article_id\` integer NOT NULL,
  	\`version\` text,
  	\`kind\` text NOT NULL,
  	\`review_status\` text NOT NULL,
  	\`question\` text NOT NULL,
  	\`slug\` text NOT NULL,
  	\`approvers\` text,
  	\`reviewer\` text,
  	\`reviewed_at\` text,
  	\`decided_by\` numeric,
  	\`document\` text NOT NULL,
  	\`answers\` text,
  	\`content_hash\` text NOT NULL,
  	\`published_at\` text NOT NULL,
  	\`withdrawn_at\` text,
  	\`withdrawn_reason\` text,
  	\`updated_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	\`created_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	FOREIGN KEY (\`article_id\`) REFERENCES \`articles\`(\`id\`) ON UPDATE no action ON DELETE set null
  );
  `)
  await db.run(sql`CREATE INDEX \`editions_article_idx\` ON \`editions\` (\`article_id\`);`)
  await db.run(sql`CREATE INDEX \`editions_version_idx\` ON \`editions\` (\`version\`);`)
  await db.run(sql`CREATE INDEX \`editions_slug_idx\` ON \`editions\` (\`slug\`);`)
  await db.run(sql`CREATE INDEX \`editions_content_hash_idx\` ON \`editions\` (\`content_hash\`);`)
  await db.run(sql`CREATE INDEX \`editions_published_at_idx\` ON \`editions\` (\`published_at\`);`)
  await db.run(sql`CREATE INDEX \`editions_updated_at_idx\` ON \`editions\` (\`updated_at\`);`)
  await db.run(sql`CREATE INDEX \`editions_created_at_idx\` ON \`editions\` (\`created_at\`);`)
  await db.run(sql`CREATE INDEX \`article_publishedAt_idx\` ON \`editions\` (\`article_id\`,\`published_at\`);`)
  await db.run(sql`CREATE TABLE \`live_editions\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`article_id\` integer NOT NULL,
  	\`edition_id\` integer NOT NULL,
  	\`slug\` text NOT NULL,
  	\`question\` text NOT NULL,
  	\`review_status\` text NOT NULL,
  	\`reviewed_by_id\` integer,
  	\`reviewed_at\` text,
  	\`last_updated\` text,
  	\`next_review_due\` text,
  	\`article_created_at\` text,
  	\`article_updated_at\` text,
  	\`etag\` text NOT NULL,
  	\`links\` text,
  	\`document\` text NOT NULL,
  	\`links_unreviewed\` integer DEFAULT false,
  	\`answers\` text,
  	\`needs_re_review\` integer DEFAULT false,
  	\`changes\` text,
  	\`updated_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	\`created_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	FOREIGN KEY (\`article_id\`) REFERENCES \`articles\`(\`id\`) ON UPDATE no action ON DELETE set null,
  	FOREIGN KEY (\`edition_id\`) REFERENCES \`editions\`(\`id\`) ON UPDATE no action ON DELETE set null,
  	FOREIGN KEY (\`reviewed_by_id\`) REFERENCES \`reviewers\`(\`id\`) ON UPDATE no action ON DELETE set null
  );
  `)
  await db.run(sql`CREATE UNIQUE INDEX \`live_editions_article_idx\` ON \`live_editions\` (\`article_id\`);`)
  await db.run(sql`CREATE INDEX \`live_editions_edition_idx\` ON \`live_editions\` (\`edition_id\`);`)
  await db.run(sql`CREATE INDEX \`live_editions_slug_idx\` ON \`live_editions\` (\`slug\`);`)
  await db.run(sql`CREATE INDEX \`live_editions_review_status_idx\` ON \`live_editions\` (\`review_status\`);`)
  await db.run(sql`CREATE INDEX \`live_editions_reviewed_by_idx\` ON \`live_editions\` (\`reviewed_by_id\`);`)
  await db.run(sql`CREATE INDEX \`live_editions_last_updated_idx\` ON \`live_editions\` (\`last_updated\`);`)
  await db.run(sql`CREATE INDEX \`live_editions_needs_re_review_idx\` ON \`live_editions\` (\`needs_re_review\`);`)
  await db.run(sql`CREATE INDEX \`live_editions_updated_at_idx\` ON \`live_editions\` (\`updated_at\`);`)
  await db.run(sql`CREATE INDEX \`live_editions_created_at_idx\` ON \`live_editions\` (\`created_at\`);`)
  await db.run(sql`CREATE INDEX \`lastUpdated_articleCreatedAt_idx\` ON \`live_editions\` (\`last_updated\`,\`article_created_at\`);`)
  await db.run(sql`CREATE TABLE \`live_editions_texts\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`order\` integer NOT NULL,
  	\`parent_id\` integer NOT NULL,
  	\`path\` text NOT NULL,
  	\`text\` text,
  	FOREIGN KEY (\`parent_id\`) REFERENCES \`live_editions\`(\`id\`) ON UPDATE no action ON DELETE cascade
  );
  `)
  await db.run(sql`CREATE INDEX \`live_editions_texts_order_parent\` ON \`live_editions_texts\` (\`order\`,\`parent_id\`);`)
  await db.run(sql`CREATE INDEX \`live_editions_texts_parent_lookup_idx\` ON \`live_editions_texts\` (\`parent_id\`);`)
  await db.run(sql`ALTER TABLE \`review_events\` ADD \`edition_id\` integer REFERENCES editions(id);`)
  await db.run(sql`CREATE INDEX \`review_events_edition_idx\` ON \`review_events\` (\`edition_id\`);`)
  await db.run(sql`ALTER TABLE \`payload_locked_documents_rels\` ADD \`editions_id\` integer REFERENCES editions(id);`)
  await db.run(sql`ALTER TABLE \`payload_locked_documents_rels\` ADD \`live_editions_id\` integer REFERENCES live_editions(id);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_editions_id_idx\` ON \`payload_locked_documents_rels\` (\`editions_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_live_editions_id_idx\` ON \`payload_locked_documents_rels\` (\`live_editions_id\`);`)
  await db.run(sql`ALTER TABLE \`editorial_policy\` ADD \`show_edition_history\` integer DEFAULT true;`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.run(sql`DROP TABLE \`editions\`;`)
  await db.run(sql`DROP TABLE \`live_editions\`;`)
  await db.run(sql`DROP TABLE \`live_editions_texts\`;`)
  await db.run(sql`PRAGMA foreign_keys=OFF;`)
  await db.run(sql`CREATE TABLE \`__new_review_events\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`article_id\` integer NOT NULL,
  	\`version\` text,
  	\`action\` text NOT NULL,
  	\`from\` text,
  	\`to\` text NOT NULL,
  	\`actor_id\` integer,
  	\`comment\` text,
  	\`summary\` text,
  	\`updated_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	\`created_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	FOREIGN KEY (\`article_id\`) REFERENCES \`articles\`(\`id\`) ON UPDATE no action ON DELETE set null,
  	FOREIGN KEY (\`actor_id\`) REFERENCES \`users\`(\`id\`) ON UPDATE no action ON DELETE set null
  );
  `)
  await db.run(sql`INSERT INTO \`__new_review_events\`("id", "article_id", "version", "action", "from", "to", "actor_id", "comment", "summary", "updated_at", "created_at") SELECT "id", "article_id", "version", "action", "from", "to", "actor_id", "comment", "summary", "updated_at", "created_at" FROM \`review_events\`;`)
  await db.run(sql`DROP TABLE \`review_events\`;`)
  await db.run(sql`ALTER TABLE \`__new_review_events\` RENAME TO \`review_events\`;`)
  await db.run(sql`PRAGMA foreign_keys=ON;`)
  await db.run(sql`CREATE INDEX \`review_events_article_idx\` ON \`review_events\` (\`article_id\`);`)
  await db.run(sql`CREATE INDEX \`review_events_version_idx\` ON \`review_events\` (\`version\`);`)
  await db.run(sql`CREATE INDEX \`review_events_action_idx\` ON \`review_events\` (\`action\`);`)
  await db.run(sql`CREATE INDEX \`review_events_actor_idx\` ON \`review_events\` (\`actor_id\`);`)
  await db.run(sql`CREATE INDEX \`review_events_updated_at_idx\` ON \`review_events\` (\`updated_at\`);`)
  await db.run(sql`CREATE INDEX \`review_events_created_at_idx\` ON \`review_events\` (\`created_at\`);`)
  await db.run(sql`CREATE TABLE \`__new_payload_locked_documents_rels\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`order\` integer,
  	\`parent_id\` integer NOT NULL,
  	\`path\` text NOT NULL,
  	\`articles_id\` integer,
  	\`references_id\` integer,
  	\`related_questions_id\` integer,
  	\`reviewers_id\` integer,
  	\`review_events_id\` integer,
  	\`users_id\` integer,
  	FOREIGN KEY (\`parent_id\`) REFERENCES \`payload_locked_documents\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`articles_id\`) REFERENCES \`articles\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`references_id\`) REFERENCES \`references\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`related_questions_id\`) REFERENCES \`related_questions\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`reviewers_id\`) REFERENCES \`reviewers\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`review_events_id\`) REFERENCES \`review_events\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`users_id\`) REFERENCES \`users\`(\`id\`) ON UPDATE no action ON DELETE cascade
  );
  `)
  await db.run(sql`INSERT INTO \`__new_payload_locked_documents_rels\`("id", "order", "parent_id", "path", "articles_id", "references_id", "related_questions_id", "reviewers_id", "review_events_id", "users_id") SELECT "id", "order", "parent_id", "path", "articles_id", "references_id", "related_questions_id", "reviewers_id", "review_events_id", "users_id" FROM \`payload_locked_documents_rels\`;`)
  await db.run(sql`DROP TABLE \`payload_locked_documents_rels\`;`)
  await db.run(sql`ALTER TABLE \`__new_payload_locked_documents_rels\` RENAME TO \`payload_locked_documents_rels\`;`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_order_idx\` ON \`payload_locked_documents_rels\` (\`order\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_parent_idx\` ON \`payload_locked_documents_rels\` (\`parent_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_path_idx\` ON \`payload_locked_documents_rels\` (\`path\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_articles_id_idx\` ON \`payload_locked_documents_rels\` (\`articles_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_references_id_idx\` ON \`payload_locked_documents_rels\` (\`references_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_related_questions_id_idx\` ON \`payload_locked_documents_rels\` (\`related_questions_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_reviewers_id_idx\` ON \`payload_locked_documents_rels\` (\`reviewers_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_review_events_id_idx\` ON \`payload_locked_documents_rels\` (\`review_events_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_users_id_idx\` ON \`payload_locked_documents_rels\` (\`users_id\`);`)
  await db.run(sql`ALTER TABLE \`editorial_policy\` DROP COLUMN \`show_edition_history\`;`)
}
