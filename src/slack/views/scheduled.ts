import type { CaseCode } from '../../coaching/cases.js';
import type { NudgeKind } from '../../coaching/follow-up.js';
import { fill } from '../../content/load.js';
import type { LocaleContent, Tip } from '../../content/schema.js';
import { MESSAGE_TEXT, actions, button, context, escape, header, section, sectionsOf, type AnyBlock } from './blocks.js';
import { verdictOf } from './deals.js';
import { RESULT_ACTIONS } from './result.js';

export const NUDGE_SNOOZE = 'nudge_snooze';
export interface Message {
  text: string;
  blocks: AnyBlock[];
}

export function tipMessage(c: LocaleContent, tip: Tip): Message {
  const t = c.messages.tip;
  return {
    text: fill(t.header, { title: tip.title }),
    blocks: [header(fill(t.header, { title: tip.title })), section(tip.body), section(fill(t.try, { action: tip.action })), context(fill(t.source, { source: c.messages.sources[tip.source] }))],
  };
}

export function nudgeMessage(c: LocaleContent, input: { kind: NudgeKind; dealId: number; dealName: string; lastCase: CaseCode | null; days: number; fact: string }): Message {
  const n = c.messages.nudge;
  const deal = escape(input.dealName);
  const caseText = input.lastCase ?? n.never_assessed;
  const text =
    input.kind === 'giveup'
      ? fill(n.giveup, { deal, case: caseText, verdict: input.lastCase ? c.advice.cases[input.lastCase].verdict : '', days: input.days })
      : fill(n.stalled, { deal, days: input.days, case: caseText });
  const b = c.messages.nudge_buttons;
  const id = String(input.dealId);
  return {
    text: text.replace(/\*/g, ''),
    blocks: [
      section(text),
      context(fill(n.fact, { fact: input.fact })),
      actions('nudge_actions', [button(b.reassess, RESULT_ACTIONS.reassess, id, 'primary'), button(b.snooze, NUDGE_SNOOZE, id), button(b.close, RESULT_ACTIONS.close, id)]),
    ],
  };
}

/** One report's part of a manager digest, already grouped by the digest job. */
export interface DigestReport {
  userId: string;
  openCount: number;
  /** Deals by latest case; a case's deals judged too early to give up are a group of their own. */
  byCase: { caseCode: CaseCode | null; tooEarly?: boolean; deals: string[] }[];
  changes: { deal: string; from: CaseCode; to: CaseCode | null }[];
  stalled: string[];
  letGo: string[];
  closest: string[];
}

/** Deals named per list of a digest; the rest are counted. A digest summarises a team, it does not list it. */
export const DIGEST_NAMES = 3;
/** Messages one digest may take; reports beyond them are named, for the manager to look up. */
export const DIGEST_MESSAGES = 4;
/** Room kept in the last message for the line naming the reports that did not fit. */
const LEFT_OUT_RESERVE = 600;

/** At most DIGEST_NAMES items, then how many more. */
function capped(c: LocaleContent, items: string[]): string {
  const shown = items.slice(0, DIGEST_NAMES).join(c.messages.punctuation.list_separator);
  return items.length > DIGEST_NAMES ? `${shown} ${fill(c.messages.digest.more, { count: items.length - DIGEST_NAMES })}` : shown;
}

/** A report's part of the digest: heading, deals by case, changes, stalled, let-go, closest, one per line. */
function reportPart(c: LocaleContent, r: DigestReport, stallDays: number): string {
  const d = c.messages.digest;
  const names = (deals: string[]) => capped(c, deals.map(escape));
  const lines = [fill(d.report_heading, { user: r.userId, count: r.openCount })];
  if (r.openCount === 0) lines.push(d.no_deals);
  for (const group of r.byCase) {
    const verdict = group.caseCode ? verdictOf(c, group.caseCode, Boolean(group.tooEarly)) : c.messages.nudge.never_assessed;
    lines.push(fill(d.by_case, { case: group.caseCode ?? '-', verdict, deals: names(group.deals) }));
  }
  if (r.changes.length) lines.push(fill(d.changes, { changes: capped(c, r.changes.map((x) => `${escape(x.deal)}: ${x.from} -> ${x.to ?? '-'}`)) }));
  if (r.stalled.length) lines.push(fill(d.stalled, { days: stallDays, deals: names(r.stalled) }));
  if (r.letGo.length) lines.push(fill(d.let_go, { deals: names(r.letGo) }));
  if (r.closest.length) lines.push(fill(d.closest, { deals: names(r.closest) }));
  return lines.join('\n');
}

/**
 * The weekly manager digest: one message, or for a big team as many as its text needs (up to DIGEST_MESSAGES),
 * each a whole number of reports. A team with nothing open gets one short line.
 */
export function digestMessages(c: LocaleContent, input: { reports: DigestReport[]; stallDays: number; suggestion: string }): Message[] {
  const d = c.messages.digest;
  if (input.reports.every((r) => r.openCount === 0)) return [{ text: d.nothing, blocks: [section(d.nothing)] }];
  const suggestion = fill(d.suggestion, { text: input.suggestion });
  const messages: string[][] = [[]];
  const leftOut: string[] = [];
  let size = 0;
  for (const report of input.reports) {
    const part = reportPart(c, report, input.stallDays);
    const last = messages.length === DIGEST_MESSAGES;
    // A report that does not fit starts the next message, unless it would be the first of this one.
    if (leftOut.length || (messages.at(-1)!.length && size + part.length + suggestion.length + (last ? LEFT_OUT_RESERVE : 0) > MESSAGE_TEXT)) {
      if (last) {
        leftOut.push(`<@${report.userId}>`);
        continue;
      }
      messages.push([]);
      size = 0;
    }
    messages.at(-1)!.push(part);
    size += part.length + 2;
  }
  return messages.map((parts, i) => {
    const blocks: AnyBlock[] = [header(d.title), ...sectionsOf(parts, '\n\n')];
    if (i === messages.length - 1) {
      if (leftOut.length) blocks.push(section(fill(d.left_out, { users: capped(c, leftOut) })));
      blocks.push(section(suggestion));
    }
    return { text: d.title, blocks };
  });
}
