import type { ModalView } from '@slack/types';
import { fill, fillPlain } from '../../../content/load.js';
import type { Answers } from '../../../coaching/answers.js';
import type { LocaleContent } from '../../../content/schema.js';
import { DealNotOpenError, DuplicateDealError, dealToReassess, saveAssessment, type AssessmentRow, type SaveAssessment, type Saved, type SpinNotes } from '../../../db/repositories/assessments.js';
import { findOpenDealByName, getOwnedDeal, tidyName, type DealChanges, type NewDeal, type Owner } from '../../../db/repositories/deals.js';
import type { AppDeps } from '../../deps.js';
import { publishHome } from '../../home.js';
import type { ListenerRouter } from '../router.js';
import { decodeMeta, type FlowMeta } from '../../parse/flow-meta.js';
import { minorDigits, toMinorUnits } from '../../parse/money.js';
import { readAnswers, selectedOf, textOf, type FieldErrors, type StateValues } from '../../parse/view-state.js';
import { CALLBACK, MAX, NEW_DEAL_OPTION, NOTE_IDS, axesStepView, notesStepView } from '../../views/assess-steps.js';
import { escape, messagesOf, sectionsOf } from '../../views/blocks.js';
import { noteLines } from '../../views/deals.js';
import { answerLines, resultMessage, resultModal, type DealRef } from '../../views/result.js';

type Step = { errors: FieldErrors } | { meta: FlowMeta; prefill: Answers | null };

/** The details filled in, if any: an empty field leaves the deal's as it is. */
function someChanges(details: DealChanges | null | undefined): DealChanges | null {
  const given = Object.entries(details ?? {}).filter(([, v]) => v !== null && v !== undefined);
  return given.length ? (Object.fromEntries(given) as DealChanges) : null;
}

/** The deal's details on step 1: a new deal's, or changes to a picked one. */
function readDetails(values: StateValues, e: LocaleContent['messages']['errors']): { details: Omit<NewDeal, 'name'>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const customer = textOf(values, 'new_customer');
  const valueText = textOf(values, 'new_value');
  const currency = selectedOf(values, 'new_currency');
  const closeDate = selectedOf(values, 'new_close_date');
  if (customer && customer.length > MAX.customer) errors.new_customer = fill(e.too_long, { max: MAX.customer });
  let valueMinor: number | null = null;
  if (valueText) {
    if (!currency) errors.new_currency = e.currency_needed;
    else {
      valueMinor = toMinorUnits(valueText, currency);
      // A currency without minor units (VND, JPY) is told as such, not shown an example with cents.
      if (valueMinor === null) errors.new_value = minorDigits(currency) === 0 && valueText.includes('.') ? fill(e.bad_value_whole, { currency }) : e.bad_value;
    }
  }
  if (closeDate && !/^\d{4}-\d{2}-\d{2}$/.test(closeDate)) errors.new_close_date = e.bad_date;
  return { details: { customer, valueMinor, currency: valueMinor === null ? null : currency, closeDate }, errors };
}

/** Step 1: an existing deal of the owner's (with any details to update), or a valid new one whose name is not taken. */
async function readDealStep(deps: AppDeps, owner: Owner, values: StateValues, meta: FlowMeta): Promise<Step> {
  const { c } = await deps.readerFor(owner.teamId, owner.userId);
  const e = c.messages.errors;
  const picked = selectedOf(values, 'deal_pick');
  const pick = picked === NEW_DEAL_OPTION ? null : picked;
  const typed = textOf(values, 'new_name');
  // The name the step filled in, left as it was beside a pick (a "did you mean" deal picked, say), is no new name.
  const name = typed === null || (pick && typed === meta.prefilledName) ? null : tidyName(typed);
  if (pick && name) return { errors: { new_name: e.pick_and_name } };
  const { details, errors } = readDetails(values, e);
  const dealChanges = someChanges(details);
  if (pick) {
    if (Object.keys(errors).length) return { errors };
    const found = await dealToReassess(deps.db, owner, Number(pick), deps.now());
    if (!found) return { errors: { deal_pick: e.deal_gone } };
    if (found.deal.status !== 'open') return { errors: { deal_pick: fillPlain(e.deal_closed, { deal: found.deal.name }) } };
    const { deal, prefill, offeredSince } = found;
    return { meta: { ...meta, dealId: deal.id, newDeal: null, dealChanges, dealName: deal.name, offeredSince }, prefill };
  }
  if (!name) return { errors: { new_name: e.pick_or_name } };
  if (name.length > MAX.name) errors.new_name = fill(e.too_long, { max: MAX.name });
  else if (await findOpenDealByName(deps.db, owner, name)) errors.new_name = fill(e.duplicate_name, { name });
  if (Object.keys(errors).length) return { errors };
  return { meta: { ...meta, dealId: null, dealName: name, newDeal: { name, ...details }, dealChanges }, prefill: null };
}

/**
 * How long after the result was shown a failed save is told in the modal: Slack applies our answer to the
 * submission as it reads it, and an update sent in the same instant could land first and be replaced by the result.
 */
const NOT_SAVED_AFTER_MS = 1_000;

/** Where saving again can put an assessment whose save was refused, and why, in the modal and by DM. */
type SaveAgain = { meta: FlowMeta; inModal: string; byDm: string };

/**
 * The deal the flow named could not take the assessment: another form opened a deal of that name first, or the deal
 * was closed meanwhile. Saving again then adds it to that open deal, or starts a new one of the name (with the
 * closed deal's customer and value), so that the notes step does not refuse the same way each time.
 */
async function saveAgain(deps: AppDeps, c: LocaleContent, owner: Owner, meta: FlowMeta, err: unknown): Promise<SaveAgain> {
  const e = c.messages.errors;
  const name = escape(meta.dealName);
  const unchanged = { meta, inModal: e.generic, byDm: e.generic };
  try {
    if (err instanceof DuplicateDealError) {
      const open = await findOpenDealByName(deps.db, owner, meta.dealName);
      if (!open) return unchanged;
      const inModal = fill(e.duplicate_name_save_again, { name: escape(open.name) });
      // What the seller typed (dealChanges, never a closed deal's own details) goes to the deal the other form opened.
      // The time on the deal offered was another deal's: nothing to tell a correction by.
      return { meta: { ...meta, dealId: open.id, newDeal: null, offeredTimeOnDeal: null, offeredSince: undefined, dealName: open.name }, inModal, byDm: fill(e.duplicate_name_dm, { name: escape(open.name) }) };
    }
    if (err instanceof DealNotOpenError) {
      // Only a reassessment, of a deal that has an id, is refused as not open.
      const closed = await getOwnedDeal(deps.db, owner, meta.dealId!);
      // The closed deal's customer and value, with any details the seller filled in on top.
      const newDeal = { name: meta.dealName, customer: closed?.customer ?? null, valueMinor: closed?.value_minor ?? null, currency: closed?.currency ?? null, closeDate: null, ...meta.dealChanges };
      return { meta: { ...meta, dealId: null, newDeal, offeredTimeOnDeal: null, offeredSince: undefined }, inModal: fill(e.deal_closed_save_again, { deal: name }), byDm: fill(e.deal_closed, { deal: name }) };
    }
  } catch (lookup) {
    deps.logger.warn('could not look up the deal for saving again', lookup);
  }
  return unchanged;
}

/**
 * A save failed after the result was shown: the modal goes back to the notes, filled in as typed, with why on top,
 * so that saving again is one click. If the modal is gone (closed, or Slack refusing), a DM says so and holds the notes.
 */
async function tellNotSaved(
  deps: AppDeps,
  input: { c: LocaleContent; owner: Owner; viewId: string; meta: FlowMeta; notes: SpinNotes; err: unknown; answeredAt: number },
): Promise<void> {
  const { c, owner, notes } = input;
  const again = await saveAgain(deps, c, owner, input.meta, input.err);
  const notSaved = (reason: string) => fill(c.messages.errors.not_saved, { deal: escape(input.meta.dealName), reason });
  await new Promise((r) => setTimeout(r, Math.max(0, input.answeredAt + NOT_SAVED_AFTER_MS - Date.now())));
  try {
    const view = notesStepView(c, { dealName: again.meta.dealName, meta: again.meta, notes, notSaved: notSaved(again.inModal) });
    await deps.client.views.update({ view_id: input.viewId, view });
  } catch (err) {
    deps.logger.warn('could not put the notes back in the modal; telling the user by DM', err);
    // The answers and the notes in full, since this is their only copy: in as many messages as their text needs, in order.
    const text = notSaved(again.byDm);
    const answers = input.meta.answers ? [answerLines(c, input.meta.answers)] : [];
    for (const blocks of messagesOf(sectionsOf([text, ...answers, ...noteLines(c, notes)], '\n\n'))) await deps.client.chat.postMessage({ channel: owner.userId, text, blocks });
  }
}

function readNotes(values: StateValues, tooLong: string): { notes?: SpinNotes; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const notes = {} as SpinNotes;
  for (const id of NOTE_IDS) {
    const value = textOf(values, id);
    if (value && value.length > MAX.note) errors[id] = fill(tooLong, { max: MAX.note });
    notes[id] = value;
  }
  return Object.keys(errors).length ? { errors } : { notes, errors };
}

export function register(router: ListenerRouter, deps: AppDeps): void {
  router.view(CALLBACK.deal, async ({ ack, body, view, logger }) => {
    const owner = { teamId: body.team?.id ?? view.team_id, userId: body.user.id };
    try {
      const step = await readDealStep(deps, owner, view.state.values as StateValues, decodeMeta(view.private_metadata));
      if ('errors' in step) return void (await ack({ response_action: 'errors', errors: step.errors }));
      const { c } = await deps.readerFor(owner.teamId, owner.userId);
      await ack({ response_action: 'update', view: axesStepView(c, { dealName: step.meta.dealName, prefill: step.prefill, meta: step.meta }) });
    } catch (err) {
      logger.error('deal step failed', err);
      await ack({ response_action: 'errors', errors: { new_name: (await deps.readerFor(owner.teamId, owner.userId)).c.messages.errors.generic } });
    }
  });

  router.view(CALLBACK.axes, async ({ ack, body, view, logger }) => {
    const owner = { teamId: body.team?.id ?? view.team_id, userId: body.user.id };
    const { c } = await deps.readerFor(owner.teamId, owner.userId);
    try {
      const { answers, errors } = readAnswers(view.state.values as StateValues, c.messages.errors.required);
      if (!answers) return void (await ack({ response_action: 'errors', errors }));
      const meta = { ...decodeMeta(view.private_metadata), answers };
      await ack({ response_action: 'update', view: notesStepView(c, { dealName: meta.dealName, meta }) });
    } catch (err) {
      logger.error('axes step failed', err);
      await ack({ response_action: 'errors', errors: { budget: c.messages.errors.generic } });
    }
  });

  router.view(CALLBACK.notes, async ({ ack, body, view, logger }) => {
    const owner = { teamId: body.team?.id ?? view.team_id, userId: body.user.id };
    const { c } = await deps.readerFor(owner.teamId, owner.userId);
    const e = c.messages.errors;
    let meta: FlowMeta;
    let input: SaveAssessment;
    let result: ModalView;
    try {
      meta = decodeMeta(view.private_metadata);
      const { notes, errors } = readNotes(view.state.values as StateValues, e.too_long);
      if (!notes) return void (await ack({ response_action: 'errors', errors }));
      if (!meta.answers) throw new Error('notes submitted before the axes were answered');
      const now = deps.now();
      // A correction of the time on the deal offered counts from now; an accepted offer that moved on, from its own
      // moment; otherwise the deal keeps counting as it was.
      const corrected = Boolean(meta.offeredTimeOnDeal) && meta.answers.time_on_deal !== meta.offeredTimeOnDeal;
      const timeOnDealSince = corrected ? now.toISOString() : meta.offeredSince;
      const deal = meta.dealId ? { id: meta.dealId, changes: meta.dealChanges, timeOnDealSince } : { create: meta.newDeal! };
      input = { owner, deal, answers: meta.answers, notes, submissionKey: meta.key, now };
      result = resultModal(c, { name: meta.dealName }, input.answers);
    } catch (err) {
      logger.error('reading the notes step failed', err);
      return void (await ack({ response_action: 'errors', errors: { situation: e.generic } }));
    }
    // The result is shown first and saved right after: the answer is on its way before the save starts, and the
    // save (one local write) is done before this process reads another request, so the seller's next look at the
    // deal finds it. If the save fails, the modal goes back to the notes, as typed, with the reason on top.
    const answeredAt = Date.now();
    await ack({ response_action: 'update', view: result });
    let saved: Saved;
    try {
      saved = await saveAssessment(deps.db, input);
    } catch (err) {
      const known = err instanceof DuplicateDealError || err instanceof DealNotOpenError;
      if (!known) logger.error('saving the assessment failed', err);
      deps.afterAck.run('telling the user their assessment was not saved', () => tellNotSaved(deps, { c, owner, viewId: view.id, meta, notes: input.notes, err, answeredAt }));
      return;
    }
    if (saved.replay) return;
    const deal = { id: saved.dealId, name: meta.dealName };
    if (meta.fromHome) deps.afterAck.run('home refresh', () => publishHome(deps, owner));
    sendResultDm(deps, c, owner.userId, deal, saved.assessment, view.id);
  });
}

/**
 * After the ack, the DM copy at the channel's pace, retried. If it still fails, the result modal (open unless the
 * user has closed it) says so and where the result is kept. Made here, not in the handler, so that a result waiting
 * for its channel holds only what it needs rather than the whole request: under load those waits outlive the
 * young heap and every byte held is copied out of it.
 */
function sendResultDm(deps: AppDeps, c: LocaleContent, userId: string, deal: DealRef, assessment: AssessmentRow, viewId: string) {
  deps.resultDms.send(
    userId,
    deal.id,
    assessment.id,
    () => resultMessage(c, deal, assessment),
    () => deps.fastClient.views.update({ view_id: viewId, view: resultModal(c, deal, assessment, { dmFailed: true }) }),
  );
}
