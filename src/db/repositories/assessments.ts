import type { Insertable } from 'kysely';
import type { Answers } from '../../coaching/answers.js';
import { assess } from '../../coaching/assess.js';
import type { Db } from '../create-db.js';
import type { AssessmentsTable } from '../schema.js';
import { findOpenDealByName, nameKey, type Deal, type NewDeal, type Owner } from './deals.js';

export interface SpinNotes {
  situation: string | null;
  problem: string | null;
  implication: string | null;
  need_payoff: string | null;
  next_step: string | null;
}

export type AssessmentRow = Omit<AssessmentsTable, 'id'> & { id: number };

export interface SaveAssessment {
  owner: Owner;
  /** Either an existing deal of the owner's, or a new one created in the same transaction. */
  deal: { id: number } | { create: NewDeal };
  answers: Answers;
  notes: SpinNotes;
  /** Unique per modal flow: a replayed submission returns the first save instead of adding one. */
  submissionKey: string;
  now: Date;
}

export class DuplicateDealError extends Error {
  constructor(readonly dealName: string) {
    super(`an open deal named ${dealName} already exists`);
  }
}

export class DealNotOpenError extends Error {}

export function assessmentRow(input: Omit<SaveAssessment, 'deal'>, dealId: number): Insertable<AssessmentsTable> {
  const result = assess(input.answers);
  return {
    team_id: input.owner.teamId,
    deal_id: dealId,
    assessor_id: input.owner.userId,
    submission_key: input.submissionKey,
    ...input.answers,
    capability_level: result.levels.capability,
    need_level: result.levels.need,
    trust_level: result.levels.trust,
    case_code: result.caseCode,
    too_early: result.tooEarly ? 1 : 0,
    ...input.notes,
    created_at: input.now.toISOString(),
  };
}

/** Saves one assessment (and its new deal) in one transaction; idempotent per submission key. */
export async function saveAssessment(db: Db, input: SaveAssessment): Promise<{ deal: Deal; assessment: AssessmentRow; replay: boolean }> {
  return db.transaction().execute(async (trx) => {
    const replayed = async () => {
      const assessment = await trx.selectFrom('assessments').selectAll().where('submission_key', '=', input.submissionKey).executeTakeFirst();
      if (!assessment) return undefined;
      const deal = await trx.selectFrom('deals').selectAll().where('id', '=', assessment.deal_id).executeTakeFirstOrThrow();
      return { deal, assessment, replay: true };
    };
    const at = input.now.toISOString();

    if ('create' in input.deal) {
      const previous = await replayed();
      if (previous) return previous;
      const d = input.deal.create;
      const clash = await findOpenDealByName(trx, input.owner, d.name);
      if (clash) throw new DuplicateDealError(d.name);
      const deal = await trx
        .insertInto('deals')
        .values({
          team_id: input.owner.teamId,
          owner_id: input.owner.userId,
          name: d.name.trim(),
          name_key: nameKey(d.name),
          customer: d.customer,
          value_minor: d.valueMinor,
          currency: d.currency,
          close_date: d.closeDate,
          status: 'open',
          created_at: at,
          updated_at: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const assessment = await trx.insertInto('assessments').values(assessmentRow(input, deal.id)).returningAll().executeTakeFirstOrThrow();
      const latest = { last_case_code: assessment.case_code, last_assessment_id: assessment.id, last_assessed_at: assessment.created_at };
      await trx.updateTable('deals').set(latest).where('id', '=', deal.id).execute();
      return { deal: { ...deal, ...latest }, assessment, replay: false };
    }

    // The common path, reassessing: two statements. A replayed submission inserts nothing and returns the first save.
    const assessment = await trx
      .insertInto('assessments')
      .values(assessmentRow(input, input.deal.id))
      .onConflict((oc) => oc.column('submission_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!assessment) return (await replayed())!;
    const deal = await trx
      .updateTable('deals')
      .set({ updated_at: at, last_case_code: assessment.case_code, last_assessment_id: assessment.id, last_assessed_at: assessment.created_at })
      .where('id', '=', input.deal.id)
      .where('team_id', '=', input.owner.teamId)
      .where('owner_id', '=', input.owner.userId)
      .where('status', '=', 'open')
      .returningAll()
      .executeTakeFirst();
    // Throwing rolls the insert back: nothing is saved against a deal that is not the owner's open deal.
    if (!deal) throw new DealNotOpenError('deal is not open');
    return { deal, assessment, replay: false };
  });
}

/** Every assessment of a deal, oldest first. */
export async function dealHistory(db: Db, dealId: number): Promise<AssessmentRow[]> {
  return db.selectFrom('assessments').selectAll().where('deal_id', '=', dealId).orderBy('created_at').orderBy('id').execute();
}

export async function latestAssessment(db: Db, dealId: number): Promise<AssessmentRow | undefined> {
  return db.selectFrom('assessments').selectAll().where('deal_id', '=', dealId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}
