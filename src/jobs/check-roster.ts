import type { WebClient } from '@slack/web-api';
import type { Logger } from '@slack/bolt';
import { updateUserSettings } from '../db/repositories/settings.js';
import { refreshProfile } from '../slack/reader.js';
import { noClearAnswer } from '../slack/slack-errors.js';
import { recordDeparture } from './departures.js';
import type { JobDeps } from './job-deps.js';

/** How often the Slack profile of everyone on a team is read again, if nothing else has read it. */
const ROSTER_CHECK_EVERY_MS = 7 * 86_400_000;
/** Profiles read per run: a run a minute reads thousands a day, far inside what Slack allows for users.info. */
export const ROSTER_PER_RUN = 5;

/**
 * Reads again the Slack profiles, not read for a week, of the people the bot plans messages for (on a team, or with
 * an open deal): their time zone stays current, and a departure the bot missed (it was down when Slack said so, or
 * could not record it) is recorded, so that a deactivated person does not stay in digests and nudges for good.
 * Returns the notices written.
 */
export async function checkRoster(deps: JobDeps & { client: WebClient; logger: Logger }, now: Date): Promise<number> {
  const members = deps.db
    .selectFrom('team_members')
    .select(['team_id', 'report_id as user_id'])
    .union(deps.db.selectFrom('team_members').select(['team_id', 'manager_id as user_id']))
    .union(deps.db.selectFrom('deals').select(['team_id', 'owner_id as user_id']).where('status', '=', 'open'));
  const due = await deps.db
    .selectFrom(members.as('m'))
    .leftJoin('user_settings as s', (join) => join.onRef('s.team_id', '=', 'm.team_id').onRef('s.user_id', '=', 'm.user_id'))
    .select(['m.team_id', 'm.user_id'])
    // Someone gone stays gone until Slack says otherwise (the user_change event).
    .where('s.left_at', 'is', null)
    .where((eb) => eb.or([eb('s.profile_refreshed_at', 'is', null), eb('s.profile_refreshed_at', '<', new Date(now.getTime() - ROSTER_CHECK_EVERY_MS).toISOString())]))
    .orderBy('s.profile_refreshed_at')
    .limit(ROSTER_PER_RUN)
    .execute();
  let notices = 0;
  for (const person of due) {
    let user;
    try {
      user = await refreshProfile({ ...deps, now: () => now }, person.team_id, person.user_id);
    } catch (err) {
      // Slack did not answer: the rest wait for the next run. A refusal about this one person (someone from another
      // organisation, say) is read again in a week, so that it does not hold up everyone after them.
      if (noClearAnswer(err)) {
        deps.logger.warn('roster check: Slack did not say who is still here', err);
        break;
      }
      await updateUserSettings(deps.db, person.team_id, person.user_id, { profile_refreshed_at: now.toISOString() }, now);
      continue;
    }
    if (!user?.deleted) continue;
    try {
      notices += await recordDeparture(deps, person.team_id, person.user_id, now);
    } catch (err) {
      // Read again at the next run, rather than in a week.
      await updateUserSettings(deps.db, person.team_id, person.user_id, { profile_refreshed_at: null }, now);
      throw err;
    }
  }
  return notices;
}
