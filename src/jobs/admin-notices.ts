import { fill } from '../content/load.js';
import type { Transaction } from 'kysely';
import type { Content } from '../content/load.js';
import type { LocaleContent } from '../content/schema.js';
import type { Db } from '../db/create-db.js';
import { enqueue, type OutboxRow, type PlannedMessage } from '../db/repositories/outbox.js';
import { getWorkspaceSettings } from '../db/repositories/settings.js';
import type { Database } from '../db/schema.js';
import { CHANNEL_REFUSALS } from '../slack/slack-errors.js';
import { section } from '../slack/views/blocks.js';
import { personFor, type JobDeps } from './job-deps.js';
import { localTime } from './local-time.js';

/** A notice for the outbox to each of these people, in their own language; `key` names each one. */
export async function noticesTo(
  db: Db | Transaction<Database>,
  content: Content,
  teamId: string,
  people: string[],
  notice: { key: (person: string) => string; text: (c: LocaleContent) => string },
): Promise<PlannedMessage[]> {
  if (people.length === 0) return [];
  const workspace = await getWorkspaceSettings(db, teamId);
  const settings = await db.selectFrom('user_settings').selectAll().where('team_id', '=', teamId).where('user_id', 'in', people).execute();
  return people.map((person) => {
    const { c } = personFor(content, workspace, settings.find((s) => s.user_id === person));
    const text = notice.text(c);
    return { teamId, key: notice.key(person), kind: 'notice', channel: person, payload: { text, blocks: [section(text)] } };
  });
}

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
  // Invite the bot; or pick another channel for an archived one; Slack says channel_not_found both for a channel
  // deleted and for a private one the bot is not in, so that notice offers both.
  const notice = reason === 'not_in_channel' ? 'not_in_channel' : reason === 'channel_not_found' ? 'channel_hidden' : 'channel_gone';
  const week = localTime(now, 'UTC').week;
  const messages = await noticesTo(deps.db, deps.content, row.team_id, await adminsOf(deps, row.team_id), {
    key: (admin) => `notice:${row.team_id}:${row.channel}:${week}:${admin}`,
    text: (c) => fill(c.messages.admin[notice], { channel: row.channel }),
  });
  await enqueue(deps.db, messages, now);
}
