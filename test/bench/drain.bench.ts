// Draining 2,000 DMs through the real sender against a fake Slack that allows one message per second per channel
// and answers 429 to bursts above a workspace-wide rate. No message may be lost or doubled; the figure to watch is
// the total time against the fastest the limits allow.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel, ConsoleLogger } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import { createDb } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { enqueue } from '../../src/db/repositories/outbox.js';
import { FakeSlack } from '../../src/fake-slack/server.js';
import { drainOutbox, DEFAULT_SENDER_OPTIONS } from '../../src/jobs/sender.js';

const MESSAGES = 2_000;
const BURST_PER_SECOND = 100;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deal-coach-drain-'));
const db = createDb(path.join(dir, 'drain.sqlite'));
await migrateToLatest(db);
const fake = new FakeSlack({ channelIntervalMs: 1_000, burstPerSecond: BURST_PER_SECOND });
await fake.start();
const client = new WebClient('xoxb-bench', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR });
const logger = new ConsoleLogger();
logger.setLevel(LogLevel.ERROR);

const text = 'Acme has been quiet for 15 days. Last case: G.';
await enqueue(
  db,
  Array.from({ length: MESSAGES }, (_, i) => ({ teamId: 'T1', key: `nudge:${i}`, kind: 'nudge' as const, channel: `U${i}`, payload: { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] } })),
  new Date(),
);

const start = performance.now();
const result = await drainOutbox({ db, client, now: () => new Date(), logger, stopping: () => false, stillLeader: async () => true }, DEFAULT_SENDER_OPTIONS);
const seconds = (performance.now() - start) / 1000;

const keys = fake.delivered.map((m) => m.metadata?.event_payload.key as string);
const unique = new Set(keys);
const pending = await db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute();
const floor = MESSAGES / BURST_PER_SECOND;
console.log(`\nDraining ${MESSAGES} DMs (limits: 1/s per channel, ${BURST_PER_SECOND}/s across the workspace, 429 beyond)`);
console.log(`sent ${result.sent}, failed ${result.failed}, 429s answered ${fake.rateLimited}, delivered ${keys.length}, distinct ${unique.size}, left unsent ${pending.length}`);
console.log(`total ${seconds.toFixed(1)} s; the limits allow at best ${floor.toFixed(1)} s: ${((floor / seconds) * 100).toFixed(0)}% of the allowed rate`);
if (unique.size !== MESSAGES || keys.length !== MESSAGES || pending.length) throw new Error('a message was lost or doubled');
await db.destroy();
await fake.stop();
fs.rmSync(dir, { recursive: true, force: true });
