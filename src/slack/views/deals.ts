import type { HomeView, ModalView } from '@slack/types';
import { VERDICTS, trendLine, type CaseCode } from '../../coaching/cases.js';
import { fill } from '../../content/load.js';
import type { LocaleContent } from '../../content/schema.js';
import type { AssessmentRow, SpinNotes } from '../../db/repositories/assessments.js';
import type { Deal, DealSummary } from '../../db/repositories/deals.js';
import { localDate } from '../../jobs/local-time.js';
import { formatMoney } from '../parse/money.js';
import { MESSAGE_TEXT, MODAL_TEXT, actions, button, clip, context, divider, escape, header, option, plain, section, sectionsOf, textLength, type AnyBlock } from './blocks.js';
import { NOTE_IDS } from './assess-steps.js';
import { RESULT_ACTIONS } from './result.js';

/** Deal names in bold, as a list in the reader's language: for "did you mean" suggestions. */
export const boldNames = (c: LocaleContent, names: string[]) => names.map((n) => `*${escape(n)}*`).join(c.messages.punctuation.list_separator);

export const HOME_ASSESS = 'home_assess';
const DAY_MS = 86_400_000;
const HOME_DEALS = 47;
/** The longest reason for closing a deal, in the modal and in `/deal close`. */
export const MAX_REASON = 300;

/** How a reader sees a point in time and a number: their locale's format. */
export interface Formatting {
  locale: string;
  timeZone: string;
  now: Date;
}

export function formatDate(f: Formatting, iso: string): string {
  return new Intl.DateTimeFormat(f.locale, { dateStyle: 'medium', timeZone: f.timeZone }).format(new Date(iso));
}

/** A calendar date with no time of day (a deal's close date): the same day wherever the reader is. */
function formatDay(f: Formatting, day: string): string {
  return new Intl.DateTimeFormat(f.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

const relativeDays = new Map<string, Intl.RelativeTimeFormat>();

/** "today", "yesterday", "3 days ago" in the reader's language, counted in calendar days of their time zone. */
function lastAssessed(c: LocaleContent, f: Formatting, at: string | null): string {
  if (!at) return c.messages.list.never_assessed;
  const days = (Date.parse(localDate(f.now, f.timeZone)) - Date.parse(localDate(new Date(at), f.timeZone))) / DAY_MS;
  let format = relativeDays.get(f.locale);
  if (!format) relativeDays.set(f.locale, (format = new Intl.RelativeTimeFormat(f.locale, { numeric: 'auto' })));
  const when = format.format(-days, 'day');
  // The phrase sits mid-line: "Hôm nay" becomes "hôm nay".
  return fill(c.messages.list.assessed, { when: when.charAt(0).toLocaleLowerCase(f.locale) + when.slice(1) });
}

/** A case's verdict, or "too early to give up" when its assessment said so, as the result led with. */
export function verdictOf(c: LocaleContent, caseCode: CaseCode, tooEarly: boolean): string {
  return tooEarly ? c.messages.list.too_early_verdict : c.messages.verdicts[VERDICTS[caseCode]];
}

function dealLine(c: LocaleContent, f: Formatting, template: string, d: DealSummary): string {
  return fill(template, {
    deal: escape(d.name),
    case: d.caseCode ?? '-',
    verdict: d.caseCode ? verdictOf(c, d.caseCode, d.tooEarly) : '-',
    assessed: lastAssessed(c, f, d.lastAssessedAt),
  });
}

/** Room kept for the line saying how many more there are. */
const MORE_LINE = 200;

/**
 * `/deal list`: the title (its count filled in), then one line per open deal, within one message's text (a few
 * sections, far under its 50 blocks); a last line says how many more there are.
 */
export function dealListBlocks(c: LocaleContent, f: Formatting, deals: DealSummary[], title: string, empty: string): AnyBlock[] {
  if (deals.length === 0) return [section(empty)];
  const lines: string[] = [];
  let size = title.length + MORE_LINE;
  for (const d of deals) {
    const line = dealLine(c, f, c.messages.list.line, d);
    size += line.length + 1;
    if (size > MESSAGE_TEXT) break;
    lines.push(line);
  }
  const more = deals.length > lines.length ? [context(fill(c.messages.list.more, { count: deals.length - lines.length }))] : [];
  return [section(title), ...sectionsOf(lines), ...more];
}

function dealDetails(c: LocaleContent, f: Formatting, deal: Deal): string {
  const parts: string[] = [];
  if (deal.customer) parts.push(escape(deal.customer));
  if (deal.value_minor !== null && deal.currency) parts.push(formatMoney(deal.value_minor, deal.currency, f.locale));
  if (deal.close_date) parts.push(formatDay(f, deal.close_date));
  parts.push(c.messages.show[`status_${deal.status}`]);
  if (deal.close_reason) parts.push(escape(deal.close_reason));
  return parts.join(' · ');
}

/** The SPIN notes that were filled in, each under its label, as mrkdwn. */
export function noteLines(c: LocaleContent, notes: SpinNotes): string[] {
  return NOTE_IDS.filter((id) => notes[id]).map((id) => `_${c.questions.notes[id]}_\n${escape(notes[id]!)}`);
}

/** The most recent cases a trend shows, so that its end (where the deal is heading) stays in view. */
const TREND_CASES = 300;

/** Where a history is shown: a message (`/deal show`) or a modal (the Show history button). */
export const HISTORY_IN = { message: { blocks: 49, text: MESSAGE_TEXT }, modal: { blocks: 100, text: MODAL_TEXT } } as const;

/** A deal's history, oldest to newest, with the case trend and each assessment's SPIN notes in full where they fit. */
export function historyBlocks(c: LocaleContent, f: Formatting, deal: Deal, rows: AssessmentRow[], limits: { blocks: number; text: number }): AnyBlock[] {
  const s = c.messages.show;
  const blocks: AnyBlock[] = [header(fill(s.title, { deal: deal.name })), context(fill(s.meta, { details: dealDetails(c, f, deal) }))];
  if (rows.length === 0) return [...blocks, section(fill(s.no_assessments, { deal: escape(deal.name) }))];
  const cases = rows.map((r) => r.case_code);
  const trend = cases.length > TREND_CASES ? `… -> ${trendLine(cases.slice(-TREND_CASES))}` : trendLine(cases);
  blocks.push(section(fill(s.trend, { trend })));
  const entry = (r: AssessmentRow, noteMax = Infinity): AnyBlock[] => {
    const lines = [fill(s.entry, { date: formatDate(f, r.created_at), case: r.case_code, verdict: verdictOf(c, r.case_code, r.too_early === 1) }), ...noteLines(c, r).map((l) => clip(l, noteMax))];
    return [divider(), ...sectionsOf(lines)];
  };
  // When they do not all fit, the newest are kept, with room left for saying how many are not shown.
  let room = limits.blocks - blocks.length - 1;
  let text = limits.text - textLength(blocks) - MORE_LINE;
  const shown: AnyBlock[][] = [];
  for (let i = rows.length - 1; i >= 0; i--) {
    let next = entry(rows[i]!);
    // The newest is shown even if its notes outgrow the text allowed (a note of 1,000 characters, escaped, may be
    // 5,000): each is then cut to an equal share.
    if (!shown.length && textLength(next) > text) next = entry(rows[i]!, Math.floor((text - MORE_LINE) / NOTE_IDS.length));
    const size = textLength(next);
    if (next.length > room || size > text) break;
    shown.unshift(next);
    room -= next.length;
    text -= size;
  }
  if (shown.length < rows.length) blocks.push(context(fill(s.older_hidden, { count: rows.length - shown.length })));
  return [...blocks, ...shown.flat()];
}

export function historyModal(c: LocaleContent, f: Formatting, deal: Deal, rows: AssessmentRow[]): ModalView {
  return { type: 'modal', title: plain(c.messages.modal.title_history, 24), close: plain(c.messages.modal.done, 24), blocks: historyBlocks(c, f, deal, rows, HISTORY_IN.modal) };
}

/** The App Home tab: open deals with their latest case and buttons to act on each. */
export function homeView(c: LocaleContent, f: Formatting, deals: DealSummary[]): HomeView {
  const b = c.messages.buttons;
  const blocks: AnyBlock[] = [
    section(c.messages.home.intro),
    actions('home_actions', [button(b.assess, HOME_ASSESS, 'new', 'primary')]),
    divider(),
    section(c.messages.home.title),
  ];
  if (deals.length === 0) blocks.push(section(c.messages.home.empty));
  // Two blocks per deal within the Home tab's 100, and one to say how many more there are.
  const shown = deals.slice(0, HOME_DEALS);
  for (const d of shown) {
    blocks.push(
      section(dealLine(c, f, c.messages.home.line, d)),
      actions(`home_deal_${d.id}`, [button(b.reassess, RESULT_ACTIONS.reassess, String(d.id)), button(b.history, RESULT_ACTIONS.history, String(d.id))]),
    );
  }
  if (deals.length > shown.length) blocks.push(context(fill(c.messages.home.more, { count: deals.length - shown.length })));
  return { type: 'home', blocks };
}

export function helpBlocks(c: LocaleContent): AnyBlock[] {
  return [section(`*${c.messages.help.title}*\n${c.messages.help.body}`)];
}

export const CLOSE_CALLBACK = 'close_deal';
export const SHARE_CALLBACK = 'share_result';

export function closeModal(c: LocaleContent, deal: Deal): ModalView {
  const statuses = (['won', 'lost', 'dropped'] as const).map((s) => option(c.messages.show[`status_${s}`], s));
  return {
    type: 'modal',
    callback_id: CLOSE_CALLBACK,
    private_metadata: JSON.stringify({ dealId: deal.id }),
    title: plain(c.messages.modal.title_close, 24),
    submit: plain(c.messages.modal.save, 24),
    close: plain(c.messages.modal.cancel, 24),
    blocks: [
      section(`*${escape(deal.name)}*`),
      { type: 'input', block_id: 'status', label: plain(c.messages.close.status_label, 2000), element: { type: 'radio_buttons', action_id: 'status', options: statuses } } as AnyBlock,
      { type: 'input', block_id: 'reason', optional: true, label: plain(c.messages.close.reason_label, 2000), element: { type: 'plain_text_input', action_id: 'reason', max_length: MAX_REASON } } as AnyBlock,
    ],
  };
}

export function shareModal(c: LocaleContent, assessmentId: number): ModalView {
  return {
    type: 'modal',
    callback_id: SHARE_CALLBACK,
    private_metadata: JSON.stringify({ assessmentId }),
    title: plain(c.messages.modal.title_share, 24),
    submit: plain(c.messages.buttons.share, 24),
    close: plain(c.messages.modal.cancel, 24),
    blocks: [
      {
        type: 'input',
        block_id: 'channel',
        label: plain(c.messages.share.channel_label, 2000),
        element: { type: 'conversations_select', action_id: 'channel', filter: { include: ['public', 'private'], exclude_bot_users: true } },
      } as AnyBlock,
    ],
  };
}
