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
  last_case_code: CaseCode | null;
  last_assessment_id: number | null;
  last_assessed_at: string | null;
  /** 1 when the latest assessment said it was too early to give up. */
  last_too_early: Generated<number>;
  /**
   * When the latest answer to "Time on this deal" counts from: when it was first given, in the latest run of
   * assessments giving it; or, for an offer that moved on and was accepted, when the deal entered that range.
   */
  time_on_deal_since: string | null;
  snoozed_until: string | null;
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

export interface WorkspaceSettingsTable {
  team_id: string;
  tip_channel_id: string | null;
  tip_channel_language: string | null;
  /** ISO weekday, 1 = Monday. */
  tip_weekday: Generated<number>;
  /** Local time, HH:MM. */
  tip_time: Generated<string>;
  timezone: Generated<string>;
  language: Generated<string>;
  stall_days: Generated<number>;
  digest_weekday: Generated<number>;
  digest_time: Generated<string>;
  /** When the tip channel was picked: set by saveWorkspaceSettings when tip_channel_id changes. */
  tip_channel_since: string | null;
  updated_at: string;
  updated_by: string | null;
}

export interface UserSettingsTable {
  team_id: string;
  user_id: string;
  language: string | null;
  slack_locale: string | null;
  timezone: string | null;
  is_admin: Generated<number>;
  /** A guest of the workspace, as Slack last said (null: not said yet): their team reads nothing. */
  is_guest: number | null;
  profile_refreshed_at: string | null;
  mute_nudges: Generated<number>;
  snooze_until: string | null;
  /** When Slack said the person was deactivated; null while they are in the workspace. */
  left_at: string | null;
  updated_at: string;
}

export interface CoachAdminsTable {
  team_id: string;
  user_id: string;
  added_by: string;
  created_at: string;
}

export interface TeamMembersTable {
  team_id: string;
  manager_id: string;
  report_id: string;
  created_at: string;
}

/** A report who left a manager's team themselves: only they can rejoin it. */
export interface TeamLeavesTable {
  team_id: string;
  manager_id: string;
  report_id: string;
  left_at: string;
}

export const OUTBOX_KINDS = ['tip', 'nudge', 'giveup', 'digest', 'notice'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxTable {
  id: Generated<number>;
  team_id: string;
  dedupe_key: string;
  kind: OutboxKind;
  /** A channel id, or a user id for a DM. */
  channel: string;
  /** JSON of { text, blocks }, rendered in the reader's language when planned. */
  payload: string;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_at: string | null;
  last_error: string | null;
  message_ts: string | null;
  created_at: string;
  sent_at: string | null;
  /** The deal a nudge is about: one closed or worked on before the nudge goes out is not nudged. */
  deal_id: number | null;
  /** 1 for a digest whose team changed while it waited: sent only if it turns out to be in Slack already. */
  stale: Generated<number>;
}

export interface JobLeasesTable {
  name: string;
  holder: string;
  expires_at: string;
}

/** The tables kysely knows; later migrations add theirs here. */
export interface Database {
  deals: DealsTable;
  assessments: AssessmentsTable;
  workspace_settings: WorkspaceSettingsTable;
  user_settings: UserSettingsTable;
  coach_admins: CoachAdminsTable;
  team_members: TeamMembersTable;
  team_leaves: TeamLeavesTable;
  outbox: OutboxTable;
  job_leases: JobLeasesTable;
}
