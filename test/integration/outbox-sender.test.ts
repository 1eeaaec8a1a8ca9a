import SQLite from 'better-sqlite3';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { enqueue, withdraw, withdrawDigests, type PlannedMessage } from '../../src/db/repositories/outbox.js';
import { FakeSlack } from '../../src/fake-slack/server.js';
import { drainOutbox, METADATA_EVENT, type SenderOptions } from '../../src/jobs/sender.js';
import { tempDbPath, testLogger } from '../support/local.js';

const OPTIONS: SenderOptions = { channelIntervalMs: 0, concurrency: 4, maxAttempts: 6, maxWaitMs: 0 };
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function setUp() {
  const file = tempDbPath();
  const db = createDb(file);
  await migrateToLatest(db);
  // One clock for the sender and the fake Slack's message stamps. It runs with real time, and each drain moves it a
  // minute on, past the first backoffs, any claim's hold and a post's time to land, so a retry is due.
  let offset = 0;
  const clock = () => Date.now() + offset;
  const fake = new FakeSlack({ now: clock });
  await fake.start();
  // The sender's client: no retries of its own, and a timeout short enough for a test to outwait.
  const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 500 });
  cleanup.push(async () => {
    await db.destroy();
    await fake.stop();
  });
  const drain = (onPermanentFailure?: () => Promise<void>, options = OPTIONS) => {
    offset += 60_000;
    return drainOutbox({ db, client, now: () => new Date(clock()), logger: testLogger(), stopping: () => false, stillLeader: async () => true, onPermanentFailure }, options);
  };
  const advance = (ms: number) => void (offset += ms);
  return { file, db, fake, drain, advance, client, now: () => new Date(clock()) };
}

const message = (key: string, channel: string): PlannedMessage => ({ teamId: 'T1', key, kind: 'nudge', channel, payload: { text: key, blocks: [] } });

/** Which outbox keys reached Slack, once per delivery. */
const deliveredKeys = (fake: FakeSlack) => fake.delivered.map((m) => m.metadata?.event_payload.key).filter(Boolean).sort();
const statuses = async (db: Db) => (await db.selectFrom('outbox').select(['dedupe_key', 'status']).orderBy('dedupe_key').execute()).map((r) => `${r.dedupe_key}:${r.status}`);

describe('the outbox sender through a Slack outage', () => {
  it('keeps trying through hours of 503s and delivers once Slack is back; gives a message up only after a day', async () => {
    const { db, fake, drain, advance, now } = await setUp();
    const outage = () => {
      fake.fail('chat.postMessage', { status: 503, times: 100_000 });
      fake.fail('conversations.history', { status: 503, times: 100_000 });
    };
    const reasons = async () => (await db.selectFrom('outbox').select(['dedupe_key', 'last_error']).where('status', '=', 'failed').execute()).map((r) => `${r.dedupe_key}: ${r.last_error}`);

    await enqueue(db, [message('six-hours', 'C_SALES')], new Date());
    outage();
    for (let minutes = 0; minutes < 6 * 60; minutes += 5) {
      advance(4 * 60_000);
      await drain();
    }
    expect(await statuses(db)).toEqual(['six-hours:sending']);
    fake.clear();
    advance(5 * 60_000);
    await drain();
    expect(await statuses(db)).toEqual(['six-hours:sent']);
    expect(deliveredKeys(fake)).toEqual(['six-hours']);

    await enqueue(db, [message('two-days', 'C_OPS')], now());
    outage();
    const halfHours = async (n: number) => {
      for (let i = 0; i < n; i++) {
        advance(29 * 60_000);
        await drain();
      }
    };
    await halfHours(46);
    expect(await statuses(db)).toEqual(['six-hours:sent', 'two-days:sending']);
    await halfHours(4);
    expect(await reasons()).toEqual(['two-days: gave up after a day of failures: slack_webapi_http_error']);
  });
});

describe('the outbox sender when Slack or the database leaves it unsure', () => {
  it('does not post again a message Slack took but never confirmed (a 5xx, a timeout, its own internal error): it looks first', async () => {
    const { db, fake, drain } = await setUp();
    await enqueue(db, [message('five-hundred', 'C_SALES'), message('internal', 'C_OPS'), message('timed-out', 'U1')], new Date());
    fake.fail('chat.postMessage', { landed: true, status: 500, times: 1 });
    fake.fail('chat.postMessage', { landed: true, error: 'internal_error', times: 1 });
    fake.fail('chat.postMessage', { landed: true, delayMs: 1_000, times: 1 });
    await drain();
    expect(await statuses(db)).toEqual(['five-hundred:sending', 'internal:sending', 'timed-out:sending']);
    await drain();
    expect(await statuses(db)).toEqual(['five-hundred:sent', 'internal:sent', 'timed-out:sent']);
    expect(deliveredKeys(fake)).toEqual(['five-hundred', 'internal', 'timed-out']);
    expect(fake.callsTo('conversations.history')).toHaveLength(3);
  });

  it('gives a post Slack stores late, after our client stopped waiting, time to land before looking for it', async () => {
    const { db, fake, drain } = await setUp();
    await enqueue(db, [message('late', 'C_SALES')], new Date());
    fake.fail('chat.postMessage', { landsLate: true, delayMs: 1_500, times: 1 });
    // A drain willing to wait for retries due within 5 s does not look for it yet.
    await drain(undefined, { ...OPTIONS, maxWaitMs: 5_000 });
    expect(await statuses(db)).toEqual(['late:sending']);
    expect(fake.callsTo('conversations.history')).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 1_600));
    await drain();
    expect(await statuses(db)).toEqual(['late:sent']);
    expect(deliveredKeys(fake)).toEqual(['late']);
  });

  it('posts again, without looking, a message Slack refused (a 429 or an error)', async () => {
    const { db, fake, drain } = await setUp();
    await enqueue(db, [message('limited', 'C_SALES'), message('refused', 'C_TIPS')], new Date());
    fake.fail('chat.postMessage', { status: 429, retryAfter: 1, times: 1 });
    fake.fail('chat.postMessage', { error: 'restricted_action', times: 1 });
    await drain();
    expect(await statuses(db)).toEqual(['limited:pending', 'refused:pending']);
    await drain();
    expect(await statuses(db)).toEqual(['limited:sent', 'refused:sent']);
    expect(deliveredKeys(fake)).toEqual(['limited', 'refused']);
    expect(fake.callsTo('conversations.history')).toHaveLength(0);
  });

  it('keeps looking when the lookup itself is rate limited, and finds the message among hundreds in a busy channel', async () => {
    const { db, fake, drain, now } = await setUp();
    await enqueue(db, [message('busy', 'C_BUSY')], new Date());
    fake.fail('chat.postMessage', { landed: true, status: 503, times: 1 });
    await drain();
    // 450 messages from people after ours: it is on the third page of the channel's history.
    const ts = Math.floor(now().getTime() / 1000) + 1;
    for (let i = 0; i < 450; i++) fake.delivered.push({ channel: 'C_BUSY', ts: `${ts}.${String(900_000 + i)}`, text: `chatter ${i}` });
    fake.fail('conversations.history', { status: 429, retryAfter: 1, times: 1 });
    await drain();
    expect(await statuses(db)).toEqual(['busy:sending']);
    await drain();
    expect(await statuses(db)).toEqual(['busy:sent']);
    expect(deliveredKeys(fake)).toEqual(['busy']);
    expect(fake.callsTo('conversations.history').length).toBeGreaterThanOrEqual(4);
  });

  it('sends each message once when two senders read the same messages at the same moment', async () => {
    const { db, fake, client, now } = await setUp();
    const keys = Array.from({ length: 20 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    await enqueue(db, keys.map((key, i) => message(key, `C${i % 5}`)), now());
    const sender = () => drainOutbox({ db, client, now, logger: testLogger(), stopping: () => false, stillLeader: async () => true }, OPTIONS);
    const [a, b] = await Promise.all([sender(), sender()]);
    expect(a.sent + b.sent).toBe(20);
    expect(deliveredKeys(fake)).toEqual(keys);
  });

  it('finds an unconfirmed DM to an Enterprise Grid user (W…) in their DM channel', async () => {
    const { db, fake, drain } = await setUp();
    await enqueue(db, [message('grid', 'W0GRID')], new Date());
    fake.fail('chat.postMessage', { landed: true, status: 500, times: 1 });
    await drain();
    await drain();
    expect(await statuses(db)).toEqual(['grid:sent']);
    expect(fake.delivered.filter((m) => m.metadata?.event_type === METADATA_EVENT).map((m) => m.channel)).toEqual(['D0GRID']);
  });

  it('does not post again a message whose sending it could not record (the database locked at that moment)', async () => {
    const { file, db, fake, drain } = await setUp();
    await enqueue(db, [message('unrecorded', 'C_SALES')], new Date());
    // Another connection takes the write lock the moment the message reaches Slack.
    const other = new SQLite(file);
    const lock = () => void other.exec('begin immediate');
    fake.listeners.add(lock);
    await expect(drain()).rejects.toThrow(/locked|busy/i);
    fake.listeners.delete(lock);
    other.exec('rollback');
    other.close();
    expect(await statuses(db)).toEqual(['unrecorded:sending']);
    await drain();
    expect(await statuses(db)).toEqual(['unrecorded:sent']);
    expect(deliveredKeys(fake)).toEqual(['unrecorded']);
  });

  it('stops every worker when one fails, and returns only once they have, so the next drain sends nothing twice', async () => {
    const { db, fake, drain } = await setUp();
    const keys = Array.from({ length: 12 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    await enqueue(db, keys.map((key, i) => message(key, `C${i % 4}`)), new Date());
    // The first message of C0 fails for good, and telling the admins about it fails too.
    fake.notInChannel.add('C0');
    await expect(drain(async () => Promise.reject(new Error('admin notice failed')))).rejects.toThrow('admin notice failed');
    const postedByFailedDrain = fake.callsTo('chat.postMessage').length;
    await new Promise((r) => setTimeout(r, 300));
    // Each worker finished the message it had in hand and took no other.
    expect(fake.callsTo('chat.postMessage')).toHaveLength(postedByFailedDrain);
    expect(postedByFailedDrain).toBeLessThanOrEqual(OPTIONS.concurrency);

    fake.notInChannel.delete('C0');
    await drain();
    expect(await statuses(db)).toEqual(keys.map((k) => `${k}:${k === 'm00' ? 'failed' : 'sent'}`));
    expect(deliveredKeys(fake)).toEqual(keys.filter((k) => k !== 'm00'));
  });
});

describe('a long digest sent in several messages', () => {
  const part = (n: number): PlannedMessage => ({ teamId: 'T1', key: `digest:T1:M1:2026-W48${n > 1 ? `:${n}` : ''}`, kind: 'digest', channel: 'M1', payload: { text: `part ${n}`, blocks: [] } });
  const digest = [part(1), part(2), part(3)];
  const texts = (fake: FakeSlack) => fake.delivered.map((m) => m.text);
  const stale = async (db: Db) => (await db.selectFrom('outbox').select('stale').orderBy('id').execute()).map((r) => r.stale);

  it('sends its parts in order: the next waits while a part may or may not be in Slack', async () => {
    const { db, fake, drain } = await setUp();
    await enqueue(db, digest, new Date());
    fake.fail('chat.postMessage', { status: 500, times: 1 });
    // Returns, rather than spinning on parts that are not due until the first one is settled.
    await drain();
    expect(await statuses(db)).toEqual(['digest:T1:M1:2026-W48:sending', 'digest:T1:M1:2026-W48:2:pending', 'digest:T1:M1:2026-W48:3:pending']);
    expect(texts(fake)).toEqual([]);
    await drain();
    expect(texts(fake)).toEqual(['part 1', 'part 2', 'part 3']);
  });

  it('is given up whole when its first part is refused for good: the rest do not go out without it', async () => {
    const { db, fake, drain } = await setUp();
    await enqueue(db, digest, new Date());
    fake.fail('chat.postMessage', { error: 'account_inactive', times: 1 });
    await drain();
    await drain();
    expect(texts(fake)).toEqual([]);
    expect(await statuses(db)).toEqual(['digest:T1:M1:2026-W48:failed', 'digest:T1:M1:2026-W48:2:failed', 'digest:T1:M1:2026-W48:3:failed']);
  });

  it('is sent whole when its team changes while its first part may be in Slack, and that part is found there', async () => {
    const { db, fake, drain } = await setUp();
    await enqueue(db, digest, new Date());
    fake.fail('chat.postMessage', { landed: true, status: 500, times: 1 });
    await drain();
    await withdrawDigests(db, 'T1', ['M1']);
    expect(await stale(db)).toEqual([1, 1, 1]);
    await drain();
    expect(texts(fake)).toEqual(['part 1', 'part 2', 'part 3']);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(3);
  });

  it('is sent whole when its team changes while its first part is being posted', async () => {
    const { db, fake, drain } = await setUp();
    await enqueue(db, digest, new Date());
    fake.fail('chat.postMessage', { delayMs: 200, times: 1 });
    const draining = drain();
    await fake.waitFor((c) => c.method === 'chat.postMessage');
    await withdrawDigests(db, 'T1', ['M1']);
    await draining;
    expect(texts(fake)).toEqual(['part 1', 'part 2', 'part 3']);
  });

  it('withdraws the parts still to go together with the part the sender claimed', async () => {
    const { db } = await setUp();
    await enqueue(db, digest, new Date());
    await db.updateTable('outbox').set({ status: 'sending' }).where('dedupe_key', '=', part(1).key).execute();
    const claimed = await db.selectFrom('outbox').selectAll().where('dedupe_key', '=', part(1).key).executeTakeFirstOrThrow();
    await withdraw(db, claimed);
    expect(await statuses(db)).toEqual([]);
  });

  it('is withdrawn whole when its team changes while its first part may be in Slack, and that part is not there', async () => {
    const { db, fake, drain } = await setUp();
    await enqueue(db, digest, new Date());
    fake.fail('chat.postMessage', { status: 500, times: 1 });
    await drain();
    await withdrawDigests(db, 'T1', ['M1']);
    await drain();
    expect(texts(fake)).toEqual([]);
    // Every key is free again, for the next planning to write the digest from the team as it is.
    expect(await statuses(db)).toEqual([]);
  });
});
