import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_live_editions_review_status" AS ENUM('draft', 'submitted', 'under_review', 'changes_requested', 'approved');
  ALTER TABLE "live_editions" ALTER COLUMN "review_status" SET DATA TYPE "public"."enum_live_editions_review_status" USING "review_status"::"public"."enum_live_editions_review_status";`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "live_editions" ALTER COLUMN "review_status" SET DATA TYPE varchar;
  DROP TYPE "public"."enum_live_editions_review_status";`)
}
