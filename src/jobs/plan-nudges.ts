import { daysBetween, nudgeFor } from '../coaching/follow-up.js';
import { enqueue, existingKeys, type PlannedMessage } from '../db/repositories/outbox.js';
import { getWorkspaceSettings, type UserSettings } from '../db/repositories/settings.js';
import { nudgeMessage } from '../slack/views/scheduled.js';
import { personFor, type JobDeps } from './job-deps.js';
import { atLocalTime, localTime } from './local-time.js';

const NUDGE_TIME = '09:00';
const BATCH = 500;

/**
 * Plans today's nudges: at 09:00 in each owner's time zone, every open deal quiet for the stall threshold (or a
 * let-go case left open a week) gets one DM per stall period. Muted people, snoozed people and snoozed deals are skipped.
 */
export async function planNudges(deps: JobDeps, now: Date): Promise<number> {
  const teams = await deps.db.selectFrom('deals').select('team_id').distinct().where('status', '=', 'open').execute();
  let planned = 0;
  for (const { team_id: teamId } of teams) {
    const workspace = await getWorkspaceSettings(deps.db, teamId);
    const users = new Map<string, UserSettings>();
    for (const u of await deps.db.selectFrom('user_settings').selectAll().where('team_id', '=', teamId).execute()) users.set(u.user_id, u);
    const deals = await deps.db
      .selectFrom('deals')
      .select(['id', 'owner_id', 'name', 'updated_at', 'last_case_code', 'last_assessment_id', 'last_assessed_at', 'snoozed_until'])
      .where('team_id', '=', teamId)
      .where('status', '=', 'open')
      .execute();

    // Each owner's texts and time zone, and today's 09:00 per time zone: worked out once, not once per deal.
    const people = new Map<string, ReturnType<typeof personFor>>();
    const nineByZone = new Map<string, Date>();
    const candidates: { key: string; build: () => PlannedMessage }[] = [];
    for (const deal of deals) {
      const owner = users.get(deal.owner_id);
      if (owner?.mute_nudges) continue;
      let person = people.get(deal.owner_id);
      if (!person) people.set(deal.owner_id, (person = personFor(deps.content, workspace, owner)));
      let nine = nineByZone.get(person.timeZone);
      if (!nine) nineByZone.set(person.timeZone, (nine = atLocalTime(now, person.timeZone, NUDGE_TIME)));
      if (now < nine) continue;
      if (owner?.snooze_until && owner.snooze_until >= localTime(now, person.timeZone).date) continue;
      if (deal.snoozed_until && deal.snoozed_until > now.toISOString()) continue;
      const lastAssessedAt = deal.last_assessed_at ? new Date(deal.last_assessed_at) : null;
      const kind = nudgeFor({ lastCase: deal.last_case_code, lastActivityAt: new Date(deal.updated_at), lastAssessedAt }, nine, workspace.stall_days);
      if (!kind) continue;
      // One nudge per stall period: the period is named by the activity (or assessment) it started from.
      const key = kind === 'giveup' ? `giveup:${deal.id}:${deal.last_assessment_id}` : `nudge:${deal.id}:${deal.updated_at}`;
      candidates.push({
        key,
        build: () => {
          const facts = person.c.coaching.follow_up_facts;
          const since = kind === 'giveup' ? lastAssessedAt! : new Date(deal.updated_at);
          const payload = nudgeMessage(person.c, { kind, dealId: deal.id, dealName: deal.name, lastCase: deal.last_case_code, days: daysBetween(since, now), fact: facts[deal.id % facts.length]! });
          return { teamId, key, kind: kind === 'giveup' ? 'giveup' : 'nudge', channel: deal.owner_id, payload };
        },
      });
    }
    // One transaction per workspace; messages are rendered and written a batch at a time to keep memory flat.
    planned += await deps.db.transaction().execute(async (trx) => {
      let added = 0;
      for (let i = 0; i < candidates.length; i += BATCH) {
        const batch = candidates.slice(i, i + BATCH);
        const known = await existingKeys(trx, batch.map((c) => c.key));
        added += await enqueue(trx, batch.filter((c) => !known.has(c.key)).map((c) => c.build()), now);
      }
      return added;
    });
  }
  return planned;
}
