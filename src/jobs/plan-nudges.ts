import { setImmediate } from 'node:timers/promises';
import type { Selectable } from 'kysely';
import { LET_GO_CASES } from '../coaching/cases.js';
import { daysBetween, dueCutoffs, nudgeFor } from '../coaching/follow-up.js';
import { enqueue, existingKeys, type PlannedMessage } from '../db/repositories/outbox.js';
import { getWorkspaceSettings, type UserSettings, type WorkspaceSettings } from '../db/repositories/settings.js';
import type { DealsTable } from '../db/schema.js';
import { nudgeMessage } from '../slack/views/scheduled.js';
import { personFor, type JobDeps } from './job-deps.js';
import { atLocalTime, localDates } from './local-time.js';

const NUDGE_TIME = '09:00';
/** Deals that may be due read, and nudges written, per step; between steps the thread goes back to answering Slack. */
export const PLAN_PAGE = 300;

type OpenDeal = Pick<Selectable<DealsTable>, 'id' | 'owner_id' | 'name' | 'updated_at' | 'last_case_code' | 'last_assessment_id' | 'last_assessed_at' | 'last_too_early' | 'snoozed_until'>;
type Candidate = { key: string; build: () => PlannedMessage };

/** What a workspace's planning works out once: its settings, each owner's texts and zone, 09:00 per zone. */
interface Planning {
  deps: JobDeps;
  now: Date;
  teamId: string;
  workspace: WorkspaceSettings;
  people: Map<string, ReturnType<typeof personFor>>;
  nineByZone: Map<string, Date>;
  /** Calendar dates in a zone, as the owners there count days. */
  dateOf: (at: Date, timeZone: string) => string;
}

/**
 * Plans today's nudges: at 09:00 in each owner's time zone, every open deal quiet for the stall threshold (or a
 * let-go case left open a week) gets one DM per stall period. Muted people, snoozed people and snoozed deals are skipped.
 * Planning runs in the thread that answers Slack, so it works a page of deals at a time and yields in between: one
 * long pass over a big workspace would hold every request (and its 3-second trigger) behind it. Each page's
 * nudges are written in one transaction; their keys make a run that stops halfway resume without a duplicate.
 */
export async function planNudges(deps: JobDeps, now: Date): Promise<number> {
  let planned = 0;
  for (let teamId = await nextTeamWithOpenDeals(deps, ''); teamId !== undefined; teamId = await nextTeamWithOpenDeals(deps, teamId)) {
    const plan: Planning = { deps, now, teamId, workspace: await getWorkspaceSettings(deps.db, teamId), people: new Map(), nineByZone: new Map(), dateOf: localDates() };
    // Deals touched or assessed too recently to be due are left in the database: most of them on a repeat run.
    const cutoff = dueCutoffs(now, plan.workspace.stall_days);
    // Pages follow the open-deal index (team, owner, then id), so each one starts where the last ended.
    for (let after = { owner: '', id: 0 }; ; ) {
      const deals: OpenDeal[] = await deps.db
        .selectFrom('deals')
        .select(['id', 'owner_id', 'name', 'updated_at', 'last_case_code', 'last_assessment_id', 'last_assessed_at', 'last_too_early', 'snoozed_until'])
        .where('status', '=', 'open')
        .where('team_id', '=', teamId)
        .where((eb) => eb(eb.refTuple('owner_id', 'id'), '>', eb.tuple(after.owner, after.id)))
        .where((eb) =>
          eb.or([
            eb('updated_at', '<=', cutoff.activityBy.toISOString()),
            eb.and([eb('last_case_code', 'in', LET_GO_CASES), eb('last_assessed_at', '<=', cutoff.letGoAssessedBy.toISOString())]),
          ]),
        )
        .orderBy('owner_id')
        .orderBy('id')
        .limit(PLAN_PAGE)
        .execute();
      if (deals.length === 0) break;
      const lastDeal = deals[deals.length - 1]!;
      after = { owner: lastDeal.owner_id, id: lastDeal.id };
      // The settings of this page's owners only: a big workspace's people are never all in memory at once.
      const owners = [...new Set(deals.map((d) => d.owner_id))];
      const users = new Map<string, UserSettings>();
      for (const u of await deps.db.selectFrom('user_settings').selectAll().where('team_id', '=', teamId).where('user_id', 'in', owners).execute()) users.set(u.user_id, u);
      const candidates = deals.map((deal) => nudgeCandidate(plan, deal, users.get(deal.owner_id))).filter((c) => c !== null);
      // Only messages not planned before are rendered: a repeat run the same day writes nothing.
      planned += await deps.db.transaction().execute(async (trx) => {
        const known = await existingKeys(trx, candidates.map((c) => c.key));
        return enqueue(trx, candidates.filter((c) => !known.has(c.key)).map((c) => c.build()), now);
      });
      await setImmediate();
    }
  }
  return planned;
}

/** The next workspace, in id order, with an open deal: one index seek, where a DISTINCT would read the whole index. */
async function nextTeamWithOpenDeals(deps: JobDeps, after: string): Promise<string | undefined> {
  const row = await deps.db.selectFrom('deals').select('team_id').where('status', '=', 'open').where('team_id', '>', after).orderBy('team_id').limit(1).executeTakeFirst();
  return row?.team_id;
}

/** Muted, or deactivated in Slack: a DM to someone gone would only fail. */
export const nudgesOff = (owner: { mute_nudges: number | null; left_at: string | null } | undefined) => Boolean(owner?.mute_nudges || owner?.left_at);

/** "Snooze all nudges until" a day means nudges again that day, as a deal's "until" does: the seller back from leave. */
export const nudgesSnoozed = (owner: Pick<UserSettings, 'snooze_until'> | undefined, today: string) => Boolean(owner?.snooze_until && owner.snooze_until > today);

/** The nudge this deal is due today, if any: its key, and how to render it once it is known to be new. */
function nudgeCandidate(plan: Planning, deal: OpenDeal, owner: UserSettings | undefined): Candidate | null {
  const { deps, now, workspace } = plan;
  if (nudgesOff(owner)) return null;
  let person = plan.people.get(deal.owner_id);
  if (!person) plan.people.set(deal.owner_id, (person = personFor(deps.content, workspace, owner)));
  let nine = plan.nineByZone.get(person.timeZone);
  if (!nine) plan.nineByZone.set(person.timeZone, (nine = atLocalTime(now, person.timeZone, NUDGE_TIME)));
  if (now < nine) return null;
  // Days as the owner counts them: calendar dates in their time zone.
  const { timeZone } = person;
  const dayOf = (at: Date) => plan.dateOf(at, timeZone);
  const today = dayOf(nine);
  if (nudgesSnoozed(owner, today)) return null;
  // A deal snoozed until some day is nudged again at 09:00 that day, not at the hour the snooze was clicked.
  if (deal.snoozed_until && dayOf(new Date(deal.snoozed_until)) > today) return null;
  const lastAssessedOn = deal.last_assessed_at ? dayOf(new Date(deal.last_assessed_at)) : null;
  const lastActiveOn = dayOf(new Date(deal.updated_at));
  const kind = nudgeFor({ lastCase: deal.last_case_code, lastActiveOn, lastAssessedOn, tooEarly: deal.last_too_early === 1 }, today, workspace.stall_days);
  if (!kind) return null;
  // One nudge per stall period: the period is named by the activity (or assessment) it started from. A snooze of
  // the deal that ends after that start begins a new period, so "Snooze 7 days" asks again a week later.
  const from = kind === 'giveup' ? deal.last_assessed_at! : deal.updated_at;
  const snoozed = deal.snoozed_until && deal.snoozed_until > from ? `:snoozed:${deal.snoozed_until}` : '';
  const key = (kind === 'giveup' ? `giveup:${deal.id}:${deal.last_assessment_id}` : `nudge:${deal.id}:${deal.updated_at}`) + snoozed;
  const c = person.c;
  return {
    key,
    build: () => {
      const facts = c.coaching.follow_up_facts;
      const since = kind === 'giveup' ? lastAssessedOn! : lastActiveOn;
      // A nurture deal (B) is not to be pushed: its nudge says how to keep it warm. Others get a follow-up fact,
      // another each week, so that a deal quiet for months does not repeat the same one.
      const week = Math.floor(Date.parse(today) / (7 * 86_400_000));
      const fact = deal.last_case_code === 'B' ? c.messages.nudge.nurture : facts[(deal.id + week) % facts.length]!;
      const payload = nudgeMessage(c, { kind, dealId: deal.id, dealName: deal.name, lastCase: deal.last_case_code, days: daysBetween(since, today), fact });
      return { teamId: plan.teamId, key, kind: kind === 'giveup' ? 'giveup' : 'nudge', channel: deal.owner_id, payload, dealId: deal.id };
    },
  };
}
