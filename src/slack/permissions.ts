import type { WebClient } from '@slack/web-api';
import type { Db } from '../db/create-db.js';
import { departedAmong, getUserSettings } from '../db/repositories/settings.js';
import { profileColumns, profileIsFresh, refreshProfile } from './reader.js';
import { within } from './within.js';

/** Who may change workspace settings: Slack's admins and owners, or a coach admin they named; null for anyone else. */
export type WorkspaceRole = 'admin' | 'coach' | null;

/**
 * How long a check waits for Slack to say whether someone is an admin before it goes by what Slack said within the
 * day: the settings modal must still open, and a command's answer go back, inside Slack's 3 seconds.
 */
export const ROLE_WAIT_MS = 1_000;

/**
 * What Slack says of the person now: admin (or owner), guest. When Slack does not answer within `waitMs` (a 429, an
 * outage, too slowly), what it said before: for admin only within the day, rather than keep rights it took back; for
 * guest at any age, rather than forget a limit (undefined if it never said). Slack's answer is kept for the next check
 * even when it comes too late for this one.
 */
async function standing(db: Db, client: WebClient, teamId: string, userId: string, now: Date, waitMs?: number): Promise<{ admin: boolean; guest?: boolean }> {
  const asked = refreshProfile({ db, client, now: () => now }, teamId, userId)
    .then((user) => {
      if (!user) return undefined;
      const { is_admin, is_guest } = profileColumns(user);
      return { admin: is_admin === 1, guest: is_guest === 1 };
    })
    .catch(() => undefined);
  const said = await (waitMs === undefined ? asked : within(asked, waitMs));
  if (said) return said;
  const known = await getUserSettings(db, teamId, userId);
  return { admin: profileIsFresh(known, now) && known?.is_admin === 1, guest: known?.is_guest == null ? undefined : known.is_guest === 1 };
}

/**
 * Workspace admins and owners (see standing) may change workspace settings, name the coach admins and see delivery
 * failures; the coach admins they named may do the same but name coach admins.
 */
export async function workspaceRole(db: Db, client: WebClient, teamId: string, userId: string, now: Date, waitMs?: number): Promise<WorkspaceRole> {
  if ((await standing(db, client, teamId, userId, now, waitMs)).admin) return 'admin';
  const coach = await db.selectFrom('coach_admins').select('user_id').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
  return coach ? 'coach' : null;
}

/**
 * Whether Slack counts the person as a guest of the workspace: as their profile says while it is from within the
 * day (Slack's user_change events keep it current), else as Slack says now (see standing); undefined when not known.
 */
export async function isGuest(db: Db, client: WebClient, teamId: string, userId: string, now: Date, waitMs?: number): Promise<boolean | undefined> {
  const known = await getUserSettings(db, teamId, userId);
  if (profileIsFresh(known, now) && known?.is_guest != null) return known.is_guest === 1;
  return (await standing(db, client, teamId, userId, now, waitMs)).guest;
}

/**
 * Asks Slack again, for at most `waitMs`, about those of `userIds` the bot was told are deactivated: a reactivation it
 * missed (it was down) clears their mark (see profileColumns), so that a manager can add them back. An answer that
 * comes too late for this command is still recorded, for the next try, as standing's is.
 */
export async function recheckDepartures(db: Db, client: WebClient, teamId: string, userIds: string[], now: Date, waitMs: number): Promise<void> {
  const gone = await departedAmong(db, teamId, userIds);
  await within(Promise.all(gone.map((userId) => refreshProfile({ db, client, now: () => now }, teamId, userId).catch(() => undefined))), waitMs);
}
