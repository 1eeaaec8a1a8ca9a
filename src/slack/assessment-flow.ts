import { randomUUID } from 'node:crypto';
import { dealToReassess } from '../db/repositories/assessments.js';
import { findDealByName, listOpenDeals, nameKey, nearestNames, type Owner } from '../db/repositories/deals.js';
import { fill } from '../content/load.js';
import type { LocaleContent } from '../content/schema.js';
import type { AppDeps } from './deps.js';
import type { FlowMeta } from './parse/flow-meta.js';
import { modalNotOpened } from './slack-errors.js';
import { axesStepView, dealStepView } from './views/assess-steps.js';
import { escape } from './views/blocks.js';
import { boldNames } from './views/deals.js';

/** Tells the user something privately when a modal cannot do it (ephemeral or DM, by surface). */
export type Tell = (text: string) => Promise<unknown>;

/**
 * What step 1 says of a name typed after `/deal assess` that is none of the seller's open deals: that a closed deal
 * has it (saving starts a new one), or the open deals (of `openNames`) it may have meant.
 */
async function typedNameNote(deps: AppDeps, c: LocaleContent, owner: Owner, typed: string, openNames: string[]): Promise<string | null> {
  const closed = await findDealByName(deps.db, owner, typed);
  if (closed) return fill(c.messages.deal_step.closed_namesake, { deal: escape(closed.name), status: c.messages.show[`status_${closed.status}`] });
  const names = nearestNames(typed, openNames, true);
  return names.length ? fill(c.messages.deal_step.did_you_mean, { name: escape(typed), names: boldNames(c, names) }) : null;
}

/**
 * Opens the assessment modal: on the deal step, or straight on the axes step when reassessing a deal.
 * views.open goes through the no-retry client, because a trigger_id dies 3 seconds after the click.
 */
export async function openAssessment(
  deps: AppDeps,
  input: { triggerId: string; owner: Owner; typedName?: string | null; dealId?: number; fromHome?: boolean },
  tell: Tell,
): Promise<void> {
  const { c } = await deps.readerFor(input.owner.teamId, input.owner.userId);
  const meta: FlowMeta = { key: randomUUID(), dealId: null, newDeal: null, dealName: '', answers: null, ...(input.fromHome ? { fromHome: true } : {}) };
  let view;
  if (input.dealId !== undefined) {
    const found = await dealToReassess(deps.db, input.owner, input.dealId, deps.now());
    if (!found || found.deal.status !== 'open') {
      await tell(found ? fill(c.messages.errors.deal_closed, { deal: escape(found.deal.name) }) : c.messages.errors.deal_gone);
      return;
    }
    const { deal, prefill, offeredSince } = found;
    view = axesStepView(c, { dealName: deal.name, prefill, meta: { ...meta, dealId: deal.id, dealName: deal.name, offeredSince }, skippedDetails: true });
  } else {
    const deals = await listOpenDeals(deps.db, input.owner);
    const typedKey = input.typedName ? nameKey(input.typedName) : null;
    const match = deals.find((d) => nameKey(d.name) === typedKey);
    const note = input.typedName && !match ? await typedNameNote(deps, c, input.owner, input.typedName, deals.map((d) => d.name)) : null;
    view = dealStepView(c, { deals, preselectId: match?.id ?? null, typedName: input.typedName ?? null, meta, note });
  }
  try {
    await deps.fastClient.views.open({ trigger_id: input.triggerId, view });
  } catch (err) {
    deps.logger.warn('the assessment modal could not open', err);
    await tell(modalNotOpened(c, err));
  }
}
