// Saving assessments through our code (saveAssessment: one transaction each, the app's pragmas) against a bare
// better-sqlite3 prepared INSERT of the same row under the same pragmas. Goal: >= 2,000/s and within 1.5x of bare.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Answers } from '../../src/coaching/answers.js';
import { applyPragmas, checkpointInBackground, createDb } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { assessmentRow, saveAssessment } from '../../src/db/repositories/assessments.js';

const ROUNDS = 4;
const PER_ROUND = 5_000;
const DEALS = 200;
const owner = { teamId: 'T1', userId: 'U1' };
const answers: Answers = { budget: 'possible', authority: 'influencer', need: 'must_have', timing: 'this_quarter', relationship: 'trust', competitors: 'ahead', time_on_deal: 'm3_6', tried_all: 'yes' };
const notes = { situation: '40 reps on spreadsheets', problem: 'Forecasts miss by 30%', implication: null, need_payoff: null, next_step: 'Demo to the CFO' };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deal-coach-save-'));
const db = createDb(path.join(dir, 'ours.sqlite'));
await migrateToLatest(db);
const bareFile = path.join(dir, 'bare.sqlite');
const bareSetup = createDb(bareFile);
await migrateToLatest(bareSetup);
await bareSetup.destroy();
const bare = new SQLite(bareFile);
applyPragmas(bare);
// The same background checkpoints as createDb gives our connection.
const bareCheckpointer = checkpointInBackground(bare, bareFile);

// Seed the same deals in both files.
const dealIds: number[] = [];
for (let i = 0; i < DEALS; i++) {
  const { dealId } = await saveAssessment(db, { owner, deal: { create: { name: `Deal ${i}`, customer: null, valueMinor: null, currency: null, closeDate: null } }, answers, notes, submissionKey: `seed-${i}`, now: new Date() });
  dealIds.push(dealId);
}
const copyDeal = bare.prepare(`insert into deals (id, team_id, owner_id, name, name_key, status, created_at, updated_at) values (?, 'T1', 'U1', ?, ?, 'open', ?, ?)`);
for (const id of dealIds) copyDeal.run(id, `Deal ${id}`, `deal ${id}`, new Date().toISOString(), new Date().toISOString());

const sample = assessmentRow({ owner, answers, notes, submissionKey: 'x', now: new Date() }, dealIds[0]!);
const columns = Object.keys(sample);
const insert = bare.prepare(`insert into assessments (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
const insertOne = bare.transaction((row: Record<string, unknown>) => insert.run(row));

let seq = 0;
/** The largest the write-ahead log of either file has been at the end of a round, in bytes. */
let largestLog = 0;
const noteLogSize = () => {
  for (const file of [path.join(dir, 'ours.sqlite'), bareFile]) largestLog = Math.max(largestLog, fs.statSync(`${file}-wal`).size);
};
async function oursRound(): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < PER_ROUND; i++) {
    await saveAssessment(db, { owner, deal: { id: dealIds[i % DEALS]! }, answers, notes, submissionKey: `ours-${++seq}`, now: new Date() });
  }
  return PER_ROUND / ((performance.now() - start) / 1000);
}

function bareRound(): number {
  const start = performance.now();
  for (let i = 0; i < PER_ROUND; i++) {
    insertOne(assessmentRow({ owner, answers, notes, submissionKey: `bare-${++seq}`, now: new Date() }, dealIds[i % DEALS]!));
  }
  return PER_ROUND / ((performance.now() - start) / 1000);
}

// Interleaved rounds so both see the same machine conditions; the first round of each is warm-up.
const ours: number[] = [];
const bares: number[] = [];
for (let r = 0; r < ROUNDS + 1; r++) {
  const o = await oursRound();
  noteLogSize();
  const b = bareRound();
  noteLogSize();
  if (r > 0) {
    ours.push(o);
    bares.push(b);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const o = median(ours);
const b = median(bares);
console.log(`\nSaving assessments, ${ROUNDS} rounds of ${PER_ROUND}, one transaction each (WAL, synchronous=NORMAL, checkpoints in the background)`);
console.log(`ours (saveAssessment):         ${o.toFixed(0)}/s  rounds: ${ours.map((x) => x.toFixed(0)).join(', ')}`);
console.log(`bare better-sqlite3 INSERT:    ${b.toFixed(0)}/s  rounds: ${bares.map((x) => x.toFixed(0)).join(', ')}`);
console.log(`ratio bare/ours: ${(b / o).toFixed(2)}x  goal <= 1.5x and >= 2000/s: ${o >= 2000 && b / o <= 1.5 ? 'PASS' : 'MISS'}`);
console.log(`write-ahead log at most ${(largestLog / 1e6).toFixed(1)} MB at the end of a round (${((ROUNDS + 1) * PER_ROUND).toLocaleString('en-US')} saves into each file)`);
const rows = (await db.selectFrom('assessments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
if (Number(rows) !== DEALS + (ROUNDS + 1) * PER_ROUND) throw new Error(`expected every save to land, found ${rows}`);
await db.destroy();
bareCheckpointer.stop();
bare.close();
fs.rmSync(dir, { recursive: true, force: true });
