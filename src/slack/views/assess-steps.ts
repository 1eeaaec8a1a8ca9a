import type { ModalView } from '@slack/types';
import { QUESTIONS, type Answers, type QuestionId } from '../../coaching/answers.js';
import { fill } from '../../content/load.js';
import { LIMITS, type LocaleContent } from '../../content/schema.js';
import type { DealSummary } from '../../db/repositories/deals.js';
import type { SpinNotes } from '../../db/repositories/assessments.js';
import { encodeMeta, type FlowMeta } from '../parse/flow-meta.js';
import { CURRENCIES } from '../parse/money.js';
import { clipMiddle, context, divider, escape, option, plain, prefix, section, type AnyBlock } from './blocks.js';

export const CALLBACK = { deal: 'assess_deal', axes: 'assess_axes', notes: 'assess_notes' } as const;

/** Lengths the forms enforce, so what we store always fits Slack's texts when shown again. */
export const MAX = { name: 80, customer: 80, note: 1000, options: 100 } as const;

const NOTE_IDS = ['situation', 'problem', 'implication', 'need_payoff', 'next_step'] as const satisfies readonly (keyof SpinNotes)[];

function modal(c: LocaleContent, callbackId: string, title: string, submit: string, meta: FlowMeta, blocks: AnyBlock[]): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title, 24),
    submit: plain(submit, 24),
    close: plain(c.messages.modal.cancel, 24),
    private_metadata: encodeMeta(meta),
    blocks,
  };
}

function textInput(blockId: string, label: string, opts: { optional?: boolean; initial?: string | null; max?: number; multiline?: boolean }): AnyBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: opts.optional ?? true,
    label: plain(label, 2000),
    element: {
      type: 'plain_text_input',
      action_id: blockId,
      ...(opts.max ? { max_length: opts.max } : {}),
      ...(opts.multiline ? { multiline: true } : {}),
      ...(opts.initial ? { initial_value: opts.initial } : {}),
    },
  } as AnyBlock;
}

/**
 * The picker's first option: Slack cannot empty a select once something is picked, so a seller who picked a deal
 * and then wants a new one picks this.
 */
export const NEW_DEAL_OPTION = 'new';

/** Step 1: pick one of the owner's open deals, or describe a new one; `note` first, about the name typed. */
export function dealStepView(c: LocaleContent, input: { deals: DealSummary[]; preselectId: number | null; typedName: string | null; meta: FlowMeta; note?: string | null }): ModalView {
  const m = c.messages.deal_step;
  const blocks: AnyBlock[] = input.note ? [context(input.note)] : [];
  // Slack lists at most 100 options, "a new deal" one of them: the deal asked for by name is always among them.
  const room = MAX.options - 1;
  const asked = input.deals.findIndex((d) => d.id === input.preselectId);
  const deals = asked >= room ? [input.deals[asked]!, ...input.deals.slice(0, room - 1)] : input.deals.slice(0, room);
  if (deals.length > 0) {
    const options = [option(m.new_deal_option, NEW_DEAL_OPTION), ...deals.map((d) => option(clipMiddle(d.name, LIMITS.option), String(d.id)))];
    const initial = options.find((o) => o.value === String(input.preselectId));
    blocks.push({
      type: 'input',
      block_id: 'deal_pick',
      optional: true,
      label: plain(m.pick_label, 2000),
      element: { type: 'static_select', action_id: 'deal_pick', placeholder: plain(m.pick_placeholder, 150), options, ...(initial ? { initial_option: initial } : {}) },
    } as AnyBlock);
    if (input.deals.length > deals.length) blocks.push(context(fill(m.more_deals, { shown: deals.length, count: input.deals.length })));
    blocks.push(divider(), section(m.or_new), context(m.details_hint));
  }
  const typed = input.preselectId || !input.typedName ? null : prefix(input.typedName, MAX.name);
  blocks.push(
    // With nothing to pick, the name is the one thing the step needs: Slack then asks for it before sending.
    textInput('new_name', m.name_label, { optional: deals.length > 0, initial: typed, max: MAX.name }),
    textInput('new_customer', m.customer_label, { max: MAX.customer }),
    {
      type: 'input',
      block_id: 'new_value',
      optional: true,
      label: plain(m.value_label, 2000),
      element: { type: 'number_input', action_id: 'new_value', is_decimal_allowed: true, min_value: '0' },
    } as AnyBlock,
    {
      type: 'input',
      block_id: 'new_currency',
      optional: true,
      label: plain(m.currency_label, 2000),
      element: { type: 'static_select', action_id: 'new_currency', options: CURRENCIES.map((cur) => option(cur, cur)) },
    } as AnyBlock,
    { type: 'input', block_id: 'new_close_date', optional: true, label: plain(m.close_date_label, 2000), element: { type: 'datepicker', action_id: 'new_close_date' } } as AnyBlock,
  );
  return modal(c, CALLBACK.deal, c.messages.modal.title_deal, c.messages.modal.next, typed ? { ...input.meta, prefilledName: typed } : input.meta, blocks);
}

function radio(c: LocaleContent, id: QuestionId, initial: string | undefined): AnyBlock {
  const q = c.questions.questions[id];
  const labels = q.options as Record<string, string>;
  const options = (QUESTIONS[id] as readonly string[]).map((value) => option(labels[value]!, value));
  const chosen = options.find((o) => o.value === initial);
  return {
    type: 'input',
    block_id: id,
    label: plain(q.label, 2000),
    element: { type: 'radio_buttons', action_id: id, options, ...(chosen ? { initial_option: chosen } : {}) },
  } as AnyBlock;
}

/**
 * Step 2: the six axis questions and the two effort questions, prefilled when reassessing. Reached from a button,
 * past step 1, it says where the deal's details are changed.
 */
export function axesStepView(c: LocaleContent, input: { dealName: string; prefill: Answers | null; meta: FlowMeta; skippedDetails?: boolean }): ModalView {
  const pre = input.prefill ?? undefined;
  const axisIds: QuestionId[] = ['budget', 'authority', 'need', 'timing', 'relationship', 'competitors'];
  const deal = escape(input.dealName);
  const blocks: AnyBlock[] = [
    section(fill(c.messages.axes_step.intro, { deal })),
    ...(input.skippedDetails ? [context(fill(c.messages.axes_step.details_hint, { deal }))] : []),
    ...axisIds.map((id) => radio(c, id, pre?.[id])),
    divider(),
    section(c.messages.axes_step.effort_heading),
    radio(c, 'time_on_deal', pre?.time_on_deal),
    radio(c, 'tried_all', pre?.tried_all),
  ];
  // The time on the deal offered is kept, so that the save can tell a seller's correction from their accepting it.
  return modal(c, CALLBACK.axes, c.messages.modal.title_axes, c.messages.modal.next, { ...input.meta, offeredTimeOnDeal: pre?.time_on_deal ?? null }, blocks);
}

/**
 * Step 3: free-text SPIN notes and the agreed next step, each with a question to ask as a hint. Shown again with
 * `notes` filled in and `notSaved` on top when a save failed after the result was shown (see the notes listener).
 */
export function notesStepView(c: LocaleContent, input: { dealName: string; meta: FlowMeta; notes?: SpinNotes; notSaved?: string }): ModalView {
  const blocks: AnyBlock[] = input.notSaved ? [section(`:warning: ${input.notSaved}`)] : [];
  blocks.push(section(fill(c.messages.notes_step.intro, { deal: escape(input.dealName) })));
  for (const id of NOTE_IDS) {
    blocks.push(textInput(id, c.questions.notes[id], { multiline: true, max: MAX.note, initial: input.notes?.[id] }));
    if (id !== 'next_step') {
      const kind = c.spin.spin[id];
      blocks.push(context(`${kind.hint} ${fill(c.messages.notes_step.ask_like, { question: kind.questions[0]! })}`));
    }
  }
  return modal(c, CALLBACK.notes, c.messages.modal.title_notes, c.messages.modal.save, input.meta, blocks);
}

export { NOTE_IDS };
