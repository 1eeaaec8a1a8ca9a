import { fill } from '../content/load.js';
import { enqueue, type OutboxRow } from '../db/repositories/outbox.js';
import { getWorkspaceSettings } from '../db/repositories/settings.js';
import { CHANNEL_REFUSALS } from '../slack/slack-errors.js';
import { section } from '../slack/views/blocks.js';
import { personFor, type JobDeps } from './job-deps.js';
import { localTime } from './local-time.js';


/** Who hears about delivery problems: coach admins, known workspace admins, and whoever last saved the settings. */
export async function adminsOf(deps: JobDeps, teamId: string): Promise<string[]> {
  const coach = await deps.db.selectFrom('coach_admins').select('user_id').where('team_id', '=', teamId).execute();
  const slackAdmins = await deps.db.selectFrom('user_settings').select('user_id').where('team_id', '=', teamId).where('is_admin', '=', 1).execute();
  const workspace = await getWorkspaceSettings(deps.db, teamId);
  return [...new Set([...coach.map((r) => r.user_id), ...slackAdmins.map((r) => r.user_id), ...(workspace.updated_by ? [workspace.updated_by] : [])])];
}

/**
 * A tip that cannot be posted because the bot is not in the channel, or the channel is archived or gone, is told to
 * the admins once per channel and week (its own outbox key), not on every retry.
 */
export async function noticeTipChannelProblem(deps: JobDeps, row: OutboxRow, reason: string, now: Date): Promise<void> {
  if (row.kind !== 'tip' || !CHANNEL_REFUSALS.has(reason)) return;
  // Invite the bot, or, for an archived or missing channel, pick another.
  const notice = reason === 'not_in_channel' ? 'not_in_channel' : 'channel_gone';
  const workspace = await getWorkspaceSettings(deps.db, row.team_id);
  const week = localTime(now, 'UTC').week;
  const messages = [];
  for (const admin of await adminsOf(deps, row.team_id)) {
    const user = await deps.db.selectFrom('user_settings').selectAll().where('team_id', '=', row.team_id).where('user_id', '=', admin).executeTakeFirst();
    const { c } = personFor(deps.content, workspace, user);
    const text = fill(c.messages.admin[notice], { channel: row.channel });
    messages.push({ teamId: row.team_id, key: `notice:${row.team_id}:${row.channel}:${week}:${admin}`, kind: 'notice' as const, channel: admin, payload: { text, blocks: [section(text)] } });
  }
  await enqueue(deps.db, messages, now);
}
