import type { App } from '@slack/bolt';
import { fill } from '../../../content/load.js';
import { enqueue } from '../../../db/repositories/outbox.js';
import { markLeft } from '../../../db/repositories/teams.js';
import { noticesTo } from '../../../jobs/admin-notices.js';
import type { AppDeps } from '../../deps.js';
import { profileColumns, type SlackUser } from '../../reader.js';

/**
 * Slack says when someone's profile changes, deactivation included. Someone deactivated leaves every team, and their
 * managers' notices are written to the outbox in the same transaction, so neither happens without the other; they
 * are nudged no more. Anyone else the bot knows has their time zone and admin flag brought up to date, so that nudges
 * and digests follow a move without waiting for them to use the bot.
 */
export function register(app: App, deps: AppDeps): void {
  app.event('user_change', async ({ event, body, logger }) => {
    const user = event.user as unknown as SlackUser & { id: string; team_id?: string };
    // The workspace the bot is installed in: on Enterprise Grid, the user's own team id may be another workspace's.
    const teamId = (body as { team_id?: string }).team_id || user.team_id;
    if (!teamId) return;
    const now = deps.now();
    try {
      if (user.deleted) {
        await deps.db.transaction().execute(async (trx) => {
          const managers = await markLeft(trx, teamId, user.id, now);
          const notices = await noticesTo(trx, deps.content, teamId, managers, {
            key: (manager) => `left:${teamId}:${user.id}:${now.toISOString()}:${manager}`,
            text: (c) => fill(c.messages.team.report_left, { user: user.id }),
          });
          await enqueue(trx, notices, now);
        });
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
