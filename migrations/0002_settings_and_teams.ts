import { sql, type Kysely } from 'kysely';

// Frozen in time: no imports from the app.
const hhmm = (column: string) => sql.raw(`${column} is null or (length(${column}) = 5 and substr(${column}, 3, 1) = ':')`);

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workspace_settings')
    .addColumn('team_id', 'text', (c) => c.primaryKey())
    .addColumn('tip_channel_id', 'text')
    // A per-channel language for the weekly tip; null means the workspace language.
    .addColumn('tip_channel_language', 'text')
    .addColumn('tip_weekday', 'integer', (c) => c.notNull().defaultTo(1).check(sql`tip_weekday between 1 and 7`))
    .addColumn('tip_time', 'text', (c) => c.notNull().defaultTo('09:00').check(hhmm('tip_time')))
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('stall_days', 'integer', (c) => c.notNull().defaultTo(14).check(sql`stall_days between 1 and 365`))
    .addColumn('digest_weekday', 'integer', (c) => c.notNull().defaultTo(1).check(sql`digest_weekday between 1 and 7`))
    .addColumn('digest_time', 'text', (c) => c.notNull().defaultTo('08:00').check(hhmm('digest_time')))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('user_settings')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    // Chosen by the person; null means follow Slack's locale, then the workspace's language.
    .addColumn('language', 'text')
    // Cached from users.info so scheduled jobs never call Slack per person.
    .addColumn('slack_locale', 'text')
    .addColumn('timezone', 'text')
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0).check(sql`is_admin in (0, 1)`))
    .addColumn('profile_refreshed_at', 'text')
    .addColumn('mute_nudges', 'integer', (c) => c.notNull().defaultTo(0).check(sql`mute_nudges in (0, 1)`))
    .addColumn('snooze_until', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_settings_pk', ['team_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('coach_admins')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('coach_admins_pk', ['team_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('manager_id', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text', (c) => c.notNull().check(sql`report_id <> manager_id`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'manager_id', 'report_id'])
    .execute();
  await db.schema.createIndex('team_members_report').on('team_members').columns(['team_id', 'report_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['team_members', 'coach_admins', 'user_settings', 'workspace_settings']) await db.schema.dropTable(table).execute();
}
