import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/coaching/answers.js';
import { loadContent } from '../../src/content/load.js';
import { createDb, type Db } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { saveAssessment } from '../../src/db/repositories/assessments.js';
import { closeDeal } from '../../src/db/repositories/deals.js';
import { enqueue, withdrawDigests } from '../../src/db/repositories/outbox.js';
import { outdated } from '../../src/jobs/outdated.js';
import { leaveTeams } from '../../src/db/repositories/teams.js';
import { defaultWorkspaceSettings, saveWorkspaceSettings, updateUserSettings } from '../../src/db/repositories/settings.js';
import { FakeSlack } from '../../src/fake-slack/server.js';
import { noticeTipChannelProblem } from '../../src/jobs/admin-notices.js';
import { ROSTER_PER_RUN, checkRoster } from '../../src/jobs/check-roster.js';
import { localTime } from '../../src/jobs/local-time.js';
import { planDigests } from '../../src/jobs/plan-digests.js';
import { PLAN_PAGE, planNudges } from '../../src/jobs/plan-nudges.js';
import { planTips } from '../../src/jobs/plan-tips.js';
import { drainOutbox } from '../../src/jobs/sender.js';
import { WebClient } from '@slack/web-api';
import { sql } from 'kysely';
import { NO_NOTES, tempDbPath, testLogger } from '../support/local.js';

const content = loadContent();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = 'Europe/Berlin';
const D_CASE: Answers = { budget: 'none', authority: 'influencer', need: 'must_have', timing: 'this_quarter', relationship: 'some_sympathy', competitors: 'behind', time_on_deal: 'm3_6', tried_all: 'yes' };
const G_CASE: Answers = { ...D_CASE, relationship: 'trust', competitors: 'ahead' };
const A_CASE: Answers = { budget: 'none', authority: 'no_access', need: 'no_need', timing: 'no_timeline', relationship: 'unknown_to_them', competitors: 'behind', time_on_deal: 'over_6m', tried_all: 'yes' };

const silent = testLogger();

/** A fresh database and fake Slack for the jobs, and a drain of the outbox at a given time. */
async function jobsOnFakeSlack() {
  const db = createDb(tempDbPath());
  await migrateToLatest(db);
  const fake = new FakeSlack();
  await fake.start();
  const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  const drain = (now: Date) => drainOutbox({ db, client, now: () => now, logger: silent, stopping: () => false, stillLeader: async () => true }, { channelIntervalMs: 0, concurrency: 1, maxAttempts: 3, maxWaitMs: 0 });
  const stop = async () => {
    await db.destroy();
    await fake.stop();
  };
  return { db, fake, client, drain, stop };
}

/** Settings saved a week before: a slot that passed since is one the bot missed, and catches up. */
const weekBefore = (at: Date) => new Date(at.getTime() - 7 * 86_400_000);

/** A new deal of T1 with its first assessment. */
const addDeal = async (db: Db, owner: string, name: string, answers: Answers, when: Date) =>
  (await saveAssessment(db, { owner: { teamId: 'T1', userId: owner }, deal: { create: { name, customer: null, valueMinor: null, currency: null, closeDate: null } }, answers, notes: NO_NOTES, submissionKey: `${owner}-${name}-${when.toISOString()}`, now: when })).dealId;

describe('ten weeks of scheduled jobs on a fake clock', () => {
  it('posts one tip a week in order, nudges only stalled deals once per period, and digests the team, across DST and two restarts', async () => {
    const path = tempDbPath();
    const fake = new FakeSlack();
    await fake.start();
    const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    let db: Db = createDb(path);
    await migrateToLatest(db);

    // Monday 2026-09-28 00:00 UTC; Berlin leaves summer time on 2026-10-25, in week 5.
    const start = new Date('2026-09-28T00:00:00Z');
    let now = start;
    const at = (days: number, hours = 0) => new Date(start.getTime() + days * DAY + hours * HOUR);
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T1'), tip_channel_id: 'C_TIPS', tip_weekday: 1, tip_time: '09:00', timezone: ZONE, digest_weekday: 5, digest_time: '17:00', stall_days: 14 }, start);
    for (const u of ['U1', 'U2', 'U3', 'M1']) await updateUserSettings(db, 'T1', u, { timezone: ZONE, profile_refreshed_at: start.toISOString() }, start);
    await updateUserSettings(db, 'T1', 'U2', { mute_nudges: 1 }, start);
    // Snoozed until Monday 12 October: nudged again that morning.
    await updateUserSettings(db, 'T1', 'U3', { snooze_until: '2026-10-12' }, start);
    for (const report of ['U1', 'U2', 'U3']) await db.insertInto('team_members').values({ team_id: 'T1', manager_id: 'M1', report_id: report, created_at: start.toISOString() }).execute();

    const newDeal = (owner: string, name: string, answers: Answers, when: Date) => addDeal(db, owner, name, answers, when);
    const acme = await newDeal('U1', 'Acme', D_CASE, at(-20));
    await newDeal('U2', 'Muted Co', D_CASE, at(-20));
    await newDeal('U3', 'Snoozed Co', D_CASE, at(-20));
    await newDeal('U1', 'Fresh Co', G_CASE, at(-1));

    const events: { at: Date; key: string }[] = [];
    const step = async () => {
      await planTips({ db, content }, now);
      await planNudges({ db, content }, now);
      await planDigests({ db, content }, now);
      await drainOutbox({ db, client, now: () => now, logger: silent, stopping: () => false, stillLeader: async () => true }, { channelIntervalMs: 0, concurrency: 4, maxAttempts: 3, maxWaitMs: 0 });
    };

    for (let hour = 0; hour < 10 * 7 * 24; hour++) {
      now = at(0, hour);
      const before = new Set((await db.selectFrom('outbox').select('dedupe_key').execute()).map((r) => r.dedupe_key));
      if (hour === 3 * 7 * 24 + 10) {
        // Week 4, Monday 10:00 UTC: Acme is reassessed and moves D -> G, starting a new stall period.
        await saveAssessment(db, { owner: { teamId: 'T1', userId: 'U1' }, deal: { id: acme }, answers: G_CASE, notes: NO_NOTES, submissionKey: 'acme-reassess', now });
        await newDeal('U1', 'Hopeless', A_CASE, now);
        await newDeal('U1', 'Young Co', { ...A_CASE, time_on_deal: 'under_1m' }, now);
      }
      if (hour === 2 * 7 * 24 + 5 || hour === 6 * 7 * 24 + 100) {
        // Restart: a new connection to the same file, as after a process restart.
        await db.destroy();
        db = createDb(path);
        await migrateToLatest(db);
      }
      await step();
      for (const r of await db.selectFrom('outbox').select('dedupe_key').execute()) if (!before.has(r.dedupe_key)) events.push({ at: now, key: r.dedupe_key });
    }

    const rows = await db.selectFrom('outbox').selectAll().orderBy('id').execute();
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const delivered = fake.delivered.map((m) => m.metadata?.event_payload.key as string);
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(delivered.sort()).toEqual(rows.map((r) => r.dedupe_key).sort());

    // Tips: ten, one per ISO week, in series order, each at 09:00 Berlin time (07:00 UTC before DST ends, 08:00 after).
    const tips = events.filter((e) => e.key.startsWith('tip:'));
    expect(tips).toHaveLength(10);
    expect(new Set(tips.map((t) => t.key.split(':')[3])).size).toBe(10);
    for (const t of tips) expect(localTime(t.at, ZONE)).toMatchObject({ weekday: 1, time: '09:00' });
    expect(tips[0]!.at.toISOString()).toBe('2026-09-28T07:00:00.000Z');
    expect(tips[9]!.at.toISOString()).toBe('2026-11-30T08:00:00.000Z');
    const titles = Object.values(content.get('en').tips.tips).map((t) => t.title);
    const posted = rows.filter((r) => r.kind === 'tip').map((r) => JSON.parse(r.payload).text);
    expect(posted).toEqual(titles.slice(0, 10).map((t) => `Tip of the week: ${t}`));

    // Nudges. Acme was a D (drop) left open a week: it gets the "close it?" nudge at the first 09:00; after it is
    // reassessed as G on Monday 19 October (at noon in Berlin), the follow-up nudge comes at 09:00 on Monday
    // 2 November: 14 days later as its owner counts days, though a few hours short of 14 days by the clock. The
    // muted owner's deal never; the snoozed owner's only after the snooze; Hopeless (an A) on the Monday a week
    // after its assessment. Young Co, an A judged too early to give up, is never asked to close: it is followed up
    // once it goes quiet.
    const nudgeRows = rows.filter((r) => r.kind === 'nudge' || r.kind === 'giveup');
    const about = (name: string) => events.filter((e) => nudgeRows.some((r) => r.dedupe_key === e.key && JSON.parse(r.payload).text.includes(name)));
    expect(about('Muted Co')).toHaveLength(0);
    expect(about('Acme').map((e) => [e.key.split(':')[0], e.at.toISOString()])).toEqual([
      ['giveup', '2026-09-28T07:00:00.000Z'],
      ['nudge', '2026-11-02T08:00:00.000Z'],
    ]);
    expect(about('Snoozed Co').map((e) => localTime(e.at, ZONE))).toMatchObject([{ date: '2026-10-12', time: '09:00' }]);
    expect(about('Hopeless').map((e) => [e.key.split(':')[0], localTime(e.at, ZONE).date])).toEqual([['giveup', '2026-10-26']]);
    expect(about('Young Co').map((e) => [e.key.split(':')[0], localTime(e.at, ZONE).date])).toEqual([['nudge', '2026-11-02']]);
    expect(about('Fresh Co').map((e) => [e.key.split(':')[0], localTime(e.at, ZONE).date])).toEqual([['nudge', '2026-10-11']]);
    expect(JSON.parse(nudgeRows.find((r) => r.dedupe_key.startsWith('giveup:'))!.payload).text).toContain('still open');

    // Digests: one a week to the manager on Friday 17:00 Berlin; the one after the reassessment shows Acme: D -> G.
    const digests = rows.filter((r) => r.kind === 'digest');
    expect(digests).toHaveLength(10);
    expect(new Set(digests.map((d) => d.channel))).toEqual(new Set(['M1']));
    for (const d of events.filter((e) => e.key.startsWith('digest:'))) expect(localTime(d.at, ZONE)).toMatchObject({ weekday: 5, time: '17:00' });
    const texts = digests.map((d) => JSON.stringify(JSON.parse(d.payload).blocks));
    expect(texts.filter((t) => t.includes('Acme: D -> G'))).toHaveLength(1);
    expect(texts[3]).toContain('Acme: D -> G');
    expect(texts[0]).toContain('Give-up or drop candidates');
    expect(texts[0]).toContain('<@U2>');
    await db.destroy();
    await fake.stop();
  }, 120_000);
});

describe('snoozing a deal from its nudge', () => {
  it('asks again once the snooze is over, still once per period, for a quiet deal and for a let-go one', async () => {
    const { db, fake, drain, stop } = await jobsOnFakeSlack();
    const start = new Date('2026-11-02T00:00:00Z');
    const at = (days: number, hours = 0) => new Date(start.getTime() + days * DAY + hours * HOUR);
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T1'), timezone: 'UTC', stall_days: 14 }, start);
    await updateUserSettings(db, 'T1', 'U1', { timezone: 'UTC', profile_refreshed_at: start.toISOString() }, start);
    const newDeal = async (name: string, answers: Answers, when: Date) =>
      (await saveAssessment(db, { owner: { teamId: 'T1', userId: 'U1' }, deal: { create: { name, customer: null, valueMinor: null, currency: null, closeDate: null } }, answers, notes: NO_NOTES, submissionKey: name, now: when })).dealId;
    const quiet = await newDeal('Quiet Co', G_CASE, at(-20));
    const letGo = await newDeal('Let Go Co', D_CASE, at(-8));
    // A nurture deal (B) quiet as long: its nudge says how to keep it warm, not to push.
    await newDeal('Warm Co', { ...A_CASE, relationship: 'trust', competitors: 'even' }, at(-20));

    const nudged: Record<string, string[]> = { 'Quiet Co': [], 'Let Go Co': [], 'Warm Co': [] };
    for (let hour = 0; hour < 30 * 24; hour++) {
      const now = at(0, hour);
      if (hour === 22) {
        // The owner clicks "Snooze 7 days" on both nudges at 22:00 on the first day.
        await db.updateTable('deals').set({ snoozed_until: at(7, 22).toISOString() }).where('id', 'in', [quiet, letGo]).execute();
      }
      const sentBefore = fake.delivered.length;
      await planNudges({ db, content }, now);
      await drain(now);
      for (const m of fake.delivered.slice(sentBefore)) for (const name of Object.keys(nudged)) if (m.text.includes(name)) nudged[name]!.push(now.toISOString());
    }
    // The first 09:00, then 09:00 on the day the snooze ends (not the hour it was clicked), and no more in that quiet spell.
    expect(nudged).toEqual({
      'Quiet Co': ['2026-11-02T09:00:00.000Z', '2026-11-09T09:00:00.000Z'],
      'Let Go Co': ['2026-11-02T09:00:00.000Z', '2026-11-09T09:00:00.000Z'],
      'Warm Co': ['2026-11-02T09:00:00.000Z'],
    });
    const nudgesAbout = (name: string) => fake.callsTo('chat.postMessage').map((c) => JSON.stringify(c.args.blocks)).filter((b) => b.includes(name));
    const facts = content.get('en').coaching.follow_up_facts;
    // The second nudge about the quiet deal, a week later, brings another fact than the first.
    const factOf = (nudge: string) => facts.findIndex((f) => nudge.includes(JSON.stringify(f).slice(1, -1)));
    const [first, second] = nudgesAbout('Quiet Co').map(factOf);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThanOrEqual(0);
    expect(second).not.toBe(first);
    expect(nudgesAbout('Warm Co')[0]).toContain('Case B is one to nurture, not to push');
    expect(facts.some((f) => nudgesAbout('Warm Co')[0]!.includes(f))).toBe(false);
    await stop();
  }, 60_000);
});

describe('a nudge that Slack holds up', () => {
  it('is not sent once its deal has been closed or assessed again', async () => {
    const { db, fake, drain, stop } = await jobsOnFakeSlack();
    const start = new Date('2026-11-02T00:00:00Z');
    const at = (hours: number) => new Date(start.getTime() + hours * HOUR);
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T1'), timezone: 'UTC', stall_days: 14 }, start);
    await updateUserSettings(db, 'T1', 'U1', { timezone: 'UTC', profile_refreshed_at: start.toISOString() }, start);
    const assess = async (name: string, when: Date) =>
      (await saveAssessment(db, { owner: { teamId: 'T1', userId: 'U1' }, deal: { create: { name, customer: null, valueMinor: null, currency: null, closeDate: null } }, answers: G_CASE, notes: NO_NOTES, submissionKey: `${name}-${when.toISOString()}`, now: when })).dealId;
    const closed = await assess('Closed Co', new Date(start.getTime() - 20 * DAY));
    const reassessed = await assess('Reassessed Co', new Date(start.getTime() - 20 * DAY));
    await assess('Still Quiet Co', new Date(start.getTime() - 20 * DAY));

    // 09:00: the three nudges are planned, and Slack is down: each post fails, so it is looked for before the next.
    fake.fail('chat.postMessage', { status: 503, times: 3 });
    await planNudges({ db, content }, at(9));
    await drain(at(9));
    expect(fake.delivered).toHaveLength(0);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(3);
    // Meanwhile the owner closes one deal and assesses another again.
    await closeDeal(db, closed, 'won', null, at(10));
    await saveAssessment(db, { owner: { teamId: 'T1', userId: 'U1' }, deal: { id: reassessed }, answers: G_CASE, notes: NO_NOTES, submissionKey: 'again', now: at(10) });

    await drain(at(11));
    expect(fake.callsTo('conversations.history')).toHaveLength(3);
    expect(fake.delivered.map((m) => m.text)).toEqual([expect.stringContaining('Still Quiet Co')]);
    expect((await db.selectFrom('outbox').select('deal_id').execute()).map((r) => r.deal_id)).not.toContain(closed);
    expect((await db.selectFrom('outbox').select('deal_id').execute()).map((r) => r.deal_id)).not.toContain(reassessed);
    await stop();
  });

  it('is not sent once its owner has muted or snoozed nudges, and is sent to someone whose profile merely changed', async () => {
    const { db, fake, drain, stop } = await jobsOnFakeSlack();
    const start = new Date('2026-11-02T00:00:00Z');
    const at = (hours: number) => new Date(start.getTime() + hours * HOUR);
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T1'), timezone: 'UTC', stall_days: 14 }, start);
    const owners = { U_MUTES: 'UTC', U_SNOOZES: 'UTC', U_BACK: 'Pacific/Auckland', U_MOVES: 'UTC' };
    for (const [owner, timezone] of Object.entries(owners)) {
      await updateUserSettings(db, 'T1', owner, { timezone, profile_refreshed_at: start.toISOString() }, start);
      await saveAssessment(db, { owner: { teamId: 'T1', userId: owner }, deal: { create: { name: `${owner} Co`, customer: null, valueMinor: null, currency: null, closeDate: null } }, answers: G_CASE, notes: NO_NOTES, submissionKey: owner, now: new Date(start.getTime() - 20 * DAY) });
    }
    fake.fail('chat.postMessage', { status: 503, times: 4 });
    await planNudges({ db, content }, at(9));
    await drain(at(9));
    expect(fake.delivered).toHaveLength(0);
    // While Slack is down: one seller mutes nudges, one snoozes them for a week, one in Auckland snoozes them until
    // 3 November (already today there when the nudge goes, on 2 November in UTC), and Slack says the last one moved.
    await updateUserSettings(db, 'T1', 'U_MUTES', { mute_nudges: 1 }, at(10));
    await updateUserSettings(db, 'T1', 'U_SNOOZES', { snooze_until: '2026-11-09' }, at(10));
    await updateUserSettings(db, 'T1', 'U_BACK', { snooze_until: '2026-11-03' }, at(10));
    await updateUserSettings(db, 'T1', 'U_MOVES', { timezone: 'Asia/Tokyo', profile_refreshed_at: at(10).toISOString() }, at(10));

    await drain(at(11));
    expect(fake.delivered.map((m) => m.channel).sort()).toEqual(['D_BACK', 'D_MOVES']);
    expect((await db.selectFrom('outbox').select('channel').orderBy('channel').execute()).map((r) => r.channel)).toEqual(['U_BACK', 'U_MOVES']);
    await stop();
  });
});

describe('a tip channel the bot is not in', () => {
  it('marks the tip failed with the reason, tells the admins once, not every minute, and posts that tip the next week once invited', async () => {
    const { db, fake, client, stop } = await jobsOnFakeSlack();
    fake.notInChannel.add('C_TIPS');
    const start = new Date('2026-11-23T10:00:00Z');
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T1'), tip_channel_id: 'C_TIPS', updated_by: 'U_ADMIN' }, weekBefore(start));
    await db.insertInto('coach_admins').values({ team_id: 'T1', user_id: 'U_COACH', added_by: 'U_ADMIN', created_at: start.toISOString() }).execute();
    const minutes = async (from: Date, count: number) => {
      for (let minute = 0; minute < count; minute++) {
        const now = new Date(from.getTime() + minute * 60_000);
        await planTips({ db, content }, now);
        await drainOutbox(
          { db, client, now: () => now, logger: silent, stopping: () => false, stillLeader: async () => true, onPermanentFailure: (row, reason) => noticeTipChannelProblem({ db, content }, row, reason, now) },
          { channelIntervalMs: 0, concurrency: 2, maxAttempts: 3, maxWaitMs: 0 },
        );
      }
    };
    await minutes(start, 30);
    const tipRows = async () => (await db.selectFrom('outbox').selectAll().where('kind', '=', 'tip').orderBy('id').execute()).map((r) => [r.status, r.last_error]);
    expect(await tipRows()).toEqual([['failed', 'not_in_channel']]);
    const notices = fake.delivered.filter((m) => m.text.includes('<#C_TIPS>'));
    expect(notices.map((m) => m.channel).sort()).toEqual(['D_ADMIN', 'D_COACH']);
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C_TIPS')).toHaveLength(1);

    // An admin invites the bot: the next week's slot brings the tip the channel missed, the first of the series.
    fake.notInChannel.delete('C_TIPS');
    await minutes(new Date(start.getTime() + 7 * DAY), 5);
    expect(await tipRows()).toEqual([['failed', 'not_in_channel'], ['sent', null]]);
    const [first] = Object.values(content.get('en').tips.tips);
    expect(fake.delivered.filter((m) => m.channel === 'C_TIPS').map((m) => m.text)).toEqual([expect.stringContaining(first!.title)]);
    await stop();
  });
});

describe('a tip channel that is archived or that Slack cannot find', () => {
  it.each([
    ['is_archived', "I could not post this week's tip in <#C_TIPS>: that channel is archived or no longer exists. Pick another tip channel in `/deal settings`."],
    ['channel_not_found', "I could not post this week's tip in <#C_TIPS>: Slack cannot find that channel for me. If it is private, invite me with `/invite @Deal Coach` and it gets this tip at next week's slot; if it was deleted, pick another tip channel in `/deal settings`."],
  ])('on %s tells the admins what to do, and the channel gets the refused tip at the next slot it takes', async (error, told) => {
    const { db, fake, client, stop } = await jobsOnFakeSlack();
    const start = new Date('2026-11-23T10:00:00Z');
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T1'), tip_channel_id: 'C_TIPS', updated_by: 'U_ADMIN' }, weekBefore(start));
    const week = async (now: Date) => {
      await planTips({ db, content }, now);
      await drainOutbox(
        { db, client, now: () => now, logger: silent, stopping: () => false, stillLeader: async () => true, onPermanentFailure: (row, reason) => noticeTipChannelProblem({ db, content }, row, reason, now) },
        { channelIntervalMs: 0, concurrency: 1, maxAttempts: 3, maxWaitMs: 0 },
      );
      await drainOutbox({ db, client, now: () => now, logger: silent, stopping: () => false, stillLeader: async () => true }, { channelIntervalMs: 0, concurrency: 1, maxAttempts: 3, maxWaitMs: 0 });
    };
    fake.fail('chat.postMessage', { error, times: 1 });
    await week(start);
    expect(fake.delivered.filter((m) => m.channel === 'D_ADMIN').map((m) => m.text)).toEqual([told]);

    await week(new Date(start.getTime() + 7 * DAY));
    await week(new Date(start.getTime() + 14 * DAY));
    const tips = Object.values(content.get('en').tips.tips);
    expect(fake.delivered.filter((m) => m.channel === 'C_TIPS').map((m) => m.text)).toEqual([expect.stringContaining(tips[0]!.title), expect.stringContaining(tips[1]!.title)]);
    await stop();
  });
});

describe('the digest of a big team', () => {
  it('goes out as several DMs in order, planned together once a week, none refused for size', async () => {
    const { db, fake, drain, stop } = await jobsOnFakeSlack();
    const friday = new Date('2026-11-27T18:00:00Z');
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T1'), timezone: 'UTC', digest_weekday: 5, digest_time: '17:00' }, friday);
    const old = new Date(friday.getTime() - 30 * DAY).toISOString();
    const reports = Array.from({ length: 15 }, (_, i) => `U${String(i).padStart(2, '0')}`);
    for (const report of reports) {
      await db.insertInto('team_members').values({ team_id: 'T1', manager_id: 'M1', report_id: report, created_at: old }).execute();
      const deals = Array.from({ length: 40 }, (_, d) => {
        const name = `${report} prospect number ${d} with a long company name`;
        return { team_id: 'T1', owner_id: report, name, name_key: name.toLowerCase(), status: 'open' as const, last_case_code: 'ABCDEFGH'[d % 8] as 'A', created_at: old, updated_at: old };
      });
      await db.insertInto('deals').values(deals).execute();
    }
    const run = async () => {
      const planned = await planDigests({ db, content }, friday);
      await drain(friday);
      return planned;
    };
    expect(await run()).toBeGreaterThan(1);
    expect(await run()).toBe(0);
    const rows = await db.selectFrom('outbox').select(['dedupe_key', 'status']).orderBy('id').execute();
    const key = 'digest:T1:M1:2026-W48';
    expect(rows.map((r) => r.dedupe_key)).toEqual([key, ...rows.slice(1).map((_, i) => `${key}:${i + 2}`)]);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const sent = fake.delivered.filter((m) => m.channel === 'DM1' || m.channel === 'M1');
    expect(sent.map((m) => m.metadata?.event_payload.key)).toEqual(rows.map((r) => r.dedupe_key));
    const text = fake.callsTo('chat.postMessage').map((call) => JSON.stringify(call.args.blocks)).join('');
    for (const report of reports) expect(text).toContain(`*<@${report}>*`);
    await stop();
  });
});

describe('stalled deals in the digest', () => {
  it('counts quiet days by the calendar in the manager\'s time zone', async () => {
    const { db, fake, drain, stop } = await jobsOnFakeSlack();
    // Friday 2026-11-27 17:00 in Berlin; the manager reads the digest there.
    const friday = new Date('2026-11-27T16:00:00Z');
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T1'), timezone: 'UTC', digest_weekday: 5, digest_time: '17:00', stall_days: 14 }, friday);
    await updateUserSettings(db, 'T1', 'M1', { timezone: ZONE, profile_refreshed_at: friday.toISOString() }, friday);
    await db.insertInto('team_members').values({ team_id: 'T1', manager_id: 'M1', report_id: 'U1', created_at: friday.toISOString() }).execute();
    // Touched at 20:00 on Friday two weeks before: 14 days ago by the calendar, 13 days and 21 hours by the clock.
    // And one touched at 00:30 on the Saturday after in Berlin, still Friday in UTC: 13 days ago for the manager.
    const deal = (name: string, at: string) => ({ team_id: 'T1', owner_id: 'U1', name, name_key: name.toLowerCase(), status: 'open' as const, created_at: at, updated_at: at });
    await db.insertInto('deals').values([deal('Two Weeks Co', '2026-11-13T19:00:00Z'), deal('Past Midnight Co', '2026-11-13T23:30:00Z')]).execute();
    expect(await planDigests({ db, content }, friday)).toBe(1);
    await drain(friday);
    const lines = (fake.callsTo('chat.postMessage')[0]!.args.blocks as { text?: { text: string } }[]).flatMap((b) => (b.text?.text ?? '').split('\n'));
    const stalled = lines.find((line) => line.startsWith('*Quiet for 14 days or more:*'));
    expect(stalled).toContain('Two Weeks Co');
    expect(stalled).not.toContain('Past Midnight Co');
    await stop();
  });
});

describe('let-go candidates in the digest', () => {
  for (const [held, fault] of [
    ['refused for now (429)', { status: 429, retryAfter: 60, times: 1 }],
    ['unanswered (a 500: it may be in Slack)', { status: 500, times: 1 }],
  ] as const) it(`${held}, is planned again without a report who left the team meanwhile, or their deals`, async () => {
    const { db, fake, drain, stop } = await jobsOnFakeSlack();
    const friday = new Date('2026-11-27T17:00:00Z');
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T1'), timezone: 'UTC', digest_weekday: 5, digest_time: '17:00' }, friday);
    for (const report of ['U1', 'U2']) await db.insertInto('team_members').values({ team_id: 'T1', manager_id: 'M1', report_id: report, created_at: friday.toISOString() }).execute();
    await addDeal(db, 'U1', 'Staying Co', D_CASE, new Date('2026-11-20T10:00:00Z'));
    await addDeal(db, 'U2', 'Leaving Co', D_CASE, new Date('2026-11-20T10:00:00Z'));
    expect(await planDigests({ db, content }, friday)).toBe(1);
    // Slack holds the digest up; meanwhile U2 leaves M1's team.
    fake.fail('chat.postMessage', fault);
    await drain(friday);
    expect(fake.delivered).toEqual([]);
    await db.transaction().execute((trx) => leaveTeams(trx, 'T1', 'U2'));
    // The held digest is not sent as it was: withdrawn at once, or once it is found not to be in Slack.
    const later = new Date(friday.getTime() + 2 * HOUR);
    await drain(later);
    expect(fake.delivered).toEqual([]);
    expect(await planDigests({ db, content }, later)).toBe(1);
    await drain(later);
    expect(fake.delivered).toHaveLength(1);
    expect(fake.delivered[0]!.text + JSON.stringify(fake.callsTo('chat.postMessage').at(-1)!.args.blocks)).toContain('Staying Co');
    expect(JSON.stringify(fake.callsTo('chat.postMessage').at(-1)!.args.blocks)).not.toContain('Leaving Co');
    await stop();
  });

  it('leaves out a let-go deal its owner was told is too early to give up, as the nudges do, and lists it as such', async () => {
    const { db, fake, drain, stop } = await jobsOnFakeSlack();
    const friday = new Date('2026-11-27T17:00:00Z');
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T1'), timezone: 'UTC', digest_weekday: 5, digest_time: '17:00' }, friday);
    await db.insertInto('team_members').values({ team_id: 'T1', manager_id: 'M1', report_id: 'U1', created_at: friday.toISOString() }).execute();
    await addDeal(db, 'U1', 'Judged Co', D_CASE, new Date('2026-11-20T10:00:00Z'));
    await addDeal(db, 'U1', 'Young Co', { ...D_CASE, time_on_deal: 'under_1m' }, new Date('2026-11-20T10:00:00Z'));
    expect(await planDigests({ db, content }, friday)).toBe(1);
    await drain(friday);
    const lines = (fake.callsTo('chat.postMessage')[0]!.args.blocks as { text?: { text: string } }[]).flatMap((b) => (b.text?.text ?? '').split('\n'));
    const letGo = lines.filter((line) => line.startsWith('*Give-up or drop candidates:*'));
    expect(letGo).toHaveLength(1);
    expect(letGo[0]).toContain('Judged Co');
    expect(letGo[0]).not.toContain('Young Co');
    // By case, it is listed as the seller's own list shows it.
    expect(lines.filter((line) => line.startsWith('Case D '))).toEqual(['Case D · Drop: Judged Co', 'Case D · Too early to give up: Young Co']);
    await stop();
  });
});

describe('the weekly roster check', () => {
  it('finds someone deactivated while the bot was not told, takes them off their teams and tells their managers', async () => {
    const { db, fake, client, stop } = await jobsOnFakeSlack();
    const start = new Date('2026-11-23T10:00:00Z');
    for (const report of ['U1', 'U2']) await db.insertInto('team_members').values({ team_id: 'T1', manager_id: 'M1', report_id: report, created_at: start.toISOString() }).execute();
    fake.users.set('U1', { id: 'U1', tz: 'Asia/Bangkok' });
    fake.users.set('U2', { id: 'U2', deleted: true });
    fake.users.set('M1', { id: 'M1' });
    const deps = { db, content, client, logger: silent };
    // U2 still has an open deal: someone gone is not read again for it (below), until Slack says they are back.
    await addDeal(db, 'U2', 'Gone Co', D_CASE, start);

    expect(await checkRoster(deps, start)).toBe(1);
    expect(fake.callsTo('users.info').map((c) => c.args.user).sort()).toEqual(['M1', 'U1', 'U2']);
    expect(await db.selectFrom('team_members').select('report_id').execute()).toEqual([{ report_id: 'U1' }]);
    expect(await db.selectFrom('outbox').select(['kind', 'channel']).execute()).toEqual([{ kind: 'notice', channel: 'M1' }]);
    expect((await db.selectFrom('user_settings').select('timezone').where('user_id', '=', 'U1').executeTakeFirstOrThrow()).timezone).toBe('Asia/Bangkok');

    // Read again only a week later, and a few at a time.
    fake.clear();
    expect(await checkRoster(deps, new Date(start.getTime() + 6 * DAY))).toBe(0);
    expect(fake.callsTo('users.info')).toHaveLength(0);
    for (let i = 0; i < 12; i++) await db.insertInto('team_members').values({ team_id: 'T1', manager_id: 'M1', report_id: `UX${i}`, created_at: start.toISOString() }).execute();
    await checkRoster(deps, new Date(start.getTime() + 6 * DAY));
    expect(fake.callsTo('users.info')).toHaveLength(ROSTER_PER_RUN);
    // Slack not answering leaves the rest for the next run; a refusal about one person does not hold up the others.
    fake.clear();
    fake.fail('users.info', { status: 500, times: 1 });
    expect(await checkRoster(deps, new Date(start.getTime() + 6 * DAY))).toBe(0);
    expect(fake.callsTo('users.info')).toHaveLength(1);
    fake.clear();
    fake.fail('users.info', { error: 'user_not_visible', times: 1 });
    await checkRoster(deps, new Date(start.getTime() + 6 * DAY));
    expect(fake.callsTo('users.info')).toHaveLength(ROSTER_PER_RUN);
    // A week on, everyone is read again; a seller on no team, with an open deal, too.
    await db.deleteFrom('team_members').where('report_id', 'like', 'UX%').execute();
    await addDeal(db, 'U_SOLO', 'Solo Co', D_CASE, start);
    fake.clear();
    await checkRoster(deps, new Date(start.getTime() + 8 * DAY));
    expect(fake.callsTo('users.info').map((c) => c.args.user).sort()).toEqual(['M1', 'U1', 'U_SOLO']);
    await stop();
  });

  it('reads someone again at the next run, not in a week, when their departure could not be recorded', async () => {
    const { db, fake, client, stop } = await jobsOnFakeSlack();
    const start = new Date('2026-11-23T10:00:00Z');
    await db.insertInto('team_members').values({ team_id: 'T1', manager_id: 'M1', report_id: 'U2', created_at: start.toISOString() }).execute();
    fake.users.set('M1', { id: 'M1' });
    fake.users.set('U2', { id: 'U2', deleted: true });
    const deps = { db, content, client, logger: silent };
    // The departure's transaction fails (its notice cannot be written): nothing of it is kept, and the run says so.
    await sql`create trigger no_notices before insert on outbox begin select raise(abort, 'outbox unavailable'); end`.execute(db);
    await expect(checkRoster(deps, start)).rejects.toThrow('outbox unavailable');
    expect(await db.selectFrom('team_members').select('report_id').execute()).toEqual([{ report_id: 'U2' }]);
    await sql`drop trigger no_notices`.execute(db);
    fake.clear();
    expect(await checkRoster(deps, new Date(start.getTime() + 60_000))).toBe(1);
    expect(fake.callsTo('users.info').map((c) => c.args.user)).toContain('U2');
    expect(await db.selectFrom('team_members').select('report_id').execute()).toEqual([]);
    await stop();
  });
});

describe('a slot that passed before the settings or the team existed', () => {
  it('waits for next week, while one missed by a bot that was down is caught up', async () => {
    const db = createDb(tempDbPath());
    await migrateToLatest(db);
    // A channel that has had tips, the bot down over Monday's slot: the tip goes out on Tuesday, that week, even if
    // an admin saved the settings (say, their own snooze) in between.
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T2'), tip_channel_id: 'C_OLD' }, new Date('2026-11-02T10:00:00Z'));
    expect(await planTips({ db, content }, new Date('2026-11-16T09:00:00Z'))).toBe(1);
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T2'), tip_channel_id: 'C_OLD' }, new Date('2026-11-24T14:00:00Z'));
    expect(await planTips({ db, content }, new Date('2026-11-24T15:00:00Z'))).toBe(1);
    // Moved to another channel on Wednesday, then back: neither gets a second tip that week.
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T2'), tip_channel_id: 'C_OTHER' }, new Date('2026-11-25T10:00:00Z'));
    expect(await planTips({ db, content }, new Date('2026-11-25T10:01:00Z'))).toBe(0);
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T2'), tip_channel_id: 'C_OLD' }, new Date('2026-11-25T11:00:00Z'));
    expect(await planTips({ db, content }, new Date('2026-11-25T11:01:00Z'))).toBe(0);
    // A tip channel first picked on Thursday 26 November, after Monday's 09:00 slot: the first tip is Monday's.
    const thursday = new Date('2026-11-26T10:00:00Z');
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T1'), tip_channel_id: 'C_NEW' }, thursday);
    expect(await planTips({ db, content }, new Date('2026-11-26T10:01:00Z'))).toBe(0);
    // Monday: C_NEW's first tip, beside C_OLD's weekly one.
    expect(await planTips({ db, content }, new Date('2026-11-30T09:00:00Z'))).toBe(2);

    // A manager's first reports added on Wednesday, after Monday's 08:00 digest: the first digest is next Monday's.
    const wednesday = new Date('2026-11-25T10:00:00Z');
    await db.insertInto('team_members').values({ team_id: 'T1', manager_id: 'M1', report_id: 'U1', created_at: wednesday.toISOString() }).execute();
    expect(await planDigests({ db, content }, new Date('2026-11-25T10:01:00Z'))).toBe(0);
    expect(await planDigests({ db, content }, new Date('2026-11-30T08:00:00Z'))).toBe(1);
    await db.destroy();
  });
});

describe('the language of the weekly tip', () => {
  it('uses the workspace language, unless the tip channel has its own', async () => {
    const db = createDb(tempDbPath());
    await migrateToLatest(db);
    const monday = new Date('2026-11-23T10:00:00Z');
    const header = (locale: string) => content.get(locale).messages.tip.header.split('{')[0]!;
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T1'), tip_channel_id: 'C_VI', language: 'vi' }, weekBefore(monday));
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T2'), tip_channel_id: 'C_ZH', language: 'vi', tip_channel_language: 'zh-CN' }, weekBefore(monday));
    expect(await planTips({ db, content }, monday)).toBe(2);
    const rows = await db.selectFrom('outbox').select(['channel', 'payload']).orderBy('channel').execute();
    expect(JSON.parse(rows[0]!.payload).text.startsWith(header('vi'))).toBe(true);
    expect(JSON.parse(rows[1]!.payload).text.startsWith(header('zh-CN'))).toBe(true);
    expect(header('vi')).not.toBe(header('zh-CN'));
    await db.destroy();
  });
});

describe('planning in the thread that answers Slack', () => {
  it('plans a big workspace a page at a time, letting other work run in between, and misses no deal in any workspace', async () => {
    const db = createDb(tempDbPath());
    await migrateToLatest(db);
    const now = new Date('2026-11-23T10:00:00Z');
    const quiet = new Date(now.getTime() - 30 * DAY).toISOString();
    // Two and a half pages of deals, quiet for a month, spread over several owners.
    const deal = (team_id: string, i: number, updated_at = quiet, status: 'open' | 'won' = 'open') => ({ team_id, owner_id: `U${i % 7}`, name: `Deal ${i}`, name_key: `deal ${i}`, status, created_at: quiet, updated_at });
    const deals = [
      ...Array.from({ length: PLAN_PAGE * 2.5 }, (_, i) => deal('T1', i)),
      // Two more workspaces on either side of it, deals touched yesterday (not due), and a workspace with only a closed deal.
      ...[0, 1].map((i) => deal('T0', i)),
      ...[0, 1, 2].map((i) => deal('T2', i)),
      ...[0, 1, 2, 3, 4].map((i) => deal('T1', 10_000 + i, new Date(now.getTime() - DAY).toISOString())),
      deal('T3', 0, quiet, 'won'),
    ];
    for (let i = 0; i < deals.length; i += 100) await db.insertInto('deals').values(deals.slice(i, i + 100)).execute();

    // Something else waiting for the thread, as a Slack request would: it gets a turn after every page.
    let turns = 0;
    let planning = true;
    const waiting = () => setImmediate(() => planning && (turns++, waiting()));
    waiting();
    const planned = await planNudges({ db, content }, now);
    planning = false;
    expect(planned).toBe(PLAN_PAGE * 2.5 + 5);
    const byTeam = await db.selectFrom('outbox').select(['team_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('team_id').orderBy('team_id').execute();
    expect(byTeam).toEqual([{ team_id: 'T0', n: 2 }, { team_id: 'T1', n: PLAN_PAGE * 2.5 }, { team_id: 'T2', n: 3 }]);
    expect(turns).toBeGreaterThanOrEqual(2);
    await db.destroy();
  });
});

describe('a team change while a digest is on its way', () => {
  it('leaves out of this run a digest built before the change, and plans it from the team as it is next run', async () => {
    const { db, stop } = await jobsOnFakeSlack();
    const friday = new Date('2026-11-27T17:00:00Z');
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T1'), timezone: 'UTC', digest_weekday: 5, digest_time: '17:00' }, friday);
    const before = new Date(friday.getTime() - 7 * DAY).toISOString();
    for (const [manager, report] of [['M1', 'U1'], ['M1', 'U2'], ['M2', 'U3']]) await db.insertInto('team_members').values({ team_id: 'T1', manager_id: manager!, report_id: report!, created_at: before }).execute();
    await addDeal(db, 'U1', 'Staying Co', D_CASE, new Date('2026-11-20T10:00:00Z'));
    await addDeal(db, 'U2', 'Leaving Co', D_CASE, new Date('2026-11-20T10:00:00Z'));
    // Planning lets requests through between managers: U2 leaves M1's team in one of those turns, after the teams were read.
    const planning = planDigests({ db, content }, friday);
    await new Promise((r) => setImmediate(r));
    await db.transaction().execute((trx) => leaveTeams(trx, 'T1', 'U2'));
    expect(await planning).toBe(1);
    expect(await db.selectFrom('outbox').select('channel').execute()).toEqual([{ channel: 'M2' }]);
    expect(await planDigests({ db, content }, friday)).toBe(1);
    const digest = await db.selectFrom('outbox').select('payload').where('channel', '=', 'M1').executeTakeFirstOrThrow();
    expect(digest.payload).toContain('Staying Co');
    expect(digest.payload).not.toContain('Leaving Co');
    await stop();
  });

  it('withdraws a waiting digest whose manager Slack made a guest, and plans none for them', async () => {
    const { db, fake, drain, stop } = await jobsOnFakeSlack();
    const friday = new Date('2026-11-27T17:00:00Z');
    await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T1'), timezone: 'UTC', digest_weekday: 5, digest_time: '17:00' }, friday);
    await db.insertInto('team_members').values({ team_id: 'T1', manager_id: 'M1', report_id: 'U1', created_at: new Date(friday.getTime() - 7 * DAY).toISOString() }).execute();
    await addDeal(db, 'U1', 'Staying Co', D_CASE, new Date('2026-11-20T10:00:00Z'));
    expect(await planDigests({ db, content }, friday)).toBe(1);
    await updateUserSettings(db, 'T1', 'M1', { is_guest: 1 }, friday);
    await drain(friday);
    expect(fake.delivered).toEqual([]);
    expect(await db.selectFrom('outbox').select('id').execute()).toEqual([]);
    expect(await planDigests({ db, content }, new Date(friday.getTime() + HOUR))).toBe(0);
    await stop();
  });

  it('finds a digest outdated when its team changed after the sender read it', async () => {
    const { db, stop } = await jobsOnFakeSlack();
    const now = new Date('2026-11-27T17:00:00Z');
    await enqueue(db, [{ teamId: 'T1', key: 'digest:T1:M1:2026-W48', kind: 'digest', channel: 'M1', payload: { text: 'digest', blocks: [] } }], now);
    // Tried once without an answer: it may be in Slack, so a team change marks it stale rather than deleting it.
    await db.updateTable('outbox').set({ status: 'sending' }).execute();
    const read = await db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(await outdated(db, read, now)).toBe(false);
    await withdrawDigests(db, 'T1', ['M1']);
    expect(await outdated(db, read, now)).toBe(true);
    // Nor does a digest hold once Slack made its manager a guest, whose team reads nothing.
    await enqueue(db, [{ teamId: 'T1', key: 'digest:T1:M2:2026-W48', kind: 'digest', channel: 'M2', payload: { text: 'digest', blocks: [] } }], now);
    const m2 = await db.selectFrom('outbox').selectAll().where('channel', '=', 'M2').executeTakeFirstOrThrow();
    expect(await outdated(db, m2, now)).toBe(false);
    await updateUserSettings(db, 'T1', 'M2', { is_guest: 1 }, now);
    expect(await outdated(db, m2, now)).toBe(true);
    await stop();
  });
});
