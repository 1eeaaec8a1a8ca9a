import { sql } from 'kysely';
import { pickLocale } from '../content/locale.js';
import { enqueue } from '../db/repositories/outbox.js';
import { CHANNEL_REFUSALS } from '../slack/slack-errors.js';
import { tipMessage } from '../slack/views/scheduled.js';
import type { JobDeps } from './job-deps.js';
import { isValidTimeZone, localTime, weeklySlotAt } from './local-time.js';

/**
 * Plans this week's tip for every workspace with a tip channel once its local slot has passed. The key
 * (channel and ISO week) makes it one post per channel per week, even when run every minute or on start-up.
 */
export async function planTips(deps: JobDeps, now: Date): Promise<number> {
  const workspaces = await deps.db.selectFrom('workspace_settings').selectAll().where('tip_channel_id', 'is not', null).execute();
  let planned = 0;
  for (const ws of workspaces) {
    const zone = isValidTimeZone(ws.timezone) ? ws.timezone : 'UTC';
    const slot = weeklySlotAt(now, zone, ws.tip_weekday, ws.tip_time);
    if (now < slot) continue;
    // A slot missed while the bot was down is caught up; but a channel picked after this week's slot (on a
    // Thursday, say) waits for next week's, so that it does not get two tips in a few days.
    if (Date.parse(ws.tip_channel_since ?? ws.updated_at) > slot.getTime()) continue;
    const channel = ws.tip_channel_id!;
    const key = `tip:${ws.team_id}:${channel}:${localTime(now, zone).week}`;
    planned += await deps.db.transaction().execute(async (trx) => {
      const exists = await trx.selectFrom('outbox').select('id').where('dedupe_key', '=', key).executeTakeFirst();
      if (exists) return 0;
      // The series goes in order without repeats: the next tip is the count of tips this channel already had. One
      // the channel refused (the bot not in it, or the channel archived or hidden) never reached it, so it does not
      // count: the channel gets it at the next slot it takes posts. Any other failure may have landed, and counts.
      const { n } = await trx
        .selectFrom('outbox')
        .select(sql<number>`count(*)`.as('n'))
        .where('team_id', '=', ws.team_id)
        .where('kind', '=', 'tip')
        .where('channel', '=', channel)
        .where(sql<boolean>`not (status = 'failed' and coalesce(last_error, '') in (${sql.join([...CHANNEL_REFUSALS])}))`)
        .executeTakeFirstOrThrow();
      const locale = pickLocale(deps.content.locales, [ws.tip_channel_language, ws.language]);
      const c = deps.content.get(locale);
      const ids = Object.keys(c.tips.tips);
      const tip = c.tips.tips[ids[Number(n) % ids.length]!]!;
      return enqueue(trx, [{ teamId: ws.team_id, key, kind: 'tip', channel, payload: tipMessage(c, tip) }], now);
    });
  }
  return planned;
}
