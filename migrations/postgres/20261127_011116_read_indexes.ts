import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE INDEX "lastUpdated_createdAt_idx" ON "articles" USING btree ("last_updated","created_at");
  CREATE INDEX "articles_texts_parent_lookup_idx" ON "articles_texts" USING btree ("parent_id");
  CREATE INDEX "version_lastUpdated_version_createdAt_idx" ON "_articles_v" USING btree ("version_last_updated","version_created_at");
  CREATE INDEX "_articles_v_texts_parent_lookup_idx" ON "_articles_v_texts" USING btree ("parent_id");
  CREATE INDEX "reviewers_texts_parent_lookup_idx" ON "reviewers_texts" USING btree ("parent_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP INDEX "lastUpdated_createdAt_idx";
  DROP INDEX "articles_texts_parent_lookup_idx";
  DROP INDEX "version_lastUpdated_version_createdAt_idx";
  DROP INDEX "_articles_v_texts_parent_lookup_idx";
  DROP INDEX "reviewers_texts_parent_lookup_idx";`)
}
