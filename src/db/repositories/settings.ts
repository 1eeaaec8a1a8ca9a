import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../create-db.js';
import type { Database, UserSettingsTable, WorkspaceSettingsTable } from '../schema.js';

export type WorkspaceSettings = Selectable<WorkspaceSettingsTable>;
export type UserSettings = Selectable<UserSettingsTable>;

/** What a workspace gets before an admin changes anything. */
export function defaultWorkspaceSettings(teamId: string): WorkspaceSettings {
  return {
    team_id: teamId,
    tip_channel_id: null,
    tip_channel_language: null,
    tip_weekday: 1,
    tip_time: '09:00',
    timezone: 'UTC',
    language: 'en',
    stall_days: 14,
    digest_weekday: 1,
    digest_time: '08:00',
    tip_channel_since: null,
    updated_at: new Date(0).toISOString(),
    updated_by: null,
  };
}

export async function getWorkspaceSettings(db: Db, teamId: string): Promise<WorkspaceSettings> {
  const row = await db.selectFrom('workspace_settings').selectAll().where('team_id', '=', teamId).executeTakeFirst();
  return row ?? defaultWorkspaceSettings(teamId);
}

/** Saves a workspace's settings; `tip_channel_since` moves only when the tip channel changes. */
export async function saveWorkspaceSettings(db: Db | Transaction<Database>, settings: Omit<WorkspaceSettings, 'updated_at' | 'tip_channel_since'>, now: Date): Promise<void> {
  const at = now.toISOString();
  // A caller may pass a row it read: the tip_channel_since in it is not for it to set.
  const { tip_channel_since: _read, ...row } = { ...settings, updated_at: at } as WorkspaceSettings;
  await db
    .insertInto('workspace_settings')
    .values({ ...row, tip_channel_since: row.tip_channel_id ? at : null })
    .onConflict((oc) =>
      oc.column('team_id').doUpdateSet({
        ...row,
        tip_channel_since: sql<string | null>`case when workspace_settings.tip_channel_id is excluded.tip_channel_id then workspace_settings.tip_channel_since else excluded.tip_channel_since end`,
      }),
    )
    .execute();
}

export async function getUserSettings(db: Db, teamId: string, userId: string): Promise<UserSettings | undefined> {
  return db.selectFrom('user_settings').selectAll().where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
}

/** Whether Slack counts the person in these columns of the outer query as a guest (see profileColumns). */
export const guestAt = (teamColumn: string, userColumn: string) =>
  sql<boolean>`exists (select 1 from user_settings as guest where guest.team_id = ${sql.ref(teamColumn)} and guest.user_id = ${sql.ref(userColumn)} and guest.is_guest = 1)`;

/** Those of `userIds` Slack told the bot are deactivated (see markLeft). */
export async function departedAmong(db: Db | Transaction<Database>, teamId: string, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db.selectFrom('user_settings').select('user_id').where('team_id', '=', teamId).where('user_id', 'in', userIds).where('left_at', 'is not', null).execute();
  return rows.map((r) => r.user_id);
}

/** Updates some of a person's settings, creating their row if needed. */
export async function updateUserSettings(
  db: Db | Transaction<Database>,
  teamId: string,
  userId: string,
  changes: Partial<Omit<UserSettings, 'team_id' | 'user_id' | 'updated_at'>>,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await db
    .insertInto('user_settings')
    .values({ team_id: teamId, user_id: userId, ...changes, updated_at: at })
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ ...changes, updated_at: at }))
    .execute();
}
