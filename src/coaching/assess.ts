import type { Answers, QuestionId } from './answers.js';
import { AXES, LET_GO_CASES, VERDICTS, caseFor, type Axis, type CaseCode, type Level, type Levels, type Verdict } from './cases.js';

/** One answer that counts towards an axis, and whether it meets the bar for "high". */
export interface Factor {
  question: QuestionId;
  value: string;
  ok: boolean;
  /** The answers that would meet the bar. */
  needed: readonly string[];
}

export interface AxisResult {
  axis: Axis;
  level: Level;
  factors: Factor[];
}

/** What it takes to raise one low axis, and the case the deal would then be in. */
export interface Move {
  axis: Axis;
  changes: Factor[];
  toCase: CaseCode;
}

export interface Assessment {
  caseCode: CaseCode;
  verdict: Verdict;
  levels: Levels;
  axes: AxisResult[];
  moves: Move[];
  /** True when it is too early to give up: little time or effort spent on a let-go case. */
  tooEarly: boolean;
}

/** The bar each axis sets: for every question that counts, the answers that make it high. */
const BARS: Record<Axis, Partial<Record<QuestionId, readonly string[]>>> = {
  capability: { budget: ['confirmed'], authority: ['decider_engaged', 'decider_committed'] },
  need: { need: ['must_have'], timing: ['this_year', 'this_quarter'] },
  trust: { relationship: ['trust', 'support'], competitors: ['even', 'ahead', 'none'] },
};

function axisResult(axis: Axis, answers: Answers): AxisResult {
  const factors = Object.entries(BARS[axis]).map(([question, needed]) => {
    const value = answers[question as QuestionId];
    return { question: question as QuestionId, value, ok: needed!.includes(value), needed: needed! };
  });
  return { axis, level: factors.every((f) => f.ok) ? 'high' : 'low', factors };
}

export function isTooEarly(answers: Answers, caseCode: CaseCode): boolean {
  const littleEffort = answers.time_on_deal === 'under_1m' || answers.tried_all === 'not_yet';
  return littleEffort && LET_GO_CASES.includes(caseCode);
}

/** Rates a deal on the three axes and places it in one of the eight cases. */
export function assess(answers: Answers): Assessment {
  const axes = AXES.map((axis) => axisResult(axis, answers));
  const levels = Object.fromEntries(axes.map((a) => [a.axis, a.level])) as Levels;
  const caseCode = caseFor(levels);
  const moves = axes
    .filter((a) => a.level === 'low')
    .map((a) => ({
      axis: a.axis,
      changes: a.factors.filter((f) => !f.ok),
      toCase: caseFor({ ...levels, [a.axis]: 'high' }),
    }));
  return { caseCode, verdict: VERDICTS[caseCode], levels, axes, moves, tooEarly: isTooEarly(answers, caseCode) };
}
