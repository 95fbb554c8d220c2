import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE INDEX "_status_reviewStatus_idx" ON "articles" USING btree ("_status","review_status");
  CREATE INDEX "version__status_version_reviewStatus_idx" ON "_articles_v" USING btree ("version__status","version_review_status");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP INDEX "_status_reviewStatus_idx";
  DROP INDEX "version__status_version_reviewStatus_idx";`)
}
