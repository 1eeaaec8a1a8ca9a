import { LET_GO_CASES, highCount, type CaseCode } from './cases.js';

const DAY_MS = 86_400_000;
/** A let-go case still open this long after its assessment earns the "close it?" nudge. */
export const LET_GO_GRACE_DAYS = 7;

/**
 * What the coach knows of an open deal when deciding whether to nudge its owner. Days are calendar dates
 * (YYYY-MM-DD) in the owner's time zone: a deal touched on a Monday afternoon is "a week quiet" the next Monday
 * morning, as the owner counts it and as `/deal list` shows it.
 */
export interface DealActivity {
  lastCase: CaseCode | null;
  /** Day of the last assessment or update of the deal. */
  lastActiveOn: string;
  lastAssessedOn: string | null;
  /** The latest assessment said it was too early to give up: work the axes first, so no "close it?". */
  tooEarly: boolean;
}

export type NudgeKind = 'stalled' | 'giveup';

/** Whether the coach's last word on a deal was to let it go (A, C, D), not "too early to give up": the nudges and the digest agree. */
export function judgedLetGo(deal: { lastCase: CaseCode | null; tooEarly: boolean }): boolean {
  return deal.lastCase !== null && LET_GO_CASES.includes(deal.lastCase) && !deal.tooEarly;
}

/** Whole days from one calendar date (YYYY-MM-DD) to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

/** Quiet for the stall threshold by `today`: one rule for the nudges and the managers' digest. */
export function isStalled(lastActiveOn: string, today: string, stallDays: number): boolean {
  return daysBetween(lastActiveOn, today) >= stallDays;
}

/**
 * Which nudge a deal earns on `today` (at the owner's 09:00): a let-go case (A, C, D) left open for a week gets
 * "close it?", unless it was judged too early to give up; any deal quiet for the stall threshold gets "follow up";
 * otherwise none.
 */
export function nudgeFor(deal: DealActivity, today: string, stallDays: number): NudgeKind | null {
  if (judgedLetGo(deal) && deal.lastAssessedOn && daysBetween(deal.lastAssessedOn, today) >= LET_GO_GRACE_DAYS) return 'giveup';
  if (isStalled(deal.lastActiveOn, today, stallDays)) return 'stalled';
  return null;
}

/**
 * What any deal that `nudgeFor` answers on a day up to `now` must satisfy: active at or before `activityBy`, or a
 * let-go case assessed by `letGoAssessedBy`. Lets a planner skip, before reading them, the deals that cannot be due.
 * N calendar days can be less than N days by the clock (touched late one day, checked early on another; a day
 * shortened by a clock change): each cutoff keeps two days' margin, which covers both in any time zone.
 */
export function dueCutoffs(now: Date, stallDays: number): { activityBy: Date; letGoAssessedBy: Date } {
  const daysBefore = (days: number) => new Date(now.getTime() - (days - 2) * DAY_MS);
  return { activityBy: daysBefore(stallDays), letGoAssessedBy: daysBefore(LET_GO_GRACE_DAYS) };
}

export type TeamSuggestion = 'many_give_up' | 'many_nurture' | 'many_fight' | 'many_keep_going' | 'no_assessments' | 'balanced';

/** One coaching suggestion for a manager, from the share of each case family among the team's open deals. */
export function suggestionFor(deals: readonly { lastCase: CaseCode | null; tooEarly: boolean }[]): TeamSuggestion {
  const assessed = deals.filter((d) => d.lastCase !== null);
  if (assessed.length === 0 || assessed.length < deals.length / 2) return 'no_assessments';
  const share = (pick: (d: (typeof deals)[number]) => boolean) => assessed.filter(pick).length / assessed.length;
  if (share(judgedLetGo) >= 0.4) return 'many_give_up';
  if (share((d) => d.lastCase === 'H') >= 0.4) return 'many_keep_going';
  if (share((d) => d.lastCase === 'E' || d.lastCase === 'F' || d.lastCase === 'G') >= 0.4) return 'many_fight';
  if (share((d) => d.lastCase === 'B') >= 0.3) return 'many_nurture';
  return 'balanced';
}

/** Deals nearest to a win: H first, then the cases with two high axes. */
export function closestToWin<T extends { lastCase: CaseCode | null }>(deals: readonly T[], limit = 3): T[] {
  return deals
    .filter((d) => d.lastCase && highCount(d.lastCase) >= 2)
    .sort((a, b) => highCount(b.lastCase!) - highCount(a.lastCase!))
    .slice(0, limit);
}
