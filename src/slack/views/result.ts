import type { ModalView } from '@slack/types';
import { QUESTION_IDS, type Answers, type QuestionId } from '../../coaching/answers.js';
import { assess, type Factor } from '../../coaching/assess.js';
import { fill } from '../../content/load.js';
import type { LocaleContent } from '../../content/schema.js';
import type { AssessmentRow } from '../../db/repositories/assessments.js';
import type { Deal } from '../../db/repositories/deals.js';

/** All a result needs of its deal. */
export type DealRef = Pick<Deal, 'id' | 'name'>;
import { actions, button, context, divider, escape, header, plain, section, type AnyBlock } from './blocks.js';

export const RESULT_ACTIONS = { reassess: 'deal_reassess', history: 'deal_history', share: 'deal_share', close: 'deal_close' } as const;

function answerText(c: LocaleContent, question: QuestionId, value: string): string {
  return (c.questions.questions[question].options as Record<string, string>)[value] ?? value;
}

/** The answers to the questions, one "Budget: Possible" line each, as mrkdwn. */
export function answerLines(c: LocaleContent, answers: Answers): string {
  return QUESTION_IDS.map((id) => `${c.questions.questions[id].short}: ${answerText(c, id, answers[id])}`).join('\n');
}

/** The answers that would do, as alternatives: "Decider engaged / Decider committed". */
const neededText = (c: LocaleContent, f: Factor) => f.needed.map((v) => answerText(c, f.question, v)).join(' / ');

function factorText(c: LocaleContent, f: Factor): string {
  const question = c.questions.questions[f.question].short;
  const answer = answerText(c, f.question, f.value);
  if (f.ok) return fill(c.messages.result.factor_ok, { question, answer });
  return fill(c.messages.result.factor_missing, { question, answer, needed: neededText(c, f) });
}

/** The coaching answer for one assessment: case, verdict, why each axis is where it is, what would move it, advice. */
export function resultBlocks(c: LocaleContent, answers: Answers): AnyBlock[] {
  const result = assess(answers);
  const advice = c.messages;
  const caseAdvice = c.advice.cases[result.caseCode];
  const r = advice.result;
  const list = (items: string[]) => items.join(advice.punctuation.list_separator);
  const blocks: AnyBlock[] = [];
  // A let-go case reached too early leads with the caveat, and why it applies. The case and its advice still show
  // below it, as what to do if the deal is still there once the axes have been worked: not as what to do now.
  const low = list(result.axes.filter((a) => a.level === 'low').map((a) => advice.axes[a.axis]));
  if (result.tooEarly) {
    const reasons = [...(answers.time_on_deal === 'under_1m' ? [r.too_early_new] : []), ...(answers.tried_all === 'not_yet' ? [r.too_early_untried] : [])];
    blocks.push(section(fill(r.too_early, { reason: reasons.join(advice.punctuation.sentence_separator), axes: low })));
  }
  // Too early, the case's verdict and its headline ("let this one go") would contradict the caveat, and the lists.
  blocks.push(header(fill(r.case_title, { case: result.caseCode, verdict: result.tooEarly ? advice.list.too_early_verdict : caseAdvice.verdict })));
  blocks.push(section(result.tooEarly ? caseAdvice.situation : `*${caseAdvice.headline}*\n${caseAdvice.situation}`));
  const why = result.axes.map((a) => fill(r.axis_line, { axis: advice.axes[a.axis], level: advice.levels[a.level], factors: list(a.factors.map((f) => factorText(c, f))) }));
  blocks.push(section(`${r.why_heading}\n${why.join('\n')}\n${caseAdvice.why}`));
  const moves = result.moves.map((m) =>
    fill(r.move_line, {
      changes: list(m.changes.map((f) => fill(r.move_change, { question: c.questions.questions[f.question].short, needed: neededText(c, f) }))),
      from: result.caseCode,
      to: m.toCase,
      to_verdict: c.advice.cases[m.toCase].verdict,
    }),
  );
  blocks.push(section(`${r.moves_heading}\n${moves.length ? moves.join('\n') : r.no_moves}`));
  const actionsHeading = result.tooEarly ? fill(r.later_actions_heading, { case: result.caseCode }) : r.actions_heading;
  blocks.push(section(`${actionsHeading}\n${caseAdvice.actions.map((a) => `• ${a}`).join('\n')}`));
  if (caseAdvice.extra) blocks.push(section(`*${caseAdvice.extra.title}*\n${caseAdvice.extra.items.map((i) => `• ${i}`).join('\n')}`));
  const stopWhen = result.tooEarly ? fill(r.too_early_stop, { axes: low, case: result.caseCode }) : caseAdvice.stop_when;
  blocks.push(section(`${r.stop_heading}\n${stopWhen}`));
  return blocks;
}

/** The line a notification shows: the deal and its case with the verdict the result gave, "too early to give up" when so. */
export function resultSummary(c: LocaleContent, deal: DealRef, row: AssessmentRow): string {
  const verdict = row.too_early ? c.messages.list.too_early_verdict : c.advice.cases[row.case_code].verdict;
  return `${escape(deal.name)}: ${fill(c.messages.result.case_title, { case: row.case_code, verdict })}`;
}

/** The final modal screen; `dmFailed` adds, at the top, that the DM copy could not be sent. */
export function resultModal(c: LocaleContent, deal: Pick<DealRef, 'name'>, answers: Answers, options: { dmFailed?: boolean } = {}): ModalView {
  const note = options.dmFailed ? [context(fill(c.messages.result.dm_failed, { deal: escape(deal.name) }))] : [];
  return {
    type: 'modal',
    callback_id: 'assess_result',
    title: plain(c.messages.modal.title_result, 24),
    close: plain(c.messages.modal.done, 24),
    blocks: [...note, section(fill(c.messages.result.dm_intro, { deal: escape(deal.name) })), ...resultBlocks(c, answers)],
  };
}

/** The DM copy of the result, with the buttons that act on the deal. */
export function resultMessage(c: LocaleContent, deal: DealRef, row: AssessmentRow): { text: string; blocks: AnyBlock[] } {
  const b = c.messages.buttons;
  return {
    text: resultSummary(c, deal, row),
    blocks: [
      section(fill(c.messages.result.dm_intro, { deal: escape(deal.name) })),
      ...resultBlocks(c, row),
      divider(),
      actions('deal_actions', [
        button(b.reassess, RESULT_ACTIONS.reassess, String(deal.id), 'primary'),
        button(b.history, RESULT_ACTIONS.history, String(deal.id)),
        button(b.share, RESULT_ACTIONS.share, String(row.id)),
        button(b.close, RESULT_ACTIONS.close, String(deal.id)),
      ]),
    ],
  };
}

/**
 * The copy posted to a channel: the result without the private notes or the buttons. It is dated, since it may be
 * shared from an old DM; Slack shows the date in each reader's own time zone and language.
 */
export function sharedMessage(c: LocaleContent, deal: DealRef, row: AssessmentRow, userId: string): { text: string; blocks: AnyBlock[] } {
  const date = `<!date^${Math.floor(Date.parse(row.created_at) / 1000)}^{date_short}|${row.created_at.slice(0, 10)}>`;
  return {
    text: resultSummary(c, deal, row),
    blocks: [section(fill(c.messages.result.shared_intro, { user: userId, deal: escape(deal.name), date })), ...resultBlocks(c, row)],
  };
}
