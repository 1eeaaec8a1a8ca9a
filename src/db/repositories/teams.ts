import type { Db } from '../create-db.js';
import type { ExpressionBuilder, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import { withdrawDigests } from './outbox.js';
import { departedAmong, guestAt } from './settings.js';

/**
 * A team row whose manager Slack does not count as a guest. A guest's team reads nothing (no lists, no digests) but
 * is kept: it is back in force if Slack makes them a full member again.
 */
export const managerNotGuest = (eb: ExpressionBuilder<Database, 'team_members'>) => eb.not(guestAt('team_members.team_id', 'team_members.manager_id'));

/**
 * Adds reports to a manager's team: `added`, those who were not on it yet; `refused`, those who left it themselves
 * and so can only rejoin it (see joinTeams); `departed`, those Slack told the bot are deactivated.
 */
export async function addReports(db: Db, teamId: string, managerId: string, reportIds: string[], now: Date): Promise<{ added: string[]; refused: string[]; departed: string[] }> {
  // All or none: a failure part-way leaves the team as it was, and the manager's retry adds everyone.
  return db.transaction().execute(async (trx) => {
    const added: string[] = [];
    // Someone Slack told the bot is deactivated would be taken off again at once (see markLeft).
    const departed = await departedAmong(trx, teamId, reportIds);
    const left = await trx.selectFrom('team_leaves').select('report_id').where('team_id', '=', teamId).where('manager_id', '=', managerId).where('report_id', 'in', reportIds).execute();
    const refused = left.map((r) => r.report_id).filter((r) => !departed.includes(r));
    for (const reportId of reportIds.filter((r) => !refused.includes(r) && !departed.includes(r))) {
      const result = await trx
        .insertInto('team_members')
        .values({ team_id: teamId, manager_id: managerId, report_id: reportId, created_at: now.toISOString() })
        .onConflict((oc) => oc.columns(['team_id', 'manager_id', 'report_id']).doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) added.push(reportId);
    }
    return { added, refused, departed };
  });
}

/** A report's own leaving of these managers' teams, remembered so that only the report can undo it. */
export async function recordLeaves(trx: Transaction<Database>, teamId: string, reportId: string, managerIds: string[], now: Date): Promise<void> {
  if (managerIds.length === 0) return;
  const rows = managerIds.map((managerId) => ({ team_id: teamId, manager_id: managerId, report_id: reportId, left_at: now.toISOString() }));
  await trx.insertInto('team_leaves').values(rows).onConflict((oc) => oc.columns(['team_id', 'manager_id', 'report_id']).doUpdateSet({ left_at: now.toISOString() })).execute();
}

/** A report rejoins the teams they left of these managers; returns the managers whose team they are on again. */
export async function joinTeams(db: Db, teamId: string, reportId: string, managerIds: string[], now: Date): Promise<string[]> {
  if (managerIds.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const left = await trx.deleteFrom('team_leaves').where('team_id', '=', teamId).where('report_id', '=', reportId).where('manager_id', 'in', managerIds).returning('manager_id').execute();
    const back = left.map((r) => r.manager_id);
    if (back.length) {
      const rows = back.map((managerId) => ({ team_id: teamId, manager_id: managerId, report_id: reportId, created_at: now.toISOString() }));
      await trx.insertInto('team_members').values(rows).onConflict((oc) => oc.columns(['team_id', 'manager_id', 'report_id']).doNothing()).execute();
      await withdrawDigests(trx, teamId, back);
    }
    return back;
  });
}

/**
 * Takes these people off the manager's team; returns those who were on it. Here and below, a digest of the manager's
 * that is still waiting to go is planned again without them.
 */
export async function removeReports(db: Db, teamId: string, managerId: string, reportIds: string[]): Promise<string[]> {
  if (reportIds.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .deleteFrom('team_members')
      .where('team_id', '=', teamId)
      .where('manager_id', '=', managerId)
      .where('report_id', 'in', reportIds)
      .returning('report_id')
      .execute();
    if (rows.length) await withdrawDigests(trx, teamId, [managerId]);
    return rows.map((r) => r.report_id);
  });
}

/** A report leaves the teams of these managers, or of every manager when none is named; returns the managers left. In a transaction, with the digests. */
export async function leaveTeams(db: Transaction<Database>, teamId: string, reportId: string, managerIds: string[] = []): Promise<string[]> {
  let query = db.deleteFrom('team_members').where('team_id', '=', teamId).where('report_id', '=', reportId);
  if (managerIds.length) query = query.where('manager_id', 'in', managerIds);
  const left = (await query.returning('manager_id').execute()).map((r) => r.manager_id);
  await withdrawDigests(db, teamId, left);
  return left;
}

/** The managers who can read this person's deals. */
export async function managersOf(db: Db, teamId: string, reportId: string): Promise<string[]> {
  const rows = await db.selectFrom('team_members').select('manager_id').where('team_id', '=', teamId).where('report_id', '=', reportId).where(managerNotGuest).orderBy('created_at').execute();
  return rows.map((r) => r.manager_id);
}

export async function reportsOf(db: Db, teamId: string, managerId: string): Promise<string[]> {
  const rows = await db.selectFrom('team_members').select('report_id').where('team_id', '=', teamId).where('manager_id', '=', managerId).where(managerNotGuest).orderBy('created_at').execute();
  return rows.map((r) => r.report_id);
}

/** Whether the manager has a team that reads nothing while Slack counts them as a guest (see managerNotGuest). */
export async function hasPausedTeam(db: Db, teamId: string, managerId: string): Promise<boolean> {
  const row = await db.selectFrom('team_members').select('report_id').where('team_id', '=', teamId).where('manager_id', '=', managerId).where((eb) => eb.not(managerNotGuest(eb))).executeTakeFirst();
  return Boolean(row);
}

export async function isManagerOf(db: Db, teamId: string, managerId: string, reportId: string): Promise<boolean> {
  const row = await db.selectFrom('team_members').select('report_id').where('team_id', '=', teamId).where('manager_id', '=', managerId).where('report_id', '=', reportId).where(managerNotGuest).executeTakeFirst();
  return Boolean(row);
}

/**
 * Someone deactivated in Slack: off every team, as a report and as a manager, and remembered as gone so that they
 * are nudged no more. Returns the managers they reported to, to be told.
 */
export async function markLeft(trx: Transaction<Database>, teamId: string, userId: string, now: Date): Promise<string[]> {
  const managers = await leaveTeams(trx, teamId, userId);
  await trx.deleteFrom('team_members').where('team_id', '=', teamId).where('manager_id', '=', userId).execute();
  await withdrawDigests(trx, teamId, [userId]);
  // Only someone the bot knows has settings to mark: a stranger leaving is none of its business.
  await trx.updateTable('user_settings').set({ left_at: now.toISOString(), updated_at: now.toISOString() }).where('team_id', '=', teamId).where('user_id', '=', userId).execute();
  return managers;
}
