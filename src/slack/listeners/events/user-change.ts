import { recordDeparture } from '../../../jobs/departures.js';
import type { AppDeps } from '../../deps.js';
import type { ListenerRouter } from '../router.js';
import { profileColumns, type SlackUser } from '../../reader.js';

/**
 * Slack says when someone's profile changes, deactivation included: someone deactivated leaves every team (see
 * recordDeparture; a departure missed here is found by the weekly roster check, for anyone on a team or with an open deal). Anyone else the bot knows has their
 * time zone and admin flag brought up to date, so that nudges and digests follow a move without waiting for them to
 * use the bot.
 */
export function register(router: ListenerRouter, deps: AppDeps): void {
  router.event('user_change', async ({ event, body, logger }) => {
    const user = event.user as unknown as SlackUser & { id: string; team_id?: string };
    // The workspace the bot is installed in: on Enterprise Grid, the user's own team id may be another workspace's.
    const teamId = (body as { team_id?: string }).team_id || user.team_id;
    if (!teamId) return;
    const now = deps.now();
    try {
      if (user.deleted) {
        await recordDeparture(deps, teamId, user.id, now);
      } else {
        // Only people the bot already knows: a profile edit elsewhere in the workspace is none of its business.
        await deps.db
          .updateTable('user_settings')
          .set({ ...profileColumns(user), updated_at: now.toISOString() })
          .where('team_id', '=', teamId)
          .where('user_id', '=', user.id)
          .execute();
      }
      deps.readerFor.forget(teamId, user.id);
    } catch (err) {
      logger.error('could not record a change of a Slack profile', err);
    }
  });
}
