import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "editorial_policy" ALTER COLUMN "policy_text" SET DEFAULT 'Every article on Vetted answers one clinical question. Editors write it from guidelines and the primary literature and cite each claim; a member of our medical advisory board, who did not write it, checks every claim against its sources before approving it.
  
  Each article shows who reviewed it, when, and when it is due for review again. When the evidence changes, the article is revised and reviewed again before the new version replaces the old one.';`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "editorial_policy" ALTER COLUMN "policy_text" DROP DEFAULT;`)
}
