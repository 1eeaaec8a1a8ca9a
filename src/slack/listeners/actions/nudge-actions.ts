import type { BlockAction, ButtonAction } from '@slack/bolt';
import { fill } from '../../../content/load.js';
import { getOwnedDeal } from '../../../db/repositories/deals.js';
import { startOfDayAfter } from '../../../jobs/local-time.js';
import type { AppDeps } from '../../deps.js';
import type { ListenerRouter } from '../router.js';
import { escape } from '../../views/blocks.js';
import { formatDate } from '../../views/deals.js';
import { NUDGE_SNOOZE } from '../../views/scheduled.js';

const SNOOZE_DAYS = 7;

export function register(router: ListenerRouter, deps: AppDeps): void {
  // "Snooze 7 days" on a nudge: no nudge about this deal until then. Reassess and Close reuse the result buttons.
  router.action<BlockAction<ButtonAction>>(NUDGE_SNOOZE, async ({ ack, body, action, respond, logger }) => {
    await ack();
    const owner = { teamId: body.team?.id ?? body.user.team_id!, userId: body.user.id };
    const { c, f } = await deps.readerFor(owner.teamId, owner.userId);
    let answer: string;
    try {
      const deal = await getOwnedDeal(deps.db, owner, Number(action.value));
      if (!deal) answer = c.messages.errors.deal_gone;
      // Closed since the nudge was sent: there is nothing left to nudge about.
      else if (deal.status !== 'open') answer = fill(c.messages.close.already_closed, { deal: escape(deal.name) });
      else {
        // Until the start of the seventh day after today on the owner's calendar: the nudge comes back at 09:00 that day.
        const until = startOfDayAfter(deps.now(), f.timeZone, SNOOZE_DAYS).toISOString();
        await deps.db.updateTable('deals').set({ snoozed_until: until }).where('id', '=', deal.id).execute();
        answer = fill(c.messages.nudge.snoozed, { deal: escape(deal.name), date: formatDate(f, until) });
      }
    } catch (err) {
      logger.error('snooze failed', err);
      answer = c.messages.errors.generic;
    }
    // An answer Slack did not take is only logged: telling the seller that the snooze failed would not be true.
    await respond({ response_type: 'ephemeral', replace_original: false, text: answer }).catch((err) => logger.warn('the snooze answer was not delivered', err));
  });
}
