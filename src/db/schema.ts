import type { Generated } from 'kysely';
import type { Answers } from '../coaching/answers.js';
import type { CaseCode, Level } from '../coaching/cases.js';

export const DEAL_STATUSES = ['open', 'won', 'lost', 'dropped'] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];
export type CloseStatus = Exclude<DealStatus, 'open'>;

export interface DealsTable {
  id: Generated<number>;
  team_id: string;
  owner_id: string;
  name: string;
  name_key: string;
  customer: string | null;
  value_minor: number | null;
  currency: string | null;
  close_date: string | null;
  status: DealStatus;
  close_reason: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

export type AssessmentsTable = {
  id: Generated<number>;
  team_id: string;
  deal_id: number;
  assessor_id: string;
  submission_key: string;
  capability_level: Level;
  need_level: Level;
  trust_level: Level;
  case_code: CaseCode;
  too_early: number;
  situation: string | null;
  problem: string | null;
  implication: string | null;
  need_payoff: string | null;
  next_step: string | null;
  created_at: string;
} & Answers;

/** The tables kysely knows; later migrations add theirs here. */
export interface Database {
  deals: DealsTable;
  assessments: AssessmentsTable;
}
