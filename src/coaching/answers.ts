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

/** Just the answers, out of anything that carries them (an assessment row, a joined read). */
export function answersIn(row: Answers): Answers {
  return Object.fromEntries(QUESTION_IDS.map((q) => [q, row[q]])) as Answers;
}
