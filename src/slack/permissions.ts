import type { WebClient } from '@slack/web-api';
import type { Db } from '../db/create-db.js';
import { getUserSettings, updateUserSettings } from '../db/repositories/settings.js';
import { PROFILE_TTL_MS } from './reader.js';

/** Who may change workspace settings: Slack's admins and owners, or a coach admin they named; null for anyone else. */
export type WorkspaceRole = 'admin' | 'coach' | null;

/**
 * Workspace admins and owners (as users.info reports them now, or reported them within the day when Slack does not
 * answer) may change workspace settings, name the coach admins and see delivery failures; the coach admins they
 * named may do the same but name coach admins.
 */
export async function workspaceRole(db: Db, client: WebClient, teamId: string, userId: string, now: Date): Promise<WorkspaceRole> {
  const info = await client.users.info({ user: userId }).catch(() => undefined);
  let admin: boolean;
  if (info?.user) {
    admin = Boolean(info.user.is_admin || info.user.is_owner);
    await updateUserSettings(db, teamId, userId, { is_admin: admin ? 1 : 0 }, now);
  } else {
    // Slack did not answer (a 429, an outage): what it said in the last day, rather than refusing a real admin.
    const known = await getUserSettings(db, teamId, userId);
    const recent = known?.profile_refreshed_at && now.getTime() - Date.parse(known.profile_refreshed_at) < PROFILE_TTL_MS;
    admin = Boolean(recent && known.is_admin);
  }
  if (admin) return 'admin';
  const coach = await db.selectFrom('coach_admins').select('user_id').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
  return coach ? 'coach' : null;
}
