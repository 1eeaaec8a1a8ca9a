import { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { createDb } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { enqueue } from '../../src/db/repositories/outbox.js';
import { FakeSlack } from '../../src/fake-slack/server.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { tempDbPath, testLogger } from '../support/local.js';

const silent = testLogger();

describe('scheduler shutdown', () => {
  it('stops the schedule and lets the message being sent finish, leaving the rest for next time', async () => {
    const db = createDb(tempDbPath());
    await migrateToLatest(db);
    const fake = new FakeSlack();
    await fake.start();
    fake.fail('chat.postMessage', { delayMs: 300, times: 10 });
    const text = 'Acme has been quiet for 15 days.';
    await enqueue(db, Array.from({ length: 5 }, (_, i) => ({ teamId: 'T1', key: `nudge:${i}`, kind: 'nudge' as const, channel: 'U1', payload: { text, blocks: [] } })), new Date());

    const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    const scheduler = startScheduler(
      { db, content: loadContent(), client, logger: silent, now: () => new Date() },
      { tickSeconds: 3600, leaseSeconds: 30, sender: { channelIntervalMs: 0, concurrency: 1, maxAttempts: 3, maxWaitMs: 0 } },
    );
    await fake.waitFor((c) => c.method === 'chat.postMessage');
    await scheduler.stop();

    const rows = await db.selectFrom('outbox').select(['dedupe_key', 'status']).orderBy('id').execute();
    expect(rows[0]).toEqual({ dedupe_key: 'nudge:0', status: 'sent' });
    expect(rows.filter((r) => r.status === 'sending')).toEqual([]);
    expect(rows.filter((r) => r.status === 'pending').length).toBeGreaterThan(0);
    expect(await scheduler.tick()).toBe(false);
    // The lease is handed back, so another instance can take over at once.
    const lease = await db.selectFrom('job_leases').selectAll().executeTakeFirstOrThrow();
    expect(Date.parse(lease.expires_at)).toBeLessThan(Date.now());
    await db.destroy();
    await fake.stop();
  });

  it('stops at once while the sender is only waiting: for the pace of a channel, or for a retry due soon', async () => {
    const db = createDb(tempDbPath());
    await migrateToLatest(db);
    const fake = new FakeSlack();
    await fake.start();
    const text = 'Acme has been quiet for 15 days.';
    const now = new Date();
    await enqueue(db, Array.from({ length: 3 }, (_, i) => ({ teamId: 'T1', key: `paced:${i}`, kind: 'nudge' as const, channel: 'U1', payload: { text, blocks: [] } })), now);
    await enqueue(db, [{ teamId: 'T1', key: 'later', kind: 'nudge', channel: 'U2', payload: { text, blocks: [] } }], now);
    await db.updateTable('outbox').set({ next_attempt_at: new Date(now.getTime() + 20_000).toISOString() }).where('dedupe_key', '=', 'later').execute();

    const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    const scheduler = startScheduler(
      { db, content: loadContent(), client, logger: silent, now: () => new Date() },
      { tickSeconds: 3600, leaseSeconds: 30, sender: { channelIntervalMs: 5_000, concurrency: 1, maxAttempts: 3, maxWaitMs: 30_000 } },
    );
    await fake.waitFor((c) => c.method === 'chat.postMessage');
    const asked = Date.now();
    await scheduler.stop();
    expect(Date.now() - asked).toBeLessThan(1_000);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    const rows = await db.selectFrom('outbox').select(['dedupe_key', 'status']).orderBy('id').execute();
    expect(rows.map((r) => `${r.dedupe_key}:${r.status}`)).toEqual(['paced:0:sent', 'paced:1:pending', 'paced:2:pending', 'later:pending']);
    await db.destroy();
    await fake.stop();
  });
});
