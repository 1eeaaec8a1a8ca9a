import { sql, type Kysely } from 'kysely';

// Frozen in time. Whether Slack counts the person as a guest (single- or multi-channel): a guest may not have a team,
// since a team's manager reads their reports' deals. Null until Slack has said: /deal team add does not take that for
// "not a guest". Every profile counts as not read, so that Slack is asked again: at a person's next use, and by the
// roster check for people on teams.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('user_settings')
    .addColumn('is_guest', 'integer', (c) => c.check(sql`is_guest in (0, 1)`))
    .execute();
  await db.updateTable('user_settings').set({ profile_refreshed_at: null }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('user_settings').dropColumn('is_guest').execute();
}
