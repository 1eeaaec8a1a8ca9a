import type { Db } from '../db/create-db.js';
import type { OutboxRow } from '../db/repositories/outbox.js';
import { getWorkspaceSettings, guestAt } from '../db/repositories/settings.js';
import { timeZoneFor } from './job-deps.js';
import { localDate } from './local-time.js';
import { nudgesOff, nudgesSnoozed } from './plan-nudges.js';

/**
 * Whether a message waiting in the outbox no longer holds: a digest whose team changed while it waited (see
 * withdrawDigests) or whose manager Slack has made a guest (whose team reads nothing); a nudge about a deal closed or
 * assessed again since it was planned (a deal's updated_at moves on each assessment and close), or whose owner has
 * since muted or snoozed nudges, or left, by the planner's own rules (see nudgesOff, nudgesSnoozed).
 */
export async function outdated(db: Db, row: OutboxRow, now: Date): Promise<boolean> {
  if (row.kind === 'digest') {
    // As it is now, not as the sender read it: the team may have changed since, or Slack made its manager a guest.
    const current = await db
      .selectFrom('outbox')
      .select('stale')
      .where('id', '=', row.id)
      .where(({ not }) => not(guestAt('outbox.team_id', 'outbox.channel')))
      .executeTakeFirst();
    return !current || current.stale === 1;
  }
  if (row.deal_id === null) return false;
  const current = await db
    .selectFrom('deals')
    .leftJoin('user_settings as owner', (join) => join.onRef('owner.team_id', '=', 'deals.team_id').onRef('owner.user_id', '=', 'deals.owner_id'))
    .select(['deals.status', 'deals.updated_at', 'owner.mute_nudges', 'owner.left_at', 'owner.snooze_until', 'owner.timezone'])
    .where('deals.id', '=', row.deal_id)
    .executeTakeFirst();
  if (!current || current.status !== 'open' || current.updated_at > row.created_at || nudgesOff(current)) return true;
  // A snooze is a day in the owner's time zone, as the planner counts it.
  return current.snooze_until !== null && nudgesSnoozed(current, localDate(now, timeZoneFor(await getWorkspaceSettings(db, row.team_id), current)));
}
