import type { Kysely } from 'kysely';

// Frozen in time. A tip channel's first weekly slot, when it passed before the channel was picked, waits for next
// week. When it was picked is kept apart from the settings' updated_at, which any save moves.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspace_settings').addColumn('tip_channel_since', 'text').execute();
  await db.updateTable('workspace_settings').set((eb: any) => ({ tip_channel_since: eb.ref('updated_at') })).where('tip_channel_id', 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspace_settings').dropColumn('tip_channel_since').execute();
}
