import type { WebClient } from '@slack/web-api';
import type { Db } from '../db/create-db.js';
import { getUserSettings, updateUserSettings } from '../db/repositories/settings.js';
import { PROFILE_TTL_MS } from './reader.js';

/**
 * Workspace admins and owners (as users.info reports them now, or reported them within the day when Slack does not
 * answer) and the coach admins they named may change workspace settings and see delivery failures.
 */
export async function canManageWorkspace(db: Db, client: WebClient, teamId: string, userId: string, now: Date): Promise<boolean> {
  const coach = await db.selectFrom('coach_admins').select('user_id').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
  if (coach) return true;
  const info = await client.users.info({ user: userId }).catch(() => undefined);
  if (!info?.user) {
    // Slack did not answer (a 429, an outage): what it said in the last day, rather than refusing a real admin.
    const known = await getUserSettings(db, teamId, userId);
    const recent = known?.profile_refreshed_at && now.getTime() - Date.parse(known.profile_refreshed_at) < PROFILE_TTL_MS;
    return Boolean(recent && known.is_admin);
  }
  const admin = Boolean(info.user.is_admin || info.user.is_owner);
  await updateUserSettings(db, teamId, userId, { is_admin: admin ? 1 : 0 }, now);
  return admin;
}
