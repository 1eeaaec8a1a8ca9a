import { z } from 'zod';

/** The answer values of the assessment questions; SQL CHECK constraints mirror these lists. */
export const BUDGET = ['none', 'unknown', 'possible', 'confirmed'] as const;
export const AUTHORITY = ['no_access', 'influencer', 'decider_engaged', 'decider_committed'] as const;
export const NEED = ['no_need', 'nice_to_have', 'must_have'] as const;
export const TIMING = ['no_timeline', 'someday', 'this_year', 'this_quarter'] as const;
export const RELATIONSHIP = ['unknown_to_them', 'some_sympathy', 'trust', 'support'] as const;
export const COMPETITORS = ['behind', 'even', 'ahead', 'none'] as const;
export const TIME_ON_DEAL = ['under_1m', 'm1_3', 'm3_6', 'over_6m'] as const;
export const TRIED_ALL = ['yes', 'not_yet'] as const;

export const axisAnswersSchema = z.object({
  budget: z.enum(BUDGET),
  authority: z.enum(AUTHORITY),
  need: z.enum(NEED),
  timing: z.enum(TIMING),
  relationship: z.enum(RELATIONSHIP),
  competitors: z.enum(COMPETITORS),
});

export const effortAnswersSchema = z.object({
  time_on_deal: z.enum(TIME_ON_DEAL),
  tried_all: z.enum(TRIED_ALL),
});

export const answersSchema = axisAnswersSchema.extend(effortAnswersSchema.shape);

export type Answers = z.infer<typeof answersSchema>;
export type QuestionId = keyof Answers;

/** Every question with its allowed values, in the order the modal asks them. */
export const QUESTIONS: { [K in QuestionId]: readonly Answers[K][] } = {
  budget: BUDGET,
  authority: AUTHORITY,
  need: NEED,
  timing: TIMING,
  relationship: RELATIONSHIP,
  competitors: COMPETITORS,
  time_on_deal: TIME_ON_DEAL,
  tried_all: TRIED_ALL,
};

export const QUESTION_IDS = Object.keys(QUESTIONS) as QuestionId[];

/** The month each "Time on this deal" answer starts at. */
const TIME_ON_DEAL_FROM_MONTHS: Record<Answers['time_on_deal'], number> = { under_1m: 0, m1_3: 1, m3_6: 3, over_6m: 6 };
const MONTH_MS = 30.44 * 86_400_000;

/**
 * The answers a reassessment starts from: the last ones, with the time on the deal moved on by the months since that
 * answer counts from (`since`: when it was first given, in the latest assessments that all gave it; see also
 * offerCountsFrom). Counting from there, a deal reassessed every two weeks, each time under a month after the last,
 * still grows older, while a seller's correction (a new answer) starts the count again.
 */
export function reassessFrom(last: Answers, since: Date, now: Date): Answers {
  const months = TIME_ON_DEAL_FROM_MONTHS[last.time_on_deal] + Math.max(0, Math.floor((now.getTime() - since.getTime()) / MONTH_MS));
  const time_on_deal = TIME_ON_DEAL.findLast((answer) => TIME_ON_DEAL_FROM_MONTHS[answer] <= months)!;
  return { ...last, time_on_deal };
}

/**
 * When an offered "Time on this deal" that moved on from the saved one counts from, once accepted: the saved answer's
 * moment, moved on by the months between the two answers' starts. Counting from the day it was accepted instead would
 * drop the time the deal had already spent in its new range: reassessed monthly, a deal would be offered "Over 6
 * months" at about eight.
 */
export function offerCountsFrom(saved: Answers['time_on_deal'], since: Date, offered: Answers['time_on_deal']): Date {
  return new Date(since.getTime() + (TIME_ON_DEAL_FROM_MONTHS[offered] - TIME_ON_DEAL_FROM_MONTHS[saved]) * MONTH_MS);
}

/** Just the answers, out of anything that carries them (an assessment row, a joined read). */
export function answersIn(row: Answers): Answers {
  return Object.fromEntries(QUESTION_IDS.map((q) => [q, row[q]])) as Answers;
}
