import { z } from 'zod';
import { fill, fillPlain } from '../../../content/load.js';
import { closeDeal, getOwnedDeal } from '../../../db/repositories/deals.js';
import type { AppDeps } from '../../deps.js';
import type { ListenerRouter } from '../router.js';
import { CHANNEL_REFUSALS, mayHaveLanded } from '../../slack-errors.js';
import { selectedOf, textOf, type StateValues } from '../../parse/view-state.js';
import { CLOSE_CALLBACK, SHARE_CALLBACK } from '../../views/deals.js';
import { escape } from '../../views/blocks.js';
import { sharedMessage } from '../../views/result.js';

const closeMeta = z.object({ dealId: z.number().int() });
const shareMeta = z.object({ assessmentId: z.number().int() });
const closeStatus = z.enum(['won', 'lost', 'dropped']);

export function register(router: ListenerRouter, deps: AppDeps): void {
  router.view(CLOSE_CALLBACK, async ({ ack, body, view, client, logger }) => {
    const owner = { teamId: body.team?.id ?? view.team_id, userId: body.user.id };
    const { c } = await deps.readerFor(owner.teamId, owner.userId);
    const values = view.state.values as StateValues;
    const status = closeStatus.safeParse(selectedOf(values, 'status'));
    if (!status.success) return void (await ack({ response_action: 'errors', errors: { status: c.messages.errors.required } }));
    let deal;
    try {
      deal = await getOwnedDeal(deps.db, owner, closeMeta.parse(JSON.parse(view.private_metadata)).dealId);
      if (!deal) return void (await ack({ response_action: 'errors', errors: { status: c.messages.errors.deal_gone } }));
      if (deal.status !== 'open') return void (await ack({ response_action: 'errors', errors: { status: fillPlain(c.messages.close.already_closed, { deal: deal.name }) } }));
      await closeDeal(deps.db, deal.id, status.data, textOf(values, 'reason'), deps.now());
    } catch (err) {
      // The database locked or failing: the modal stays open with the choice made, to try again.
      logger.error('closing the deal failed', err);
      return void (await ack({ response_action: 'errors', errors: { status: c.messages.errors.generic } }));
    }
    await ack();
    const text = fill(c.messages.close.done, { deal: escape(deal.name), status: c.messages.show[`status_${status.data}`] });
    await client.chat.postMessage({ channel: owner.userId, text }).catch((err) => logger.warn('close confirmation failed', err));
  });

  router.view(SHARE_CALLBACK, async ({ ack, body, view, client, logger }) => {
    const owner = { teamId: body.team?.id ?? view.team_id, userId: body.user.id };
    // The post below may take most of Slack's 3 seconds: the language is not worth waiting on Slack for.
    const { c } = await deps.readerFor(owner.teamId, owner.userId, { waitForProfile: false });
    const channel = selectedOf(view.state.values as StateValues, 'channel');
    if (!channel) return void (await ack({ response_action: 'errors', errors: { channel: c.messages.errors.required } }));
    let found;
    try {
      const { assessmentId } = shareMeta.parse(JSON.parse(view.private_metadata));
      const row = await deps.db.selectFrom('assessments').selectAll().where('id', '=', assessmentId).where('assessor_id', '=', owner.userId).executeTakeFirst();
      const deal = row && (await getOwnedDeal(deps.db, owner, row.deal_id));
      if (!row || !deal) return void (await ack({ response_action: 'errors', errors: { channel: c.messages.errors.deal_gone } }));
      found = { row, deal };
    } catch (err) {
      logger.error('reading the assessment to share failed', err);
      return void (await ack({ response_action: 'errors', errors: { channel: c.messages.errors.generic } }));
    }
    const { row, deal } = found;
    try {
      // Posted before the ack so a channel we cannot post in becomes a field error, not silence.
      await deps.fastClient.chat.postMessage({ channel, ...sharedMessage(c, deal, row, owner.userId) });
    } catch (err) {
      if (mayHaveLanded(err)) {
        // No answer, or a failed one: the post may be in the channel already, and a blind retry would post it twice.
        logger.warn('share not confirmed', err);
        return void (await ack({ response_action: 'errors', errors: { channel: c.messages.share.maybe_posted } }));
      }
      const code = (err as { data?: { error?: string } }).data?.error ?? '';
      // A channel where only some may post (restricted_action, restricted_action_read_only_channel for an announcement
      // channel, and the like) refuses every time: another channel is the way.
      const restricted = code.startsWith('restricted_action');
      if (!CHANNEL_REFUSALS.has(code) && !restricted) logger.warn('share failed', err);
      // Slack says channel_not_found for a private channel the bot is not in, as well as for one deleted: inviting
      // the bot is the likelier fix. An archived channel, or a restricted one, is one to replace.
      const refusal =
        code === 'is_archived' ? c.messages.errors.channel_gone : restricted ? c.messages.errors.channel_restricted : CHANNEL_REFUSALS.has(code) ? c.messages.errors.not_in_channel : c.messages.errors.generic;
      return void (await ack({ response_action: 'errors', errors: { channel: refusal } }));
    }
    await ack();
    const done = fill(c.messages.share.done, { deal: escape(deal.name), channel });
    await client.chat.postMessage({ channel: owner.userId, text: done }).catch((err) => logger.warn('share confirmation failed', err));
  });
}
