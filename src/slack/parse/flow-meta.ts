import { z } from 'zod';
import { TIME_ON_DEAL, answersSchema } from '../../coaching/answers.js';

const details = {
  customer: z.string().max(80).nullable(),
  valueMinor: z.number().int().min(0).nullable(),
  currency: z.string().length(3).nullable(),
  closeDate: z.string().nullable(),
};
const newDeal = z.object({ name: z.string().min(1).max(80), ...details });

/** What the assessment modal carries from step to step in `private_metadata` (at most 3,000 characters). */
export const flowMetaSchema = z.object({
  /** Unique per opened flow: makes the final save idempotent. */
  key: z.string().min(8).max(64),
  dealId: z.number().int().positive().nullable(),
  newDeal: newDeal.nullable(),
  /** The "Time on this deal" the axes step offered when reassessing (see reassessFrom). */
  offeredTimeOnDeal: z.enum(TIME_ON_DEAL).nullable().optional(),
  /** When that offer counts from, if it moved on from the saved answer: kept if the seller accepts it. */
  offeredSince: z.iso.datetime().optional(),
  /**
   * The details the seller filled in on step 1, whatever deal they end up on: saved to a picked deal with the
   * assessment, and to the deal saving again moves it to.
   */
  dealChanges: z.object(details).partial().nullable().optional(),
  dealName: z.string().max(80),
  answers: answersSchema.nullable(),
  /** The name step 1 filled in for the seller (the one typed after the command): left there beside a pick, it is no new name. */
  prefilledName: z.string().max(80).optional(),
  /** Started from the Home tab, which then shows the new result once it is saved. */
  fromHome: z.boolean().optional(),
});

export type FlowMeta = z.infer<typeof flowMetaSchema>;

export function encodeMeta(meta: FlowMeta): string {
  return JSON.stringify(meta);
}

export function decodeMeta(raw: string): FlowMeta {
  return flowMetaSchema.parse(JSON.parse(raw));
}
