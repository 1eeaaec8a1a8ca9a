import { describe, expect, it } from 'vitest';
import { answersIn, type Answers } from '../../src/coaching/answers.js';
import { CASES } from '../../src/coaching/cases.js';
import { fill, loadContent } from '../../src/content/load.js';
import type { AssessmentRow } from '../../src/db/repositories/assessments.js';
import type { Deal, DealSummary } from '../../src/db/repositories/deals.js';
import { encodeMeta } from '../../src/slack/parse/flow-meta.js';
import { axesStepView, dealStepView, notesStepView } from '../../src/slack/views/assess-steps.js';
import { HISTORY_IN, closeModal, dealListBlocks, historyBlocks, historyModal, homeView, shareModal } from '../../src/slack/views/deals.js';
import { resultBlocks, resultMessage, resultModal, sharedMessage } from '../../src/slack/views/result.js';
import { clip, clipMiddle } from '../../src/slack/views/blocks.js';
import { blockKitProblems } from '../support/block-kit.js';
const textOf = (blocks: unknown[]) => JSON.stringify(blocks);
import { defaultWorkspaceSettings } from '../../src/db/repositories/settings.js';
import { DIGEST_MESSAGES, DIGEST_NAMES, digestMessages, nudgeMessage, tipMessage, type DigestReport } from '../../src/slack/views/scheduled.js';
import { settingsModal } from '../../src/slack/views/settings.js';

const content = loadContent();
const f = { locale: 'en', timeZone: 'Asia/Ho_Chi_Minh', now: new Date('2026-11-22T10:00:00Z') };
const longName = 'N'.repeat(80);
const longNote = 'x'.repeat(1000);

const deal: Deal = {
  id: 1, team_id: 'T1', owner_id: 'U1', name: longName, name_key: longName.toLowerCase(), customer: 'C'.repeat(80), value_minor: 123456789012, currency: 'VND',
  close_date: '2027-01-31', status: 'open', close_reason: null, closed_at: null, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
  last_case_code: 'G', last_assessment_id: 1, last_assessed_at: '2026-01-01T00:00:00Z', last_too_early: 0, time_on_deal_since: '2026-01-01T00:00:00Z', snoozed_until: null,
};

/** An assessment per case, with every note at its longest. */
function rowFor(code: string, i: number): AssessmentRow {
  const answers: Record<string, Answers> = {
    A: { budget: 'none', authority: 'no_access', need: 'no_need', timing: 'no_timeline', relationship: 'unknown_to_them', competitors: 'behind', time_on_deal: 'under_1m', tried_all: 'not_yet' },
    B: { budget: 'none', authority: 'no_access', need: 'no_need', timing: 'no_timeline', relationship: 'trust', competitors: 'even', time_on_deal: 'm3_6', tried_all: 'yes' },
    C: { budget: 'confirmed', authority: 'decider_engaged', need: 'no_need', timing: 'no_timeline', relationship: 'some_sympathy', competitors: 'behind', time_on_deal: 'm3_6', tried_all: 'yes' },
    D: { budget: 'possible', authority: 'influencer', need: 'must_have', timing: 'this_year', relationship: 'some_sympathy', competitors: 'behind', time_on_deal: 'under_1m', tried_all: 'yes' },
    E: { budget: 'confirmed', authority: 'decider_committed', need: 'must_have', timing: 'this_quarter', relationship: 'some_sympathy', competitors: 'even', time_on_deal: 'm1_3', tried_all: 'yes' },
    F: { budget: 'confirmed', authority: 'decider_committed', need: 'nice_to_have', timing: 'someday', relationship: 'support', competitors: 'none', time_on_deal: 'over_6m', tried_all: 'yes' },
    G: { budget: 'unknown', authority: 'influencer', need: 'must_have', timing: 'this_quarter', relationship: 'trust', competitors: 'ahead', time_on_deal: 'm3_6', tried_all: 'yes' },
    H: { budget: 'confirmed', authority: 'decider_engaged', need: 'must_have', timing: 'this_year', relationship: 'support', competitors: 'ahead', time_on_deal: 'over_6m', tried_all: 'yes' },
  };
  return {
    id: i, team_id: 'T1', deal_id: 1, assessor_id: 'U1', submission_key: `k${i}`, ...answers[code]!, capability_level: 'low', need_level: 'low', trust_level: 'low',
    case_code: code as AssessmentRow['case_code'], too_early: 0, situation: longNote, problem: longNote, implication: longNote, need_payoff: longNote, next_step: longNote,
    created_at: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString(),
  };
}

/** A digest's reports, each with `names` as open deals: `perCase` of them in every case, and so on. */
function bigTeam(size: number, names: string[], n: { perCase: number; changes: number; letGo: number }): DigestReport[] {
  return Array.from({ length: size }, (_, i) => ({
    userId: `U${i}`,
    openCount: names.length,
    byCase: CASES.map((caseCode) => ({ caseCode, deals: names.slice(0, n.perCase) })),
    changes: names.slice(0, n.changes).map((deal) => ({ deal, from: 'D' as const, to: 'G' as const })),
    stalled: names,
    letGo: names.slice(0, n.letGo),
    closest: names.slice(0, 3),
  }));
}

const summaries: DealSummary[] = Array.from({ length: 300 }, (_, i) => ({
  id: i + 1, name: `${longName.slice(0, 75)}${i}`, customer: null, caseCode: CASES[i % 8]!, lastAssessedAt: '2026-11-01T00:00:00Z', tooEarly: i % 3 === 1, updatedAt: '2026-11-01T00:00:00Z',
}));

describe('every view stays within Block Kit limits', () => {
  for (const locale of content.locales) {
    const c = content.get(locale);
    const fullMeta = encodeMeta({
      key: '0123456789abcdef0123456789abcdef0123',
      dealId: null,
      dealName: longName,
      newDeal: { name: longName, customer: 'C'.repeat(80), valueMinor: 9_999_999_999_999, currency: 'VND', closeDate: '2027-12-31' },
      answers: answersIn(rowFor('A', 1)),
      // Every optional field too, though a flow never carries all of them at once.
      dealChanges: { customer: 'C'.repeat(80), valueMinor: 9_999_999_999_999, currency: 'VND', closeDate: '2027-12-31' },
      offeredTimeOnDeal: 'over_6m',
      offeredSince: '2026-11-01T00:00:00.000Z',
      fromHome: true,
    });

    it(`${locale}: the three assessment steps, with 300 open deals and the longest names`, () => {
      const meta = JSON.parse(fullMeta);
      expect(fullMeta.length).toBeLessThan(3000);
      const step1 = dealStepView(c, { deals: summaries, preselectId: 5, typedName: longName, meta });
      expect(blockKitProblems('modal', step1)).toEqual([]);
      expect(step1.blocks.find((b: any) => b.block_id === 'deal_pick')!).toMatchObject({ element: { options: expect.any(Array) } });
      expect(blockKitProblems('modal', axesStepView(c, { dealName: longName, prefill: answersIn(rowFor('G', 1)), meta }))).toEqual([]);
      expect(blockKitProblems('modal', notesStepView(c, { dealName: longName, meta }))).toEqual([]);
      // Back after a refused save: every note at its longest, and the longest reason on top.
      const notes = { situation: 'S'.repeat(1000), problem: 'P'.repeat(1000), implication: 'I'.repeat(1000), need_payoff: 'N'.repeat(1000), next_step: 'X'.repeat(1000) };
      const notSaved = fill(c.messages.errors.not_saved, { deal: longName, reason: fill(c.messages.errors.deal_closed_save_again, { deal: longName }) });
      const back = notesStepView(c, { dealName: longName, meta, notes, notSaved });
      expect(blockKitProblems('modal', back)).toEqual([]);
      expect(back.blocks.filter((b: any) => b.element?.initial_value?.length === 1000)).toHaveLength(5);
    });

    it(`${locale}: the result of every case, as modal (with and without the failed-DM note), DM and channel post`, () => {
      for (const [i, code] of CASES.entries()) {
        const row = rowFor(code, i);
        expect(blockKitProblems('modal', resultModal(c, deal, row))).toEqual([]);
        expect(blockKitProblems('modal', resultModal(c, deal, row, { dmFailed: true }))).toEqual([]);
        expect(blockKitProblems('post', resultMessage(c, deal, row))).toEqual([]);
        expect(blockKitProblems('post', sharedMessage(c, deal, row, 'U1'))).toEqual([]);
      }
    });

    it(`${locale}: lists, histories of 200 assessments, Home with 300 deals, close and share`, () => {
      const rows = Array.from({ length: 200 }, (_, i) => rowFor(CASES[i % 8]!, i));
      expect(blockKitProblems('message', { blocks: dealListBlocks(c, f, summaries, fill(c.messages.list.title, { count: summaries.length }), c.messages.list.empty) })).toEqual([]);
      const history = historyBlocks(c, f, deal, rows, HISTORY_IN.message);
      expect(blockKitProblems('message', { blocks: history })).toEqual([]);
      expect(blockKitProblems('modal', historyModal(c, f, deal, rows))).toEqual([]);
      expect(blockKitProblems('home', homeView(c, f, summaries))).toEqual([]);
      expect(blockKitProblems('modal', closeModal(c, deal))).toEqual([]);
      expect(blockKitProblems('modal', shareModal(c, 1))).toEqual([]);
    });
  }

  it('keeps apart, in the deal picker, long names that differ only at the end, without splitting an emoji', () => {
    const c = content.get('en');
    const base = `Enterprise renewal for the regional logistics group 😀😀 ${'x'.repeat(20)}`;
    const deals = ['Phase 1', 'Phase 2', '😀 Phase 3'].map((end, i) => ({ ...summaries[0]!, id: i + 1, name: `${base} ${end}` }));
    const step1 = dealStepView(c, { deals, preselectId: null, typedName: null, meta: JSON.parse(encodeMeta({ key: '0123456789abcdef', dealId: null, dealName: '', newDeal: null, answers: null })) });
    const texts: string[] = (step1.blocks.find((b: any) => b.block_id === 'deal_pick') as any).element.options.slice(1).map((o: any) => o.text.text);
    expect(new Set(texts).size).toBe(3);
    for (const t of texts) {
      expect(t.length).toBeLessThanOrEqual(75);
      expect(t).toContain('…');
      expect(t).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
    expect(texts[2]!.endsWith('😀 Phase 3')).toBe(true);
    // Cut points that fall inside an emoji move to its edge.
    const astral = `${'a'.repeat(49)}😀${'b'.repeat(30)}😀${'c'.repeat(23)}`;
    expect(clipMiddle(astral, 75)).toBe(`${'a'.repeat(49)}…${'c'.repeat(23)}`);
    expect(clipMiddle('short', 75)).toBe('short');
  });

  it('cuts text at the limit neither inside an emoji nor inside an escape, the typed name in step 1 included', () => {
    expect(clip(`${'a'.repeat(8)}😀b`, 10)).toBe(`${'a'.repeat(8)}…`);
    expect(clip(`${'a'.repeat(6)}&amp;b`, 10)).toBe(`${'a'.repeat(6)}…`);
    expect(clip(`${'a'.repeat(4)}&amp;bbbb`, 10)).toBe(`${'a'.repeat(4)}&amp;…`);
    expect(clip(`${'a'.repeat(5)}&lt;bbbb`, 10)).toBe(`${'a'.repeat(5)}&lt;…`);
    expect(clip('short', 10)).toBe('short');
    // Nor inside a character as read: a Thai letter with its marks, a flag, an emoji with a skin tone or joined people.
    expect(clip('กี่ที่ดี', 4)).toBe('กี่…');
    expect(clip(`ab🇹🇭cd`, 5)).toBe('ab…');
    expect(clip(`a👍🏽b`, 5)).toBe('a…');
    expect(clip(`a👩‍💻bcdef`, 6)).toBe('a…');
    expect(clipMiddle(`${'a'.repeat(48)}👩‍💻${'b'.repeat(30)}🇻🇳${'c'.repeat(22)}`, 75)).toBe(`${'a'.repeat(48)}…${'c'.repeat(22)}`);
    // One absurd cluster longer than the limit is still cut, between code points.
    expect(clip(`e${'\u0301'.repeat(20)}`, 10)).toHaveLength(10);
    const c = content.get('en');
    const typedName = `${'x'.repeat(79)}😀 Corp`;
    const step1 = dealStepView(c, { deals: [], preselectId: null, typedName, meta: JSON.parse(encodeMeta({ key: '0123456789abcdef', dealId: null, dealName: '', newDeal: null, answers: null })) });
    expect((step1.blocks.find((b: any) => b.block_id === 'new_name') as any).element.initial_value).toBe('x'.repeat(79));
  });

  it('sends a big team its digest over a few messages, naming a few deals per list and the reports left out', () => {
    const c = content.get('en');
    const names = Array.from({ length: 100 }, (_, i) => `Deal ${String(i).padStart(3, '0')} ${'x'.repeat(20)}`);
    const reports = bigTeam(40, names, { perCase: 12, changes: 8, letGo: 30 });
    const messages = digestMessages(c, { reports, stallDays: 14, suggestion: 'Coach the fights.' });
    expect(messages).toHaveLength(DIGEST_MESSAGES);
    for (const m of messages) expect(blockKitProblems('post', m)).toEqual([]);
    const text = messages.map((m) => textOf(m.blocks)).join('');
    expect(text).not.toContain('…');
    const shown = reports.filter((r) => text.includes(`*<@${r.userId}>*`));
    expect(shown.length).toBeGreaterThan(DIGEST_MESSAGES);
    for (const r of shown) expect(text.split(`*<@${r.userId}>*`)).toHaveLength(2);
    const leftOut = reports.slice(shown.length).map((r) => `<@${r.userId}>`);
    const last = textOf(messages.at(-1)!.blocks);
    expect(last).toContain(`*Not shown, for space:* ${leftOut.slice(0, DIGEST_NAMES).join(', ')} and ${leftOut.length - DIGEST_NAMES} more.`);
    expect(text.split('Coach the fights.')).toHaveLength(2);
    expect(last).toContain('Coach the fights.');
    const first = textOf(messages[0]!.blocks).split('*<@U1>*')[0]!;
    expect(first).toContain(`*Quiet for 14 days or more:* ${names.slice(0, DIGEST_NAMES).join(', ')} and ${100 - DIGEST_NAMES} more`);
    expect(first).toContain(`Case G · ${c.messages.verdicts.fight}: ${names.slice(0, DIGEST_NAMES).join(', ')} and ${12 - DIGEST_NAMES} more`);
    expect(first).toContain(`and ${8 - DIGEST_NAMES} more`);
    const usual = reports.slice(0, 12).map((r) => ({ ...r, openCount: 3, byCase: [{ caseCode: 'G' as const, deals: ['Acme', 'Beta Logistics', 'Cobalt'] }], stalled: ['Cobalt'], letGo: [], changes: [], closest: ['Acme'] }));
    const one = digestMessages(c, { reports: usual, stallDays: 14, suggestion: 'x' });
    expect(one).toHaveLength(1);
    for (const r of usual) expect(textOf(one[0]!.blocks)).toContain(`*<@${r.userId}>*`);
  });

  it('leads with "too early to give up" for a young A, C or D, says why, and keeps the case\'s advice for later', () => {
    const c = content.get('en');
    const texts = (answers: Answers) => (resultBlocks(c, answers) as any[]).map((b) => b.text.text as string);
    const young = texts(rowFor('A', 1));
    expect(young[0]).toBe('*Too early to give up.* You have been on this deal for under a month. You have not yet tried to improve every axis. Work on Capability, Need, Trust first, then assess again.');
    // The header and the case's words say what the lists say: too early, not "let this one go".
    expect(young[1]).toBe('Case A: Too early to give up');
    expect(young[2]).toBe(c.advice.cases.A.situation);
    // The case's actions are what to do if it is still an A once the axes were worked; stopping is not for now.
    expect(young.find((t) => t.includes(c.advice.cases.A.actions[0]!))).toMatch(/^\*If it is still case A after that\*\n/);
    expect(young.at(-1)).toBe('*When to stop*\nNot yet. Give Capability, Need, Trust a real try first: a month or more on the deal, and something tried on each axis. Then assess again; if it is still case A, the actions above apply.');
    expect(texts({ ...rowFor('D', 1), time_on_deal: 'm1_3', tried_all: 'not_yet' })[0]).toBe('*Too early to give up.* You have not yet tried to improve every axis. Work on Capability, Trust first, then assess again.');
    const worked = texts(rowFor('C', 1));
    expect(worked[0]).toBe(`Case C: ${c.advice.cases.C.verdict}`);
    expect(worked.find((t) => t.includes(c.advice.cases.C.actions[0]!))).toMatch(/^\*Next actions\*\n/);
    expect(worked.at(-1)).toBe(`*When to stop*\n${c.advice.cases.C.stop_when}`);
  });

  it('names the verdict each move leads to, and lists in the reader\'s language', () => {
    const moves = (locale: string) => (resultBlocks(content.get(locale), rowFor('G', 1)) as any[]).map((b) => b.text.text as string).find((t) => t.startsWith(content.get(locale).messages.result.moves_heading))!;
    expect(moves('en')).toBe('*What would move it*\n• Budget Confirmed, Authority Decider engaged / Decider committed: this G would become case H (Keep going).');
    expect(moves('zh-CN')).toMatch(/^\*怎样让商机升级\*\n• 如果[^,]+为“[^”]+”、[^,]+为“[^”]+”，情形 G 就会变成情形 H（[^）]+）。$/);
    // Two reasons for "too early" are two sentences, joined as the language joins them.
    const zh = content.get('zh-CN');
    expect((resultBlocks(zh, rowFor('A', 1))[0] as any).text.text).toContain(`${zh.messages.result.too_early_new}${zh.messages.result.too_early_untried}`);
  });

  it('gives "too early to give up" as the verdict in the notification line too, and escapes the deal name there', () => {
    const c = content.get('en');
    const named = { id: 1, name: 'AT&T <!channel>' };
    expect(resultMessage(c, named, { ...rowFor('A', 1), too_early: 1 }).text).toBe('AT&amp;T &lt;!channel&gt;: Case A: Too early to give up');
    expect(sharedMessage(c, named, rowFor('C', 1), 'U1').text).toBe(`AT&amp;T &lt;!channel&gt;: Case C: ${c.advice.cases.C.verdict}`);
  });

  for (const locale of content.locales) {
    it(`${locale}: the weekly tip, both nudges, a full digest and the settings modal`, () => {
      const c = content.get(locale);
      for (const tip of Object.values(c.tips.tips)) expect(blockKitProblems('post', tipMessage(c, tip))).toEqual([]);
      for (const kind of ['stalled', 'giveup'] as const) {
        const nudge = nudgeMessage(c, { kind, dealId: 1, dealName: longName, lastCase: 'D', days: 45, fact: c.coaching.follow_up_facts[0]! });
        expect(blockKitProblems('post', nudge)).toEqual([]);
      }
      const many = Array.from({ length: 40 }, (_, i) => `${longName.slice(0, 70)} ${i}`);
      const reports = bigTeam(30, many, { perCase: 5, changes: 10, letGo: 40 });
      const digest = digestMessages(c, { reports, stallDays: 14, suggestion: c.coaching.team_suggestions.many_fight });
      for (const message of digest) expect(blockKitProblems('post', message)).toEqual([]);
      const empty = digestMessages(c, { reports: [{ ...reports[0]!, openCount: 0, byCase: [] }], stallDays: 14, suggestion: '' });
      expect(empty).toHaveLength(1);
      expect(empty[0]!.blocks).toHaveLength(1);
      const ws = defaultWorkspaceSettings('T1');
      const snoozed = { team_id: 'T1', user_id: 'U1', language: 'en', slack_locale: null, timezone: null, is_admin: 0, is_guest: null, profile_refreshed_at: null, mute_nudges: 1, snooze_until: '2026-12-24', left_at: null, updated_at: '2026-12-01T00:00:00Z' };
      for (const role of ['admin', 'coach', null] as const) {
        for (const user of [undefined, snoozed]) expect(blockKitProblems('modal', settingsModal(c, { locales: content.locales, user, workspace: ws, coachAdmins: ['U1'], role, today: '2026-12-01', timeZone: 'UTC' }))).toEqual([]);
      }
    });
  }

  it('keeps a history and a list within a message\'s text, however long their names and notes once escaped', () => {
    const c = content.get('th');
    const marks = (n: number) => '&<>'.repeat(n).slice(0, n);
    const notes = { situation: marks(1000), problem: marks(1000), implication: marks(1000), need_payoff: marks(1000), next_step: marks(1000) };
    const rows = Array.from({ length: 700 }, (_, i) => ({ ...rowFor(CASES[i % 8]!, i), ...notes }));
    const named = { ...deal, name: marks(80), customer: marks(80), close_reason: marks(300) };
    const history = historyBlocks(c, f, named, rows, HISTORY_IN.message);
    expect(blockKitProblems('message', { blocks: history })).toEqual([]);
    const sections = (history as any[]).filter((b) => b.type === 'section').map((b) => b.text.text as string);
    // The newest is shown, its notes cut to fit; the trend keeps its newest end.
    expect(JSON.stringify(history)).toContain(fill(c.messages.show.older_hidden, { count: 699 }));
    expect(sections.join('\n')).toContain(c.questions.notes.next_step);
    expect(sections[0]).toMatch(new RegExp(`… -> [A-H]( -> [A-H]){299}$`));
    expect(sections[0]!.endsWith(rows.slice(-3).map((r) => r.case_code).join(' -> '))).toBe(true);
    expect(blockKitProblems('modal', historyModal(c, f, named, rows))).toEqual([]);

    const many = Array.from({ length: 300 }, (_, i) => ({ ...summaries[i]!, name: `${marks(76)}${i}` }));
    const list = dealListBlocks(c, f, many, fill(c.messages.list.title, { count: 300 }), c.messages.list.empty);
    expect(blockKitProblems('message', { blocks: list })).toEqual([]);
    const more = (list.at(-1) as any).elements[0].text as string;
    const listed = (list as any[]).filter((b) => b.type === 'section').flatMap((b) => b.text.text.split('\n')).length - 1;
    expect(more).toBe(fill(c.messages.list.more, { count: 300 - listed }));
    expect(listed).toBeGreaterThan(10);
  });

  it('keeps the newest assessments when a history does not fit, and says how many are hidden', () => {
    const c = content.get('en');
    const rows = Array.from({ length: 60 }, (_, i) => rowFor(CASES[i % 8]!, i));
    const blocks = historyBlocks(c, f, deal, rows, HISTORY_IN.message);
    const text = JSON.stringify(blocks);
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(text).toMatch(/Older assessments not shown here: \d+\./);
    expect(text).toContain(new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: f.timeZone }).format(new Date(rows[59]!.created_at)));
  });

  it('shows every note of a history in full, however long, splitting it over sections within Slack\'s limit', () => {
    const c = content.get('en');
    // Notes at the form's 1,000-character limit; ampersands triple the escaped length of the last one.
    const words = (tag: string) => Array.from({ length: 200 }, (_, i) => `${tag}${i}`).join(' ').slice(0, 1000);
    const notes = { situation: words('s'), problem: words('p'), implication: words('i'), need_payoff: words('n'), next_step: '&'.repeat(1000) };
    const rows = [{ ...rowFor('G', 1), ...notes }, { ...rowFor('H', 2), ...notes }];
    const blocks = historyBlocks(c, f, deal, rows, HISTORY_IN.modal);
    expect(blockKitProblems('modal', { title: { text: 'History' }, blocks })).toEqual([]);
    const shown = (blocks as any[]).filter((b) => b.type === 'section').map((b) => b.text.text).join('\n');
    expect(shown).not.toContain('…');
    // A note split over sections loses only the space or line break where it was cut.
    const squeezed = (text: string) => text.replace(/\s+/g, '');
    const unescaped = squeezed(shown.replace(/&amp;/g, '&'));
    for (const note of Object.values(notes)) expect(unescaped.split(squeezed(note)).length - 1).toBe(2);
    // A run of emoji with no space to cut at is never split between the two halves of one.
    const emoji = historyBlocks(c, f, deal, [{ ...rowFor('G', 3), situation: null, problem: null, implication: null, need_payoff: null, next_step: `${'x'.repeat(2_991)}${'😀'.repeat(500)}` }], HISTORY_IN.message);
    for (const b of emoji as any[]) if (b.type === 'section') expect(b.text.text).not.toMatch(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/);
    // Too few blocks for both: the newest is kept whole and the other is counted as hidden.
    const perEntry = (blocks.length - 3) / 2;
    expect(perEntry).toBeGreaterThan(2);
    const tight = historyBlocks(c, f, deal, rows, { ...HISTORY_IN.modal, blocks: 3 + perEntry + 1 });
    expect(tight).toHaveLength(3 + perEntry + 1);
    expect(JSON.stringify(tight)).toContain('Older assessments not shown here: 1.');
  });

  it('lets the checker catch a broken view, so the tests above can fail', () => {
    const tooMany = { blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) };
    expect(blockKitProblems('message', tooMany)).toEqual(['51 blocks > 50']);
    expect(blockKitProblems('modal', { title: { text: 'x'.repeat(25) }, blocks: [] })).toHaveLength(1);
    expect(blockKitProblems('message', { blocks: [{ type: 'section', text: { text: 'y'.repeat(3001) } }] })).toHaveLength(1);
  });
});

describe('the deal step', () => {
  const c = content.get('en');
  const meta = { key: '0123456789abcdef', dealId: null, newDeal: null, dealName: '', answers: null };
  const nameField = (deals: DealSummary[]) => dealStepView(c, { deals, preselectId: null, typedName: null, meta }).blocks.find((b: any) => b.block_id === 'new_name') as any;

  it('requires the new deal name when the seller has no open deal to pick', () => {
    expect(nameField([]).optional).toBe(false);
  });

  it('leaves it optional beside a list of open deals, where picking one is the other answer', () => {
    expect(nameField(summaries.slice(0, 3)).optional).toBe(true);
  });

  it('lists the deal named in the command even past Slack\'s 100 options, and says how to reach the others', () => {
    const view = dealStepView(c, { deals: summaries, preselectId: 250, typedName: summaries[249]!.name, meta });
    const pick = view.blocks.find((b: any) => b.block_id === 'deal_pick') as any;
    // "A new deal" first, then 99 deals.
    expect(pick.element.options).toHaveLength(100);
    expect(pick.element.options[0].value).toBe('new');
    expect(pick.element.initial_option.value).toBe('250');
    expect(JSON.stringify(view.blocks)).toContain('Only the first 99 of your 300 open deals are listed here');
    expect(JSON.stringify(dealStepView(c, { deals: summaries.slice(0, 3), preselectId: null, typedName: null, meta }).blocks)).not.toContain('Only the first');
  });
});

describe('the Home tab', () => {
  it('says how many open deals it could not show, and where to see them', () => {
    const c = content.get('en');
    const text = JSON.stringify(homeView(c, f, summaries).blocks);
    expect(text).toContain('…and 253 more. `/deal list` lists more of them, and `/deal show &lt;deal&gt;` shows any one.');
    expect(JSON.stringify(homeView(c, f, summaries.slice(0, 47)).blocks)).not.toContain('more.');
  });
});

describe('when a deal was last assessed', () => {
  // 17:00 on 22 November in Ho Chi Minh City (UTC+7).
  const at = (locale: string, lastAssessedAt: string | null) =>
    JSON.stringify(dealListBlocks(content.get(locale), { ...f, locale }, [{ ...summaries[0]!, name: 'Acme', caseCode: lastAssessedAt ? 'G' : null, lastAssessedAt }], '', ''));

  it('counts calendar days in the reader’s time zone, not 24-hour periods', () => {
    // 01:00 local today, though yesterday in UTC; then 23:00 local yesterday, only 18 hours before.
    expect(at('en', '2026-11-21T18:00:00Z')).toContain('*Acme* · Case G · Fight · assessed today');
    expect(at('en', '2026-11-21T16:00:00Z')).toContain('assessed yesterday');
    expect(at('en', '2026-11-01T00:00:00Z')).toContain('assessed 21 days ago');
    expect(at('en', null)).toContain('not assessed yet');
  });

  it('says it in the reader’s language, in lower case mid-line', () => {
    expect(at('vi', '2026-11-22T01:00:00Z')).toContain('đánh giá hôm nay');
    expect(at('zh-CN', '2026-11-21T16:00:00Z')).toContain('昨天评估');
    expect(at('th', '2026-11-01T00:00:00Z')).toContain('ประเมินล่าสุด 21 วันที่ผ่านมา');
  });
});

describe("a deal's expected close date", () => {
  it('shows the day the seller picked, in every time zone', () => {
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Auckland', 'Asia/Ho_Chi_Minh', 'UTC', 'America/Los_Angeles', 'Pacific/Pago_Pago']) {
      const blocks = historyBlocks(content.get('en'), { ...f, timeZone }, { ...deal, close_date: '2027-01-31' }, [], HISTORY_IN.message);
      expect(JSON.stringify(blocks), timeZone).toContain('Jan 31, 2027');
    }
  });
});

describe('the workspace settings as a non-admin sees them', () => {
  const c = content.get('en');
  const summary = (workspace: ReturnType<typeof defaultWorkspaceSettings>) =>
    JSON.stringify(settingsModal(c, { locales: content.locales, user: undefined, workspace, coachAdmins: [], role: null, today: '2026-12-01', timeZone: 'UTC' }).blocks);

  it('names the tip channel and slot, or says no tip goes out until a channel is chosen', () => {
    const ws = defaultWorkspaceSettings('T1');
    expect(summary(ws)).toContain("Now: no weekly tip until a channel is chosen (workspace time zone UTC); manager digests on Monday at 08:00, in each manager's own time zone");
    expect(summary({ ...ws, tip_channel_id: 'C1' })).toContain('Now: tips in <#C1> on Monday at 09:00 (workspace time zone UTC)');
  });
});
