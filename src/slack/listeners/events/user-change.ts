import type { App } from '@slack/bolt';
import { fill } from '../../../content/load.js';
import { enqueue } from '../../../db/repositories/outbox.js';
import { getUserSettings, getWorkspaceSettings } from '../../../db/repositories/settings.js';
import { markLeft } from '../../../db/repositories/teams.js';
import { personFor } from '../../../jobs/job-deps.js';
import type { AppDeps } from '../../deps.js';
import { section } from '../../views/blocks.js';

/** The parts of Slack's user object that user_change carries and we keep. */
interface ChangedUser {
  id: string;
  team_id?: string;
  deleted?: boolean;
  tz?: string;
  is_admin?: boolean;
  is_owner?: boolean;
}

/**
 * Slack says when someone's profile changes, deactivation included. Someone deactivated leaves every team (their
 * managers are told, through the outbox, which retries) and is nudged no more; anyone else we know has their time
 * zone and admin flag brought up to date, so that nudges and digests follow a move without waiting for them to use
 * the bot.
 */
export function register(app: App, deps: AppDeps): void {
  app.event('user_change', async ({ event, body, logger }) => {
    const user = event.user as unknown as ChangedUser;
    const teamId = user.team_id ?? (body as { team_id?: string }).team_id ?? '';
    const now = deps.now();
    try {
      if (user.deleted) {
        const managers = await markLeft(deps.db, teamId, user.id, now);
        const workspace = await getWorkspaceSettings(deps.db, teamId);
        const notices = [];
        for (const manager of managers) {
          const { c } = personFor(deps.content, workspace, await getUserSettings(deps.db, teamId, manager));
          const text = fill(c.messages.team.report_left, { user: user.id });
          notices.push({ teamId, key: `left:${teamId}:${user.id}:${now.toISOString().slice(0, 10)}:${manager}`, kind: 'notice' as const, channel: manager, payload: { text, blocks: [section(text)] } });
        }
        await enqueue(deps.db, notices, now);
      } else {
        // Only people the bot already knows: a profile edit elsewhere in the workspace is none of its business.
        await deps.db
          .updateTable('user_settings')
          .set({ timezone: user.tz ?? null, is_admin: user.is_admin || user.is_owner ? 1 : 0, left_at: null, updated_at: now.toISOString() })
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
