import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { fill } from '../../../content/load.js';
import { dealHistory } from '../../../db/repositories/assessments.js';
import { getOwnedDeal, type Owner } from '../../../db/repositories/deals.js';
import { openAssessment, type Tell } from '../../assessment-flow.js';
import type { AppDeps } from '../../deps.js';
import type { ListenerRouter } from '../router.js';
import { modalNotOpened } from '../../slack-errors.js';
import { closeModal, historyModal, HOME_ASSESS, shareModal } from '../../views/deals.js';
import { escape } from '../../views/blocks.js';
import { RESULT_ACTIONS } from '../../views/result.js';

/** From a message we answer in place (ephemeral); from the Home tab, which has no response_url, by DM. */
function tellerFor(body: BlockAction, client: WebClient, respond: (m: { response_type: 'ephemeral'; replace_original: false; text: string }) => Promise<unknown>): Tell {
  if (body.response_url) return (text) => respond({ response_type: 'ephemeral', replace_original: false, text });
  return (text) => client.chat.postMessage({ channel: body.user.id, text });
}

export function register(router: ListenerRouter, deps: AppDeps): void {
  const owned = async (owner: Owner, value: string) => getOwnedDeal(deps.db, owner, Number(value));

  /** Opens the assessment from a button; a failure on the way is told to the user, not only logged. */
  const assessFrom = (actionId: string, dealIdOf: (value: string) => number | undefined) =>
    router.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, respond, logger }) => {
      await ack();
      const owner = { teamId: body.team?.id ?? body.user.team_id!, userId: body.user.id };
      const tell = tellerFor(body, client, respond);
      const fromHome = body.view?.type === 'home';
      await openAssessment(deps, { triggerId: body.trigger_id, owner, dealId: dealIdOf(action.value ?? ''), fromHome }, tell).catch(async (err) => {
        logger.error(`${actionId} failed`, err);
        await tell((await deps.readerFor(owner.teamId, owner.userId)).c.messages.errors.generic).catch(() => undefined);
      });
    });
  assessFrom(HOME_ASSESS, () => undefined);
  assessFrom(RESULT_ACTIONS.reassess, Number);

  /** Opens a modal about one of the user's deals, or says why it cannot. */
  const dealModal = (actionId: string, build: (deps: AppDeps, owner: Owner, value: string) => Promise<{ view?: Parameters<WebClient['views']['open']>[0]['view']; problem?: string }>) =>
    router.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, respond, logger }) => {
      await ack();
      const owner = { teamId: body.team?.id ?? body.user.team_id!, userId: body.user.id };
      const tell = tellerFor(body, client, respond);
      const { c } = await deps.readerFor(owner.teamId, owner.userId);
      try {
        const { view, problem } = await build(deps, owner, action.value ?? '');
        if (problem) return void (await tell(problem));
        await deps.fastClient.views.open({ trigger_id: body.trigger_id, view: view! });
      } catch (err) {
        logger.warn(`${actionId} failed`, err);
        await tell(modalNotOpened(c, err)).catch(() => undefined);
      }
    });

  dealModal(RESULT_ACTIONS.history, async (d, owner, value) => {
    const { c, f } = await d.readerFor(owner.teamId, owner.userId);
    const deal = await owned(owner, value);
    if (!deal) return { problem: c.messages.errors.deal_gone };
    return { view: historyModal(c, f, deal, await dealHistory(d.db, deal.id)) };
  });

  dealModal(RESULT_ACTIONS.close, async (d, owner, value) => {
    const { c } = await d.readerFor(owner.teamId, owner.userId);
    const deal = await owned(owner, value);
    if (!deal) return { problem: c.messages.errors.deal_gone };
    if (deal.status !== 'open') return { problem: fill(c.messages.close.already_closed, { deal: escape(deal.name) }) };
    return { view: closeModal(c, deal) };
  });

  dealModal(RESULT_ACTIONS.share, async (d, owner, value) => {
    const { c } = await d.readerFor(owner.teamId, owner.userId);
    return { view: shareModal(c, Number(value)) };
  });
}
