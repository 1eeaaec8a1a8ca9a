// Ack-to-modal latency of /deal assess and request-to-response latency of each step's submission,
// for our app (the real entry point, src/index.ts) and for a bare Bolt app that acks and answers with the
// same views and none of our code, at 1, 10 and 50 concurrent users. Goal: ours within 1.2x of bare at p50 and p99.
// Each app runs in its own process, as it would in production; this process plays Slack (the signed requests and
// the Web API), so the fake's work never counts against either app.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LOCAL_SIGNING_SECRET } from '../../src/fake-slack/local-app.js';
import { FakeSlack, type RecordedCall } from '../../src/fake-slack/server.js';
import { SlackSimulator } from '../../src/fake-slack/simulator.js';
import { freePort, startProcess, stopProcess } from '../support/processes.js';

const ANSWERS = { budget: 'possible', authority: 'influencer', need: 'must_have', timing: 'this_quarter', relationship: 'trust', competitors: 'ahead', time_on_deal: 'm3_6', tried_all: 'yes' };
const LEVELS = [
  { users: 1, flows: 100 },
  { users: 10, flows: 300 },
  { users: 50, flows: 500 },
];
const OPS = ['command', 'step1', 'step2', 'step3'] as const;
type Op = (typeof OPS)[number];
type Samples = Record<Op, number[]>;
const GOAL = 1.2;

const fake = new FakeSlack();
await fake.start();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deal-coach-bench-'));
const env = { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: LOCAL_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, LOG_LEVEL: 'error' };
const oursPort = await freePort();
const oursProcess = await startProcess('src/index.ts', { ...env, DATABASE_PATH: path.join(dir, 'bench.sqlite') }, oursPort);
const ours = { slack: new SlackSimulator(`http://127.0.0.1:${oursPort}`, LOCAL_SIGNING_SECRET, fake) };

// Each views.open is timed the moment the fake Slack receives it: that is when the user sees the modal.
const waiting = new Map<string, (at: number, call: RecordedCall) => void>();
fake.listeners.add((call) => {
  if (call.method === 'views.open') waiting.get(call.args.trigger_id)?.(performance.now(), call);
});
let seq = 0;

/**
 * One full assessment as a seller: each user reassesses their own open deal (the first flow creates it), so every
 * step-1 modal holds one open deal, preselected, as in the views the bare app serves.
 */
async function flow(slack: SlackSimulator, user: string, samples: Samples): Promise<void> {
  const triggerId = `bench-${++seq}`;
  const dealName = `Deal ${user}`;
  const opened = new Promise<{ at: number; call: RecordedCall }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no modal for ${triggerId}`)), 10_000);
    waiting.set(triggerId, (at, call) => {
      clearTimeout(timer);
      waiting.delete(triggerId);
      resolve({ at, call });
    });
  });
  const t0 = performance.now();
  const ack = await slack.command(user, `assess ${dealName}`, { triggerId });
  if (ack.status !== 200) throw new Error(`command answered ${ack.status}`);
  const { at, call } = await opened;
  samples.command.push(at - t0);

  let t = performance.now();
  const preselected = call.args.view.blocks.some((b: { block_id?: string; element?: { initial_option?: unknown } }) => b.block_id === 'deal_pick' && b.element?.initial_option);
  const r1 = await slack.submit(user, call.args.view, preselected ? {} : { new_name: dealName });
  samples.step1.push(performance.now() - t);
  if (r1.body?.response_action !== 'update') throw new Error(`step 1: ${JSON.stringify(r1.body)}`);
  t = performance.now();
  const r2 = await slack.submit(user, r1.body.view, ANSWERS);
  samples.step2.push(performance.now() - t);
  t = performance.now();
  const r3 = await slack.submit(user, r2.body.view, { problem: 'Late deliveries' });
  samples.step3.push(performance.now() - t);
  if (r3.body?.response_action !== 'update') throw new Error(`step 3: ${JSON.stringify(r3.body)}`);
}

/** Captures the exact views our app shows at each step of a reassessment, so the bare app answers with the same JSON. */
async function captureViews() {
  const samples: Samples = { command: [], step1: [], step2: [], step3: [] };
  await flow(ours.slack, 'U_CAPTURE', samples);
  const before = fake.callsTo('views.open').length;
  await flow(ours.slack, 'U_CAPTURE', samples);
  const step1 = fake.callsTo('views.open')[before]!.args.view;
  const r1 = await ours.slack.submit('U_CAPTURE', step1, {});
  const r2 = await ours.slack.submit('U_CAPTURE', r1.body.view, ANSWERS);
  const r3 = await ours.slack.submit('U_CAPTURE', r2.body.view, {});
  return { step1, axes: r1.body.view, notes: r2.body.view, result: r3.body.view };
}

async function startBareApp(views: Awaited<ReturnType<typeof captureViews>>) {
  const file = path.join(dir, 'views.json');
  fs.writeFileSync(file, JSON.stringify(views));
  const port = await freePort();
  const child = await startProcess('test/bench/support/bare-app.ts', { ...env, BARE_VIEWS: file }, port);
  return { child, slack: new SlackSimulator(`http://127.0.0.1:${port}`, LOCAL_SIGNING_SECRET, fake) };
}

async function runLevel(slack: SlackSimulator, users: number, flows: number, prefix: string): Promise<Samples> {
  const samples: Samples = { command: [], step1: [], step2: [], step3: [] };
  let next = 0;
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      while (next < flows) {
        next++;
        await flow(slack, `${prefix}${u}`, samples);
      }
    }),
  );
  return samples;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const views = await captureViews();
const bare = await startBareApp(views);
// Warm both apps (JIT, connections, and our per-user profile cache) before measuring.
for (let u = 0; u < 50; u++) fake.users.set(`U_OURS${u}`, { id: `U_OURS${u}`, locale: 'en-US', tz: 'UTC' });
await runLevel(ours.slack, 50, 100, 'U_OURS');
await runLevel(bare.slack, 50, 100, 'U_BARE');

const rows: string[] = [];
let misses = 0;
for (const level of LEVELS) {
  // Two alternating rounds each, pooled, so drift in machine load hits both apps alike.
  const pooled = { ours: { command: [], step1: [], step2: [], step3: [] } as Samples, bare: { command: [], step1: [], step2: [], step3: [] } as Samples };
  for (let round = 0; round < 2; round++) {
    const b = await runLevel(bare.slack, level.users, level.flows / 2, 'U_BARE');
    const o = await runLevel(ours.slack, level.users, level.flows / 2, 'U_OURS');
    for (const op of OPS) {
      pooled.bare[op].push(...b[op]);
      pooled.ours[op].push(...o[op]);
    }
  }
  for (const op of OPS) {
    const [o50, o99, b50, b99] = [pct(pooled.ours[op], 50), pct(pooled.ours[op], 99), pct(pooled.bare[op], 50), pct(pooled.bare[op], 99)];
    const r50 = o50 / b50;
    const r99 = o99 / b99;
    const verdict = r50 <= GOAL && r99 <= GOAL ? 'PASS' : 'MISS';
    if (verdict === 'MISS') misses++;
    rows.push(
      [String(level.users).padStart(5), op.padEnd(8), `${o50.toFixed(1)}/${o99.toFixed(1)}`.padStart(13), `${b50.toFixed(1)}/${b99.toFixed(1)}`.padStart(13), `${r50.toFixed(2)}x/${r99.toFixed(2)}x`.padStart(13), verdict].join('  '),
    );
  }
}

console.log('\nAck-to-modal (command) and submission-to-response (steps), ms, p50/p99; ratio = ours / bare Bolt');
console.log(['users', 'op      ', '  ours p50/99', '  bare p50/99', '  ratio p50/99', 'goal<=1.2x'].join('  '));
for (const row of rows) console.log(row);
console.log(`${misses === 0 ? 'all within' : `${misses} rows outside`} the ${GOAL}x goal`);

await stopProcess(bare.child);
await stopProcess(oursProcess);
await fake.stop();
fs.rmSync(dir, { recursive: true, force: true });
