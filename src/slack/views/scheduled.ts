import { VERDICTS, type CaseCode } from '../../coaching/cases.js';
import type { NudgeKind } from '../../coaching/follow-up.js';
import { fill } from '../../content/load.js';
import type { LocaleContent, Tip } from '../../content/schema.js';
import { actions, button, context, escape, header, section, type AnyBlock } from './blocks.js';
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
  byCase: { caseCode: CaseCode | null; deals: string[] }[];
  changes: { deal: string; from: CaseCode; to: CaseCode | null }[];
  stalled: string[];
  letGo: string[];
  closest: string[];
}

const names = (deals: string[]) => deals.map(escape).join(', ');

/** The weekly manager digest; a team with nothing open gets one short line. Stays within 50 blocks. */
export function digestMessage(c: LocaleContent, input: { reports: DigestReport[]; stallDays: number; suggestion: string }): Message {
  const d = c.messages.digest;
  if (input.reports.every((r) => r.openCount === 0)) return { text: d.nothing, blocks: [section(d.nothing)] };
  const parts = input.reports.map((r) => {
    const lines = [fill(d.report_heading, { user: r.userId, count: r.openCount })];
    if (r.openCount === 0) lines.push(d.no_deals);
    for (const group of r.byCase) {
      const verdict = group.caseCode ? c.messages.verdicts[VERDICTS[group.caseCode]] : c.messages.nudge.never_assessed;
      lines.push(fill(d.by_case, { case: group.caseCode ?? '-', verdict, deals: names(group.deals) }));
    }
    if (r.changes.length) lines.push(fill(d.changes, { changes: r.changes.map((x) => `${escape(x.deal)}: ${x.from} -> ${x.to ?? '-'}`).join(', ') }));
    if (r.stalled.length) lines.push(fill(d.stalled, { days: input.stallDays, deals: names(r.stalled) }));
    if (r.letGo.length) lines.push(fill(d.let_go, { deals: names(r.letGo) }));
    if (r.closest.length) lines.push(fill(d.closest, { deals: names(r.closest) }));
    return lines.join('\n');
  });
  // Reports share sections up to Slack's 3,000 characters, so even a large team fits in one message.
  const sections: string[] = [];
  for (const part of parts) {
    const last = sections.length - 1;
    if (last >= 0 && sections[last]!.length + part.length + 2 <= 3000) sections[last] += `\n\n${part}`;
    else sections.push(part);
  }
  const blocks: AnyBlock[] = [header(d.title), ...sections.slice(0, 47).map(section)];
  blocks.push(section(fill(d.suggestion, { text: input.suggestion })));
  return { text: d.title, blocks };
}
