import type { Kysely } from 'kysely';

// Frozen in time. Someone deactivated in Slack is remembered as gone, so that they are nudged no more (every DM to them
// would fail) and can be told apart when they come back.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('user_settings').addColumn('left_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('user_settings').dropColumn('left_at').execute();
}
