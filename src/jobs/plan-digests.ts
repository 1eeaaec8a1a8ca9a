import { setImmediate } from 'node:timers/promises';
import type { CaseCode } from '../coaching/cases.js';
import { closestToWin, isStalled, judgedLetGo, suggestionFor } from '../coaching/follow-up.js';
import { enqueue, type PlannedMessage } from '../db/repositories/outbox.js';
import { managerNotGuest } from '../db/repositories/teams.js';
import { getWorkspaceSettings, type WorkspaceSettings } from '../db/repositories/settings.js';
import { digestMessages, type DigestReport } from '../slack/views/scheduled.js';
import { personFor, type JobDeps } from './job-deps.js';
import { localDates, localTime, weeklySlotAt } from './local-time.js';

/** Managers' digests written per transaction: a few kilobytes each, so a batch stays a short step. */
const DIGEST_BATCH = 100;

/** A manager's team as the digest is built from it: its reports, and when its first was added. */
type Team = { teamId: string; managerId: string; reports: string[]; since: string };

type Link = { team_id: string; manager_id: string; report_id: string; created_at: string };

/** Teams by workspace and manager, from their team_members rows. */
function teamsOf(links: Link[]): Map<string, Team> {
  const teams = new Map<string, Team>();
  for (const l of links) {
    const key = `${l.team_id}:${l.manager_id}`;
    if (!teams.has(key)) teams.set(key, { teamId: l.team_id, managerId: l.manager_id, reports: [], since: l.created_at });
    const team = teams.get(key)!;
    team.reports.push(l.report_id);
    if (l.created_at < team.since) team.since = l.created_at;
  }
  return teams;
}

const sameMembers = (a: string[] = [], b: string[]) => a.length === b.length && new Set([...a, ...b]).size === a.length;

/**
 * Plans the weekly manager digests: once each manager's local digest slot has passed this ISO week, one DM with
 * each report's open deals by case, the case changes since the last digest, stalled deals, let-go candidates,
 * the deals closest to a win and a coaching suggestion from the team's case mix. A big team's digest takes several
 * messages: the first has the week's key, the others that key with their number, all written in one transaction.
 */
export async function planDigests(deps: JobDeps, now: Date): Promise<number> {
  const teams = teamsOf(await deps.db.selectFrom('team_members').select(['team_id', 'manager_id', 'report_id', 'created_at']).where(managerNotGuest).orderBy('report_id').execute());
  const digests: { parts: PlannedMessage[]; team: Team }[] = [];
  // Read once per workspace, not once per manager.
  const workspaces = new Map<string, WorkspaceSettings>();
  const dateOf = localDates();
  for (const team of teams.values()) {
    // Planning shares the thread that answers Slack: let waiting requests through between managers.
    await setImmediate();
    let workspace = workspaces.get(team.teamId);
    if (!workspace) workspaces.set(team.teamId, (workspace = await getWorkspaceSettings(deps.db, team.teamId)));
    const manager = await deps.db.selectFrom('user_settings').selectAll().where('team_id', '=', team.teamId).where('user_id', '=', team.managerId).executeTakeFirst();
    const person = personFor(deps.content, workspace, manager);
    const local = localTime(now, person.timeZone);
    const slot = weeklySlotAt(now, person.timeZone, workspace.digest_weekday, workspace.digest_time);
    if (now < slot) continue;
    // A team started after this week's slot (its first reports added mid-week) gets its first digest next week, not
    // at once with whoever was added first.
    if (Date.parse(team.since) > slot.getTime()) continue;
    const key = `digest:${team.teamId}:${team.managerId}:${local.week}`;
    if (await deps.db.selectFrom('outbox').select('id').where('dedupe_key', '=', key).executeTakeFirst()) continue;

    const last = await deps.db
      .selectFrom('outbox')
      .select('created_at')
      .where('team_id', '=', team.teamId)
      .where('kind', '=', 'digest')
      .where('channel', '=', team.managerId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const deals = await deps.db
      .selectFrom('deals')
      .select(['id', 'owner_id', 'name', 'updated_at', 'last_case_code', 'last_assessed_at', 'last_too_early'])
      .where('team_id', '=', team.teamId)
      .where('owner_id', 'in', team.reports)
      .where('status', '=', 'open')
      .orderBy('name')
      .execute();

    // The case each deal had at the last digest, looked up only for deals assessed since then.
    const previous = new Map<number, CaseCode>();
    if (last) {
      for (const d of deals.filter((d) => d.last_assessed_at && d.last_assessed_at > last.created_at)) {
        const before = await deps.db
          .selectFrom('assessments')
          .select('case_code')
          .where('deal_id', '=', d.id)
          .where('created_at', '<=', last.created_at)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (before) previous.set(d.id, before.case_code);
      }
    }

    const judged = deals.map((d) => ({ ...d, lastCase: d.last_case_code, tooEarly: d.last_too_early === 1 }));
    const reports: DigestReport[] = team.reports.map((userId) => {
      const own = judged.filter((d) => d.owner_id === userId);
      // By case, the deals told "too early to give up" after the others of their case, as the seller's list says.
      const groupOf = (d: (typeof own)[number]) => `${d.lastCase ?? 'Z'}${d.tooEarly ? 1 : 0}`;
      const groups = [...new Set(own.map(groupOf))].sort();
      return {
        userId,
        openCount: own.length,
        byCase: groups.map((group) => {
          const deals = own.filter((d) => groupOf(d) === group);
          return { caseCode: deals[0]!.lastCase, tooEarly: deals[0]!.tooEarly, deals: deals.map((d) => d.name) };
        }),
        changes: own.filter((d) => previous.has(d.id) && previous.get(d.id) !== d.lastCase).map((d) => ({ deal: d.name, from: previous.get(d.id)!, to: d.lastCase })),
        // Quiet days as the manager counts them, in their own time zone, like the deal lists they read.
        stalled: own.filter((d) => isStalled(dateOf(new Date(d.updated_at), person.timeZone), local.date, workspace.stall_days)).map((d) => d.name),
        // A deal the seller was told is too early to give up is not offered to the manager as one to let go.
        letGo: own.filter(judgedLetGo).map((d) => d.name),
        closest: closestToWin(own).map((d) => d.name),
      };
    });
    const suggestion = person.c.coaching.team_suggestions[suggestionFor(judged)];
    const parts = digestMessages(person.c, { reports, stallDays: workspace.stall_days, suggestion });
    digests.push({ team, parts: parts.map((payload, i) => ({ teamId: team.teamId, key: i === 0 ? key : `${key}:${i + 1}`, kind: 'digest', channel: team.managerId, payload })) });
  }
  // Recorded a batch at a time, each batch one transaction, letting requests through in between; the keys make a run
  // that stops halfway resume without a duplicate.
  let planned = 0;
  for (let i = 0; i < digests.length; i += DIGEST_BATCH) {
    planned += await deps.db.transaction().execute(async (trx) => {
      const batch = digests.slice(i, i + DIGEST_BATCH);
      // A team that changed while the digests were built (someone left or was removed) is planned at the next run,
      // from the team as it is then: withdrawDigests cannot reach a digest not written yet.
      const ids = (pick: (t: Team) => string) => [...new Set(batch.map((d) => pick(d.team)))];
      const current = teamsOf(
        await trx
          .selectFrom('team_members')
          .select(['team_id', 'manager_id', 'report_id', 'created_at'])
          .where('team_id', 'in', ids((t) => t.teamId))
          .where('manager_id', 'in', ids((t) => t.managerId))
          .where(managerNotGuest)
          .execute(),
      );
      const unchanged = batch.filter(({ team }) => sameMembers(current.get(`${team.teamId}:${team.managerId}`)?.reports, team.reports));
      return enqueue(trx, unchanged.flatMap((d) => d.parts), now);
    });
    await setImmediate();
  }
  return planned;
}
