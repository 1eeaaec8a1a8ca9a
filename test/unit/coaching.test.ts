import { describe, expect, it } from 'vitest';
import { QUESTIONS, QUESTION_IDS, offerCountsFrom, reassessFrom, type Answers } from '../../src/coaching/answers.js';
import { assess } from '../../src/coaching/assess.js';
import { CASES, VERDICTS, caseFor, trendLine } from '../../src/coaching/cases.js';

/** Every combination of answers: 3,072 for the six axis questions times 8 for the two effort ones. */
function* allAnswers(): Generator<Answers> {
  const ids = QUESTION_IDS;
  const walk = function* (i: number, acc: Partial<Answers>): Generator<Answers> {
    if (i === ids.length) return yield acc as Answers;
    for (const v of QUESTIONS[ids[i]!]) yield* walk(i + 1, { ...acc, [ids[i]!]: v });
  };
  yield* walk(0, {});
}

// The rules as the issue states them, written out independently of the implementation.
const capabilityHigh = (a: Answers) => a.budget === 'confirmed' && (a.authority === 'decider_engaged' || a.authority === 'decider_committed');
const needHigh = (a: Answers) => a.need === 'must_have' && (a.timing === 'this_year' || a.timing === 'this_quarter');
const trustHigh = (a: Answers) => (a.relationship === 'trust' || a.relationship === 'support') && a.competitors !== 'behind';
const EXPECTED_CASE: Record<string, string> = {
  '---': 'A', '--+': 'B', '+--': 'C', '-+-': 'D', '++-': 'E', '+-+': 'F', '-++': 'G', '+++': 'H',
};

describe('the give-up model', () => {
  it('maps each level combination to its case as in the COACHING.md table', () => {
    expect(caseFor({ capability: 'low', need: 'low', trust: 'low' })).toBe('A');
    expect(caseFor({ capability: 'low', need: 'low', trust: 'high' })).toBe('B');
    expect(caseFor({ capability: 'high', need: 'low', trust: 'low' })).toBe('C');
    expect(caseFor({ capability: 'low', need: 'high', trust: 'low' })).toBe('D');
    expect(caseFor({ capability: 'high', need: 'high', trust: 'low' })).toBe('E');
    expect(caseFor({ capability: 'high', need: 'low', trust: 'high' })).toBe('F');
    expect(caseFor({ capability: 'low', need: 'high', trust: 'high' })).toBe('G');
    expect(caseFor({ capability: 'high', need: 'high', trust: 'high' })).toBe('H');
  });

  it('gives each case its verdict', () => {
    expect(CASES.map((c) => VERDICTS[c])).toEqual(['give_up', 'nurture', 'drop', 'drop', 'fight', 'fight', 'fight', 'keep_going']);
  });

  it('rates all 24,576 combinations of answers as the rules say', () => {
    let count = 0;
    const seenCases = new Set<string>();
    for (const a of allAnswers()) {
      count++;
      const r = assess(a);
      const key = `${capabilityHigh(a) ? '+' : '-'}${needHigh(a) ? '+' : '-'}${trustHigh(a) ? '+' : '-'}`;
      expect(r.levels).toEqual({ capability: key[0] === '+' ? 'high' : 'low', need: key[1] === '+' ? 'high' : 'low', trust: key[2] === '+' ? 'high' : 'low' });
      expect(r.caseCode).toBe(EXPECTED_CASE[key]);
      const littleEffort = a.time_on_deal === 'under_1m' || a.tried_all === 'not_yet';
      expect(r.tooEarly).toBe(littleEffort && ['A', 'C', 'D'].includes(r.caseCode));
      seenCases.add(r.caseCode);
    }
    expect(count).toBe(3072 * 8);
    expect(seenCases.size).toBe(8);
  });

  it('names, for each low axis, the answers that would raise it and the case it leads to', () => {
    // The effort answers do not change levels or moves, so the 3,072 axis combinations cover every move.
    for (const a of allAnswers()) {
      if (a.time_on_deal !== 'm3_6' || a.tried_all !== 'yes') continue;
      const r = assess(a);
      expect(r.moves.map((m) => m.axis)).toEqual(r.axes.filter((x) => x.level === 'low').map((x) => x.axis));
      for (const move of r.moves) {
        const fixed = { ...a } as Record<string, string>;
        for (const change of move.changes) {
          expect(change.needed).not.toContain(change.value);
          fixed[change.question] = change.needed[0]!;
        }
        const after = assess(fixed as Answers);
        expect(after.levels[move.axis]).toBe('high');
        expect(after.caseCode).toBe(move.toCase);
      }
    }
  });

  it('explains a G that a confirmed budget and an engaged decider turn into an H', () => {
    const r = assess({
      budget: 'possible', authority: 'influencer', need: 'must_have', timing: 'this_quarter',
      relationship: 'trust', competitors: 'ahead', time_on_deal: 'm3_6', tried_all: 'yes',
    });
    expect(r.caseCode).toBe('G');
    expect(r.moves).toHaveLength(1);
    expect(r.moves[0]).toMatchObject({ axis: 'capability', toCase: 'H' });
    expect(r.moves[0]!.changes.map((c) => [c.question, c.needed])).toEqual([
      ['budget', ['confirmed']],
      ['authority', ['decider_engaged', 'decider_committed']],
    ]);
  });

  it('warns it is too early to give up on a young or under-worked A, C or D, and only then', () => {
    const base: Answers = {
      budget: 'none', authority: 'no_access', need: 'no_need', timing: 'no_timeline',
      relationship: 'unknown_to_them', competitors: 'behind', time_on_deal: 'over_6m', tried_all: 'yes',
    };
    expect(assess(base).tooEarly).toBe(false);
    expect(assess({ ...base, time_on_deal: 'under_1m' }).tooEarly).toBe(true);
    expect(assess({ ...base, tried_all: 'not_yet' }).tooEarly).toBe(true);
    // B is nurture, not give up: no caveat even when the deal is young.
    expect(assess({ ...base, relationship: 'trust', competitors: 'ahead', time_on_deal: 'under_1m' }).caseCode).toBe('B');
    expect(assess({ ...base, relationship: 'trust', competitors: 'ahead', time_on_deal: 'under_1m' }).tooEarly).toBe(false);
  });

  it('writes a trend as cases joined by arrows', () => {
    expect(trendLine(['D', 'G', 'H'])).toBe('D -> G -> H');
  });
});

describe('reassessing', () => {
  it('starts from the last answers, with the time on the deal moved on by the months since that answer was first given', () => {
    const last: Answers = { budget: 'possible', authority: 'influencer', need: 'must_have', timing: 'this_quarter', relationship: 'trust', competitors: 'ahead', time_on_deal: 'under_1m', tried_all: 'not_yet' };
    const then = new Date('2026-01-05T10:00:00Z');
    const after = (days: number, from: Answers = last) => reassessFrom(from, then, new Date(then.getTime() + days * 86_400_000)).time_on_deal;
    expect(after(0)).toBe('under_1m');
    expect(after(20)).toBe('under_1m');
    expect(after(31)).toBe('m1_3');
    expect(after(95)).toBe('m3_6');
    expect(after(190)).toBe('over_6m');
    expect(after(62, { ...last, time_on_deal: 'm1_3' })).toBe('m3_6');
    expect(after(400, { ...last, time_on_deal: 'over_6m' })).toBe('over_6m');
    // A clock behind the answer's time does not move it back; the other answers stay as they were.
    expect(after(-40, { ...last, time_on_deal: 'm3_6' })).toBe('m3_6');
    expect(reassessFrom(last, then, new Date(then.getTime() + 95 * 86_400_000))).toEqual({ ...last, time_on_deal: 'm3_6' });
  });

  it('counts an accepted offer that moved on from when the deal entered its range, so the deal keeps ageing at its pace', () => {
    const then = new Date('2026-01-05T10:00:00Z');
    const day = (n: number) => new Date(then.getTime() + n * 86_400_000);
    // "Under 1 month" on day 0, offered "1-3 months" on day 45: that range began on day 30, not on day 45.
    const since = offerCountsFrom('under_1m', then, 'm1_3');
    expect(Math.round((since.getTime() - then.getTime()) / 86_400_000)).toBe(30);
    expect(offerCountsFrom('m1_3', then, 'over_6m')).toEqual(new Date(then.getTime() + 5 * 30.44 * 86_400_000));
    // Reassessed monthly from there, taking each offer: "Over 6 months" comes at six months, as it would from day 0.
    const first: Answers = { budget: 'none', authority: 'no_access', need: 'no_need', timing: 'no_timeline', relationship: 'unknown_to_them', competitors: 'behind', time_on_deal: 'under_1m', tried_all: 'yes' };
    let saved = { answers: first, since: then };
    for (let n = 30; n <= 150; n += 30) {
      const offered = reassessFrom(saved.answers, saved.since, day(n + 3));
      if (offered.time_on_deal !== saved.answers.time_on_deal) saved = { answers: offered, since: offerCountsFrom(saved.answers.time_on_deal, saved.since, offered.time_on_deal) };
    }
    expect(saved.answers.time_on_deal).toBe('m3_6');
    expect(reassessFrom(saved.answers, saved.since, day(186)).time_on_deal).toBe('over_6m');
  });
});
