import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_editions_kind" AS ENUM('reviewed', 'unreviewed');
  CREATE TYPE "public"."enum_live_editions_review_status" AS ENUM('draft', 'submitted', 'under_review', 'changes_requested', 'approved');
  CREATE TABLE "editions" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"article_id" integer NOT NULL,
  	"version" varchar,
  	"kind" "enum_editions_kind" NOT NULL,
  	"review_status" varchar NOT NULL,
  	"question" varchar NOT NULL,
  	"slug" varchar NOT NULL,
  	"approvers" jsonb,
  	"reviewer" varchar,
  	"reviewed_at" timestamp(3) with time zone,
  	"decided_by" numeric,
  	"document" jsonb NOT NULL,
  	"answers" jsonb,
  	"content_hash" varchar NOT NULL,
  	"published_at" timestamp(3) with time zone NOT NULL,
  	"withdrawn_at" timestamp(3) with time zone,
  	"withdrawn_reason" varchar,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "live_editions" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"article_id" integer NOT NULL,
  	"edition_id" integer NOT NULL,
  	"slug" varchar NOT NULL,
  	"question" varchar NOT NULL,
  	"review_status" "enum_live_editions_review_status" NOT NULL,
  	"reviewed_by_id" integer,
  	"reviewed_at" timestamp(3) with time zone,
  	"last_updated" timestamp(3) with time zone,
  	"next_review_due" timestamp(3) with time zone,
  	"article_created_at" timestamp(3) with time zone,
  	"article_updated_at" timestamp(3) with time zone,
  	"etag" varchar NOT NULL,
  	"links" varchar,
  	"document" varchar NOT NULL,
  	"links_unreviewed" boolean DEFAULT false,
  	"answers" varchar,
  	"needs_re_review" boolean DEFAULT false,
  	"changes" jsonb,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "live_editions_texts" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"text" varchar
  );
  
  ALTER TABLE "review_events" ADD COLUMN "edition_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "editions_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "live_editions_id" integer;
  ALTER TABLE "editorial_policy" ADD COLUMN "show_edition_history" boolean DEFAULT true;
  ALTER TABLE "editions" ADD CONSTRAINT "editions_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "live_editions" ADD CONSTRAINT "live_editions_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "live_editions" ADD CONSTRAINT "live_editions_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "live_editions" ADD CONSTRAINT "live_editions_reviewed_by_id_reviewers_id_fk" FOREIGN KEY ("reviewed_by_id") REFERENCES "public"."reviewers"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "live_editions_texts" ADD CONSTRAINT "live_editions_texts_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."live_editions"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "editions_article_idx" ON "editions" USING btree ("article_id");
  CREATE INDEX "editions_version_idx" ON "editions" USING btree ("version");
  CREATE INDEX "editions_slug_idx" ON "editions" USING btree ("slug");
  CREATE INDEX "editions_content_hash_idx" ON "editions" USING btree ("content_hash");
  CREATE INDEX "editions_published_at_idx" ON "editions" USING btree ("published_at");
  CREATE INDEX "editions_updated_at_idx" ON "editions" USING btree ("updated_at");
  CREATE INDEX "editions_created_at_idx" ON "editions" USING btree ("created_at");
  CREATE INDEX "article_publishedAt_idx" ON "editions" USING btree ("article_id","published_at");
  CREATE UNIQUE INDEX "live_editions_article_idx" ON "live_editions" USING btree ("article_id");
  CREATE INDEX "live_editions_edition_idx" ON "live_editions" USING btree ("edition_id");
  CREATE INDEX "live_editions_slug_idx" ON "live_editions" USING btree ("slug");
  CREATE INDEX "live_editions_review_status_idx" ON "live_editions" USING btree ("review_status");
  CREATE INDEX "live_editions_reviewed_by_idx" ON "live_editions" USING btree ("reviewed_by_id");
  CREATE INDEX "live_editions_last_updated_idx" ON "live_editions" USING btree ("last_updated");
  CREATE INDEX "live_editions_needs_re_review_idx" ON "live_editions" USING btree ("needs_re_review");
  CREATE INDEX "live_editions_updated_at_idx" ON "live_editions" USING btree ("updated_at");
  CREATE INDEX "live_editions_created_at_idx" ON "live_editions" USING btree ("created_at");
  CREATE INDEX "lastUpdated_articleCreatedAt_idx" ON "live_editions" USING btree ("last_updated","article_created_at");
  CREATE INDEX "live_editions_texts_order_parent" ON "live_editions_texts" USING btree ("order","parent_id");
  CREATE INDEX "live_editions_texts_parent_lookup_idx" ON "live_editions_texts" USING btree ("parent_id");
  ALTER TABLE "review_events" ADD CONSTRAINT "review_events_edition_id_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."editions"("id") ON DELETE set null ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_editions_fk" FOREIGN KEY ("editions_id") REFERENCES "public"."editions"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_live_editions_fk" FOREIGN KEY ("live_editions_id") REFERENCES "public"."live_editions"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "review_events_edition_idx" ON "review_events" USING btree ("edition_id");
  CREATE INDEX "payload_locked_documents_rels_editions_id_idx" ON "payload_locked_documents_rels" USING btree ("editions_id");
  CREATE INDEX "payload_locked_documents_rels_live_editions_id_idx" ON "payload_locked_documents_rels" USING btree ("live_editions_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "editions" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "live_editions" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "live_editions_texts" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "editions" CASCADE;
  DROP TABLE "live_editions" CASCADE;
  DROP TABLE "live_editions_texts" CASCADE;
  ALTER TABLE "review_events" DROP CONSTRAINT "review_events_edition_id_editions_id_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_editions_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_live_editions_fk";
  
  DROP INDEX "review_events_edition_idx";
  DROP INDEX "payload_locked_documents_rels_editions_id_idx";
  DROP INDEX "payload_locked_documents_rels_live_editions_id_idx";
  ALTER TABLE "review_events" DROP COLUMN "edition_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "editions_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "live_editions_id";
  ALTER TABLE "editorial_policy" DROP COLUMN "show_edition_history";
  DROP TYPE "public"."enum_editions_kind";
  DROP TYPE "public"."enum_live_editions_review_status";`)
}
