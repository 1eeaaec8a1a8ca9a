import { setTimeout as sleep } from 'node:timers/promises';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../db/create-db.js';
import { getUserSettings, updateUserSettings } from '../db/repositories/settings.js';
import { PROFILE_TTL_MS, profileColumns } from './reader.js';

/** Who may change workspace settings: Slack's admins and owners, or a coach admin they named; null for anyone else. */
export type WorkspaceRole = 'admin' | 'coach' | null;

/**
 * How long a check waits for Slack to say whether someone is an admin before it goes by what Slack said within the
 * day: the settings modal must still open, and a command's answer go back, inside Slack's 3 seconds.
 */
export const ROLE_WAIT_MS = 1_000;

/**
 * Workspace admins and owners (as users.info reports them now, or reported them within the day when Slack does not
 * answer, or not within `waitMs`) may change workspace settings, name the coach admins and see delivery failures;
 * the coach admins they named may do the same but name coach admins.
 */
export async function workspaceRole(db: Db, client: WebClient, teamId: string, userId: string, now: Date, waitMs?: number): Promise<WorkspaceRole> {
  // Slack's answer is kept for the next check even when it comes too late for this one.
  const asked = client.users
    .info({ user: userId })
    .then(async (info) => {
      if (!info.user) return undefined;
      const { is_admin } = profileColumns(info.user);
      await updateUserSettings(db, teamId, userId, { is_admin }, now);
      return is_admin === 1;
    })
    .catch(() => undefined);
  let admin = await (waitMs === undefined ? asked : Promise.race([asked, sleep(waitMs, undefined, { ref: false })]));
  if (admin === undefined) {
    // Slack did not answer (a 429, an outage, too slowly): what it said in the last day, rather than refusing a real admin.
    const known = await getUserSettings(db, teamId, userId);
    const recent = known?.profile_refreshed_at && now.getTime() - Date.parse(known.profile_refreshed_at) < PROFILE_TTL_MS;
    admin = Boolean(recent && known.is_admin);
  }
  if (admin) return 'admin';
  const coach = await db.selectFrom('coach_admins').select('user_id').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
  return coach ? 'coach' : null;
}
