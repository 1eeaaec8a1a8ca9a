import type { Transaction } from 'kysely';
import { QUESTION_IDS, answersIn, offerCountsFrom, reassessFrom, type Answers } from '../../coaching/answers.js';
import { assess } from '../../coaching/assess.js';
import type { Db } from '../create-db.js';
import { preparedQuery } from '../prepared.js';
import type { AssessmentsTable, Database } from '../schema.js';
import { findOpenDealByName, nameKey, tidyName, type Deal, type DealChanges, type NewDeal, type Owner } from './deals.js';

export interface SpinNotes {
  situation: string | null;
  problem: string | null;
  implication: string | null;
  need_payoff: string | null;
  next_step: string | null;
}

export type AssessmentRow = Omit<AssessmentsTable, 'id'> & { id: number };
type NewAssessment = Omit<AssessmentRow, 'id'>;

export interface SaveAssessment {
  owner: Owner;
  /**
   * Either an existing deal of the owner's (with details to update, and the moment its time on the deal now counts
   * from, when that changed: see reassessFrom), or a new one created in the same transaction.
   */
  deal: { id: number; changes?: DealChanges | null; timeOnDealSince?: string } | { create: NewDeal };
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

export function assessmentRow(input: Omit<SaveAssessment, 'deal'>, dealId: number): NewAssessment {
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

/** What a save returns: the deal it belongs to, the stored assessment, and whether it was a replay. */
export interface Saved {
  dealId: number;
  assessment: AssessmentRow;
  replay: boolean;
}

async function previousSave(db: Db | Transaction<Database>, submissionKey: string): Promise<Saved | undefined> {
  const assessment = await db.selectFrom('assessments').selectAll().where('submission_key', '=', submissionKey).executeTakeFirst();
  return assessment && { dealId: assessment.deal_id, assessment, replay: true };
}

/** Every column a new assessment writes: typed as a record, so a column missing here fails to compile. */
const WRITTEN: Record<keyof NewAssessment, true> = {
  team_id: true, deal_id: true, assessor_id: true, submission_key: true,
  budget: true, authority: true, need: true, timing: true, relationship: true, competitors: true, time_on_deal: true, tried_all: true,
  capability_level: true, need_level: true, trust_level: true, case_code: true, too_early: true,
  situation: true, problem: true, implication: true, need_payoff: true, next_step: true, created_at: true,
};
const ASSESSMENT_COLUMNS = Object.keys(WRITTEN) as (keyof NewAssessment)[];

/** Adds an assessment only when the deal is the owner's and still open; nothing when the submission was saved before. */
const reassess = preparedQuery((db, p: NewAssessment & { ownerTeam: string; ownerUser: string }) =>
  db
    .insertInto('assessments')
    .columns(ASSESSMENT_COLUMNS)
    .expression(
      db
        .selectFrom('deals')
        .select((eb) => ASSESSMENT_COLUMNS.map((c) => eb.val(p[c]).as(c)))
        .where('id', '=', p.deal_id)
        .where('team_id', '=', p.ownerTeam)
        .where('owner_id', '=', p.ownerUser)
        .where('status', '=', 'open'),
    )
    .onConflict((oc) => oc.column('submission_key').doNothing())
    // Only the id: the rest of the row is what we wrote, and reading it back costs more than the insert's checks.
    .returning('id'),
);

/**
 * Saves one assessment, idempotent per submission key. The deal's latest case and last activity follow by trigger.
 * A new deal and its first assessment are written in one transaction; reassessing is a single atomic statement
 * that inserts only when the deal is the owner's and still open.
 */
export async function saveAssessment(db: Db, input: SaveAssessment): Promise<Saved> {
  if ('create' in input.deal) {
    const d = input.deal.create;
    return db.transaction().execute(async (trx) => {
      const previous = await previousSave(trx, input.submissionKey);
      if (previous) return previous;
      if (await findOpenDealByName(trx, input.owner, d.name)) throw new DuplicateDealError(d.name);
      const at = input.now.toISOString();
      const deal = await trx
        .insertInto('deals')
        .values({
          team_id: input.owner.teamId,
          owner_id: input.owner.userId,
          name: tidyName(d.name),
          name_key: nameKey(d.name),
          ...dealColumns(d),
          status: 'open',
          created_at: at,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const assessment = await trx.insertInto('assessments').values(assessmentRow(input, deal.id)).returningAll().executeTakeFirstOrThrow();
      return { dealId: deal.id, assessment, replay: false };
    });
  }

  const row = assessmentRow(input, input.deal.id);
  const { changes, timeOnDealSince } = input.deal;
  const params = { ...row, ownerTeam: input.owner.teamId, ownerUser: input.owner.userId };
  const columns = { ...(changes ? dealColumns(changes) : {}), ...(timeOnDealSince ? { time_on_deal_since: timeOnDealSince } : {}) };
  const [inserted] = Object.keys(columns).length
    ? // The deal changes with the assessment, or not at all.
      await db.transaction().execute(async (trx) => {
        const added = await reassess(trx, params);
        if (added.length) await trx.updateTable('deals').set(columns).where('id', '=', row.deal_id).execute();
        return added;
      })
    : await reassess(db, params);
  if (inserted) return { dealId: input.deal.id, assessment: { ...row, id: inserted.id }, replay: false };
  // Nothing inserted: either this submission was saved before, or the deal is not the owner's open deal.
  const previous = await previousSave(db, input.submissionKey);
  if (previous) return previous;
  throw new DealNotOpenError('deal is not open');
}

/** The deal columns of the details given: a new deal's, or the changes to one. */
function dealColumns(changes: DealChanges) {
  return {
    ...(changes.customer !== undefined ? { customer: changes.customer } : {}),
    ...(changes.valueMinor !== undefined ? { value_minor: changes.valueMinor, currency: changes.currency ?? null } : {}),
    ...(changes.closeDate !== undefined ? { close_date: changes.closeDate } : {}),
  };
}

/** Every assessment of a deal, oldest first. */
export async function dealHistory(db: Db, dealId: number): Promise<AssessmentRow[]> {
  return db.selectFrom('assessments').selectAll().where('deal_id', '=', dealId).orderBy('created_at').orderBy('id').execute();
}

/** The owner's deal with the answers of its newest assessment, in one read: what reassessing starts from. */
const ownedWithLatest = preparedQuery((db, p: { dealId: number; teamId: string; userId: string }) =>
  db
    .selectFrom('deals')
    .leftJoin('assessments', 'assessments.id', 'deals.last_assessment_id')
    .select(['deals.id', 'deals.name', 'deals.status', 'deals.time_on_deal_since', 'deals.last_assessed_at', ...QUESTION_IDS])
    .where('deals.id', '=', p.dealId)
    .where('deals.team_id', '=', p.teamId)
    .where('deals.owner_id', '=', p.userId),
);

export interface DealToReassess {
  deal: Pick<Deal, 'id' | 'name' | 'status'>;
  /** The newest assessment's answers as of `now` (see reassessFrom), to prefill the questions; null before the first. */
  prefill: Answers | null;
  /** When the prefilled time on the deal counts from, if it moved on from the saved one (see offerCountsFrom). */
  offeredSince?: string;
}

/** Only the owner's deal: another user's deal id behaves as not found. */
export async function dealToReassess(db: Db, owner: Owner, dealId: number, now: Date): Promise<DealToReassess | undefined> {
  const row = (await ownedWithLatest(db, { dealId, teamId: owner.teamId, userId: owner.userId }))[0];
  if (!row) return undefined;
  const deal = { id: row.id, name: row.name, status: row.status };
  // The join finds the newest assessment or none: its answer columns are all set or all null.
  const since = row.time_on_deal_since ?? row.last_assessed_at;
  if (row.budget === null || !since) return { deal, prefill: null };
  const saved = answersIn(row as Answers);
  const prefill = reassessFrom(saved, new Date(since), now);
  if (prefill.time_on_deal === saved.time_on_deal) return { deal, prefill };
  return { deal, prefill, offeredSince: offerCountsFrom(saved.time_on_deal, new Date(since), prefill.time_on_deal).toISOString() };
}
