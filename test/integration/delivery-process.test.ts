import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { saveAssessment } from '../../src/db/repositories/assessments.js';
import { defaultWorkspaceSettings, saveWorkspaceSettings, updateUserSettings } from '../../src/db/repositories/settings.js';
import { LOCAL_SIGNING_SECRET } from '../../src/fake-slack/local-app.js';
import { FakeSlack } from '../../src/fake-slack/server.js';
import { freePort, startProcess } from '../support/processes.js';
import { NO_NOTES, tempDbPath, until } from '../support/local.js';

const USERS = ['U1', 'U2', 'U3'];
const DEALS_PER_USER = 5;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** A database with a tip due and 15 stalled deals: 16 messages, five per DM channel, so a drain takes seconds. */
async function seed(path: string): Promise<Db> {
  const db = createDb(path);
  await migrateToLatest(db);
  const long = new Date(Date.now() - 40 * 86_400_000);
  await saveWorkspaceSettings(db, { ...defaultWorkspaceSettings('T1'), tip_channel_id: 'C_TIPS', tip_weekday: 1, tip_time: '00:00', timezone: 'UTC' }, long);
  for (const user of USERS) {
    // A time zone where it is about 13:00 now: past 09:00, so today's nudges are due, and hours before midnight.
    const offset = 13 - new Date().getUTCHours();
    const zone = offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    await updateUserSettings(db, 'T1', user, { timezone: zone, profile_refreshed_at: new Date().toISOString() }, long);
    for (let i = 0; i < DEALS_PER_USER; i++) {
      await saveAssessment(db, {
        owner: { teamId: 'T1', userId: user },
        deal: { create: { name: `${user} deal ${i}`, customer: null, valueMinor: null, currency: null, closeDate: null } },
        answers: { budget: 'possible', authority: 'influencer', need: 'must_have', timing: 'this_quarter', relationship: 'trust', competitors: 'ahead', time_on_deal: 'm3_6', tried_all: 'yes' },
        notes: NO_NOTES,
        submissionKey: `${user}-${i}`,
        now: long,
      });
    }
  }
  return db;
}

async function startApp(fake: FakeSlack, databasePath: string, output: 'inherit' | 'pipe' = 'inherit') {
  const child = await startProcess(
    'src/index.ts',
    { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: LOCAL_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, DATABASE_PATH: databasePath, LOG_LEVEL: 'info', JOB_TICK_SECONDS: '1', JOB_LEASE_SECONDS: '30' },
    await freePort(),
    { output },
  );
  children.push(child);
  return child;
}

/** Every planned message reached Slack exactly once, by its outbox key. */
async function expectExactlyOnce(db: Db, fake: FakeSlack) {
  const rows = await db.selectFrom('outbox').select(['dedupe_key', 'status']).execute();
  expect(rows.length).toBe(1 + USERS.length * DEALS_PER_USER);
  expect(rows.every((r) => r.status === 'sent')).toBe(true);
  const keys = fake.delivered.map((m) => m.metadata?.event_payload.key as string);
  expect([...keys].sort()).toEqual(rows.map((r) => r.dedupe_key).sort());
}

describe('delivery through the real app process', () => {
  it('survives SIGKILL in the middle of a drain, with 429s and 500s, and delivers every message exactly once', async () => {
    const path = tempDbPath();
    const db = await seed(path);
    const fake = new FakeSlack({ channelIntervalMs: 900 });
    await fake.start();
    fake.fail('chat.postMessage', { status: 500, times: 2 });
    fake.fail('chat.postMessage', { status: 429, retryAfter: 1, times: 2 });

    const first = await startApp(fake, path);
    await until(() => fake.delivered.length >= 4, 20_000, 'the first messages');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const before = fake.delivered.length;
    expect(before).toBeLessThan(16);

    // The new process waits out the dead one's lease, and the hold on the message it was sending, then looks for it.
    await startApp(fake, path);
    await until(async () => (await db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute()).length === 0, 70_000, 'the drain to finish');
    await expectExactlyOnce(db, fake);
    expect(fake.callsTo('chat.postMessage').length).toBeGreaterThan(fake.delivered.length);
    await db.destroy();
    await fake.stop();
  }, 120_000);

  it('lets only one of two processes on the same database send', async () => {
    const path = tempDbPath();
    const db = await seed(path);
    const fake = new FakeSlack({ channelIntervalMs: 900 });
    await fake.start();
    const outputs = ['', ''];
    const apps = await Promise.all([startApp(fake, path, 'pipe'), startApp(fake, path, 'pipe')]);
    apps.forEach((app, i) => app.stdout!.on('data', (chunk: Buffer) => (outputs[i] += chunk.toString())));
    await until(async () => (await db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute()).length === 0 && (await db.selectFrom('outbox').select('id').execute()).length > 0, 40_000, 'the drain to finish');
    await new Promise((r) => setTimeout(r, 2_500));
    await expectExactlyOnce(db, fake);
    const senders = outputs.filter((o) => /outbox: \d+ sent/.test(o));
    expect(senders).toHaveLength(1);
    const leases = await db.selectFrom('job_leases').selectAll().execute();
    expect(leases).toHaveLength(1);
    await db.destroy();
    await fake.stop();
  }, 90_000);
});
