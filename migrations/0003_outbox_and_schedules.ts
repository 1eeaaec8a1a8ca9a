import { sql, type Kysely } from 'kysely';

// Frozen in time: no imports from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Every scheduled message is recorded here first, under a unique key, then sent: a restart neither repeats nor skips.
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('tip', 'nudge', 'giveup', 'digest', 'notice')`))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sending', 'sent', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('message_ts', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_team_kind').on('outbox').columns(['team_id', 'kind', 'channel']).execute();

  // One row per job: whoever holds an unexpired lease runs the jobs; the others wait.
  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  // The latest case on the deal itself keeps nightly planning to one pass over open deals.
  await db.schema.alterTable('deals').addColumn('last_case_code', 'text', (c) => c.check(sql`last_case_code in ('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H')`)).execute();
  await db.schema.alterTable('deals').addColumn('last_assessment_id', 'integer').execute();
  await db.schema.alterTable('deals').addColumn('last_assessed_at', 'text').execute();
  await db.schema.alterTable('deals').addColumn('snoozed_until', 'text').execute();
  await sql`
    update deals set
      last_assessment_id = (select max(a.id) from assessments a where a.deal_id = deals.id),
      last_case_code = (select a.case_code from assessments a where a.deal_id = deals.id order by a.id desc limit 1),
      last_assessed_at = (select a.created_at from assessments a where a.deal_id = deals.id order by a.id desc limit 1)
  `.execute(db);
  await db.schema.createIndex('deals_open_team').on('deals').columns(['status', 'team_id', 'owner_id']).execute();

  await db.schema.alterTable('workspace_settings').addColumn('updated_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('deals_open_team').execute();
  for (const column of ['last_case_code', 'last_assessment_id', 'last_assessed_at', 'snoozed_until']) await db.schema.alterTable('deals').dropColumn(column).execute();
  await db.schema.alterTable('workspace_settings').dropColumn('updated_by').execute();
  await db.schema.dropTable('job_leases').execute();
  await db.schema.dropTable('outbox').execute();
}
