import { randomUUID } from 'node:crypto';
import { dealToReassess } from '../db/repositories/assessments.js';
import { listOpenDeals, nameKey, type Owner } from '../db/repositories/deals.js';
import { fill } from '../content/load.js';
import type { AppDeps } from './deps.js';
import type { FlowMeta } from './parse/flow-meta.js';
import { modalNotOpened } from './slack-errors.js';
import { axesStepView, dealStepView } from './views/assess-steps.js';
import { escape } from './views/blocks.js';

/** Tells the user something privately when a modal cannot do it (ephemeral or DM, by surface). */
export type Tell = (text: string) => Promise<unknown>;

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
    view = axesStepView(c, { dealName: deal.name, prefill, meta: { ...meta, dealId: deal.id, dealName: deal.name, offeredSince } });
  } else {
    const deals = await listOpenDeals(deps.db, input.owner);
    const typedKey = input.typedName ? nameKey(input.typedName) : null;
    const match = deals.find((d) => nameKey(d.name) === typedKey);
    view = dealStepView(c, { deals, preselectId: match?.id ?? null, typedName: input.typedName ?? null, meta });
  }
  try {
    await deps.fastClient.views.open({ trigger_id: input.triggerId, view });
  } catch (err) {
    deps.logger.warn('the assessment modal could not open', err);
    await tell(modalNotOpened(c, err));
  }
}
