import type { WebClient } from '@slack/web-api';
import type { Db } from '../db/create-db.js';
import { updateUserSettings } from '../db/repositories/settings.js';

/**
 * Workspace admins and owners (as users.info reports them now) and the coach admins they named may change
 * workspace settings and see delivery failures.
 */
export async function canManageWorkspace(db: Db, client: WebClient, teamId: string, userId: string, now: Date): Promise<boolean> {
  const coach = await db.selectFrom('coach_admins').select('user_id').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
  if (coach) return true;
  const info = await client.users.info({ user: userId }).catch(() => undefined);
  const admin = Boolean(info?.user?.is_admin || info?.user?.is_owner);
  if (info?.user) await updateUserSettings(db, teamId, userId, { is_admin: admin ? 1 : 0 }, now);
  return admin;
}
