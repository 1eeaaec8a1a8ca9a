// Ack-to-modal latency of /deal assess and request-to-response latency of each step's submission,
// for our app (the real entry point, src/index.ts) and for a bare Bolt app that acks and answers with the
// same views and none of our code, at 1, 10 and 50 concurrent users. Goal: ours within 1.2x of bare at p50 and p99.
// A second copy of the bare app is measured in the same rounds: its ratio to the first shows how far two identical
// apps drift apart in one run, so that a reader can tell a gap in ours from the noise of the measurement.
// Each app runs in its own process, as it would in production, and so does the fake Slack Web API; this process
// plays the users (signed requests) and times them, so neither the fake's work nor an app's shows up in the timing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LOCAL_SIGNING_SECRET } from '../../src/fake-slack/local-app.js';
import type { FakeUser } from '../../src/fake-slack/server.js';
import { KeepAliveSimulator } from './support/keep-alive-simulator.js';
import { freePort, startProcess, stopProcess } from '../support/processes.js';

const ANSWERS = { budget: 'possible', authority: 'influencer', need: 'must_have', timing: 'this_quarter', relationship: 'trust', competitors: 'ahead', time_on_deal: 'm3_6', tried_all: 'yes' };
// Flows measured per level, over ROUNDS rounds per app; 4,800 puts 48 samples behind each p99. With a quarter of
// that, two identical bare apps came out up to 1.2x apart at p50 in one run (the noise column), as wide as the goal.
// At one user, where a flow takes a few milliseconds, twice as many: there a p99 of 2-3 ms behind 48 samples came out
// up to 1.27x apart between the two identical apps.
const LEVELS = [
  { users: 1, flows: 9_600 },
  { users: 10, flows: 4_800 },
  { users: 50, flows: 4_800 },
];
const OPS = ['command', 'step1', 'step2', 'step3'] as const;
type Op = (typeof OPS)[number];
type Samples = Record<Op, number[]>;
const noSamples = (): Samples => ({ command: [], step1: [], step2: [], step3: [] });
const GOAL = 1.2;
/** Rounds per app and level, in turn: the machine's speed drifts over minutes, and this spreads it over every app. */
const ROUNDS = 24;

type OpenedView = { blocks: { block_id?: string; element?: { initial_option?: unknown } }[]; [k: string]: unknown };
type FromFake = { kind: 'ready'; apiUrl: string; url: string } | { kind: 'users-set' } | { kind: 'views.open'; at: number; triggerId: string; view: OpenedView };

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes on this machine. */
const clock = () => performance.timeOrigin + performance.now();

const fakeProcess = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'support/fake-slack-process.ts')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const fakeMessages = new Set<(m: FromFake) => void>();
fakeProcess.on('message', (m: FromFake) => {
  for (const listener of fakeMessages) listener(m);
});
const nextFromFake = <K extends FromFake['kind']>(kind: K) =>
  new Promise<Extract<FromFake, { kind: K }>>((resolve) => {
    const listener = (m: FromFake) => {
      if (m.kind !== kind) return;
      fakeMessages.delete(listener);
      resolve(m as Extract<FromFake, { kind: K }>);
    };
    fakeMessages.add(listener);
  });
const fake = await nextFromFake('ready');
const responseUrls = { responseUrl: (id: string) => `${fake.url}/response/${id}` };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deal-coach-bench-'));
const env = { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: LOCAL_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, LOG_LEVEL: 'error' };
const oursPort = await freePort();
const oursProcess = await startProcess('src/index.ts', { ...env, DATABASE_PATH: path.join(dir, 'bench.sqlite') }, oursPort);
const ours = { slack: new KeepAliveSimulator(`http://127.0.0.1:${oursPort}`, LOCAL_SIGNING_SECRET, responseUrls) };

// Each views.open is timed the moment the fake Slack receives it: that is when the user sees the modal.
const waiting = new Map<string, (at: number, view: OpenedView) => void>();
fakeMessages.add((m) => {
  if (m.kind === 'views.open') waiting.get(m.triggerId)?.(m.at, m.view);
});
let seq = 0;

/**
 * One full assessment as a seller: each user reassesses their own open deal (the first flow creates it), so every
 * step-1 modal holds one open deal, preselected, as in the views the bare app serves.
 */
async function flow(slack: KeepAliveSimulator, user: string, samples: Samples | null): Promise<OpenedView> {
  const triggerId = `bench-${++seq}`;
  const dealName = `Deal ${user}`;
  const opened = new Promise<{ at: number; view: OpenedView }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no modal for ${triggerId}`)), 10_000);
    waiting.set(triggerId, (at, view) => {
      clearTimeout(timer);
      waiting.delete(triggerId);
      resolve({ at, view });
    });
  });
  const t0 = clock();
  const ack = await slack.command(user, `assess ${dealName}`, { triggerId });
  if (ack.status !== 200) throw new Error(`command answered ${ack.status}`);
  const { at, view } = await opened;
  samples?.command.push(at - t0);

  let t = performance.now();
  const preselected = view.blocks.some((b) => b.block_id === 'deal_pick' && b.element?.initial_option);
  const r1 = await slack.submit(user, view, preselected ? {} : { new_name: dealName });
  samples?.step1.push(performance.now() - t);
  if (r1.body?.response_action !== 'update') throw new Error(`step 1: ${JSON.stringify(r1.body)}`);
  t = performance.now();
  const r2 = await slack.submit(user, r1.body.view, ANSWERS);
  samples?.step2.push(performance.now() - t);
  t = performance.now();
  const r3 = await slack.submit(user, r2.body.view, { problem: 'Late deliveries' });
  samples?.step3.push(performance.now() - t);
  if (r3.body?.response_action !== 'update') throw new Error(`step 3: ${JSON.stringify(r3.body)}`);
  return view;
}

/** Captures the exact views our app shows at each step of a reassessment, so the bare app answers with the same JSON. */
async function captureViews() {
  await flow(ours.slack, 'U_CAPTURE', null);
  const step1 = await flow(ours.slack, 'U_CAPTURE', null);
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
  return { child, slack: new KeepAliveSimulator(`http://127.0.0.1:${port}`, LOCAL_SIGNING_SECRET, responseUrls) };
}

/**
 * `users` sellers at once, each starting a new assessment as soon as the last one is done, until `flows` are
 * measured. Each seller's first flow of a round is not measured: all of them click in the same millisecond and
 * open fresh connections, a burst that says more about the load generator than about either app.
 */
async function runLevel(slack: KeepAliveSimulator, users: number, flows: number, prefix: string): Promise<Samples> {
  const samples = noSamples();
  let next = 0;
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      await flow(slack, `${prefix}${u}`, null);
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
const bareAgain = await startBareApp(views);
// Warm the apps (JIT, connections, and our per-user profile cache) before measuring.
const users: FakeUser[] = Array.from({ length: 50 }, (_, u) => ({ id: `U_OURS${u}`, locale: 'en-US', tz: 'UTC' }));
const usersSet = nextFromFake('users-set');
fakeProcess.send({ kind: 'users', users });
await usersSet;
await runLevel(ours.slack, 50, 100, 'U_OURS');
await runLevel(bare.slack, 50, 100, 'U_BARE');
await runLevel(bareAgain.slack, 50, 100, 'U_AGAIN');

const rows: string[] = [];
const cpuRows: string[] = [];
/** CPU time a process has used so far, in ms, from Linux's /proc (10 ms ticks, fine over hundreds of flows); 0 elsewhere. */
const hasProc = fs.existsSync('/proc/self/stat');
const cpuMs = (pid: number): number => {
  if (!hasProc) return 0;
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
let misses = 0;
const WHO = ['ours', 'bare', 'again'] as const;
const perApp = <T>(make: () => T) => ({ ours: make(), bare: make(), again: make() });
for (const level of LEVELS) {
  // Rounds in turn, pooled, so drift in machine load hits every app alike; which app goes first rotates too.
  const pooled = perApp(noSamples);
  const cpu = perApp(() => ({ app: 0, fake: 0, driver: 0 }));
  const apps = {
    ours: { pid: oursProcess.pid!, slack: ours.slack, prefix: 'U_OURS' },
    bare: { pid: bare.child.pid!, slack: bare.slack, prefix: 'U_BARE' },
    again: { pid: bareAgain.child.pid!, slack: bareAgain.slack, prefix: 'U_AGAIN' },
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const who of [...WHO.slice(round % 3), ...WHO.slice(0, round % 3)]) {
      const app = apps[who];
      const before = { app: cpuMs(app.pid), fake: cpuMs(fakeProcess.pid!), driver: cpuMs(process.pid) };
      const samples = await runLevel(app.slack, level.users, level.flows / ROUNDS, app.prefix);
      cpu[who].app += cpuMs(app.pid) - before.app;
      cpu[who].fake += cpuMs(fakeProcess.pid!) - before.fake;
      cpu[who].driver += cpuMs(process.pid) - before.driver;
      for (const op of OPS) pooled[who][op].push(...samples[op]);
    }
  }
  const perFlow = (ms: number) => `${(ms / (level.flows + ROUNDS * level.users)).toFixed(1)} ms`;
  cpuRows.push(
    `${String(level.users).padStart(5)} users: ours ${perFlow(cpu.ours.app)}, bare ${perFlow(cpu.bare.app)}, bare again ${perFlow(cpu.again.app)}; the fake Slack serving them ${perFlow(cpu.ours.fake)}, ${perFlow(cpu.bare.fake)} and ${perFlow(cpu.again.fake)}; the sellers' driver ${perFlow(cpu.ours.driver)}, ${perFlow(cpu.bare.driver)} and ${perFlow(cpu.again.driver)}`,
  );
  for (const op of OPS) {
    const at = (who: (typeof WHO)[number], p: number) => pct(pooled[who][op], p);
    const [o50, o99, b50, b99, a50, a99] = [at('ours', 50), at('ours', 99), at('bare', 50), at('bare', 99), at('again', 50), at('again', 99)];
    const r50 = o50 / b50;
    const r99 = o99 / b99;
    const verdict = r50 <= GOAL && r99 <= GOAL ? 'PASS' : 'MISS';
    if (verdict === 'MISS') misses++;
    rows.push(
      [
        String(level.users).padStart(5),
        op.padEnd(8),
        `${o50.toFixed(1)}/${o99.toFixed(1)}`.padStart(13),
        `${b50.toFixed(1)}/${b99.toFixed(1)}`.padStart(13),
        `${r50.toFixed(2)}x/${r99.toFixed(2)}x`.padStart(13),
        verdict.padEnd(10),
        `${(a50 / b50).toFixed(2)}x/${(a99 / b99).toFixed(2)}x`.padStart(13),
      ].join('  '),
    );
  }
}

console.log('\nAck-to-modal (command) and submission-to-response (steps), ms, p50/p99; ratio = ours / bare Bolt;');
console.log('noise = a second bare app / the first, measured in the same rounds');
console.log(['users', 'op      ', '  ours p50/99', '  bare p50/99', '  ratio p50/99', 'goal<=1.2x', '  noise p50/99'].join('  '));
for (const row of rows) console.log(row);
console.log(`${misses === 0 ? 'all within' : `${misses} rows outside`} the ${GOAL}x goal`);
// What the ratios follow: the sellers' driver, the fake Slack and the app share this machine's two cores in a closed
// loop, so under load whichever costs the most CPU per flow holds the queue; the driver sends over node:http
// (KeepAliveSimulator) so that it costs less than either app and the queue each row shows is the app's own. Our app
// does more per flow than the bare one (two queries, the save just after step 3's answer, building the views, a
// result DM at most once a second per seller), and calls Slack for less (DirectWebClient, not WebClient's axios).
// At one user the steps take well under a millisecond, and each p99 is set by V8's young-generation collections
// (about 2 ms, one every 20 or so flows in either app): one runs just after a response, so the next request waits on
// it. Which step that is follows from where in the flow an app's allocations cross the collector's threshold, so a
// row there can move between runs, or after any change to what an app allocates, by more than the goal's margin.
console.log('\nCPU per assessment flow (command, three steps, and for ours the result DM)');
for (const row of hasProc ? cpuRows : ['not measured: this system has no /proc']) console.log(row);

ours.slack.close();
bare.slack.close();
bareAgain.slack.close();
await stopProcess(bare.child);
await stopProcess(bareAgain.child);
await stopProcess(oursProcess);
fakeProcess.disconnect();
fs.rmSync(dir, { recursive: true, force: true });
