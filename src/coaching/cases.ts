export type Level = 'high' | 'low';
export type Axis = 'capability' | 'need' | 'trust';
export const AXES: readonly Axis[] = ['capability', 'need', 'trust'];

export const CASES = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;
export type CaseCode = (typeof CASES)[number];

export type Levels = Record<Axis, Level>;
export type Verdict = 'give_up' | 'nurture' | 'drop' | 'fight' | 'keep_going';

/** The give-up model's table: capability, need, trust levels to a case (COACHING.md section 1). */
const TABLE: Record<CaseCode, Levels> = {
  A: { capability: 'low', need: 'low', trust: 'low' },
  B: { capability: 'low', need: 'low', trust: 'high' },
  C: { capability: 'high', need: 'low', trust: 'low' },
  D: { capability: 'low', need: 'high', trust: 'low' },
  E: { capability: 'high', need: 'high', trust: 'low' },
  F: { capability: 'high', need: 'low', trust: 'high' },
  G: { capability: 'low', need: 'high', trust: 'high' },
  H: { capability: 'high', need: 'high', trust: 'high' },
};

export const VERDICTS: Record<CaseCode, Verdict> = {
  A: 'give_up',
  B: 'nurture',
  C: 'drop',
  D: 'drop',
  E: 'fight',
  F: 'fight',
  G: 'fight',
  H: 'keep_going',
};

/** Cases whose verdict is to let the deal go: the early-caveat and give-up nudges apply to them. */
export const LET_GO_CASES: readonly CaseCode[] = ['A', 'C', 'D'];

export function caseFor(levels: Levels): CaseCode {
  const found = CASES.find((c) => AXES.every((axis) => TABLE[c][axis] === levels[axis]));
  if (!found) throw new Error(`no case for ${JSON.stringify(levels)}`);
  return found;
}

/** A case is better than another when it has more high axes; ties keep the table order. */
export function highCount(code: CaseCode): number {
  return AXES.filter((axis) => TABLE[code][axis] === 'high').length;
}

/** Renders a sequence of cases as a trend line, for example `D -> G -> H`. */
export function trendLine(cases: readonly CaseCode[]): string {
  return cases.join(' -> ');
}
