// Planning nudges and digests at scale: 2,000 users, 50,000 open deals, 500,000 assessments (1x), plus 0.1x and 10x
// to show it grows linearly. Goal at 1x: under 2 s and under 300 MB peak memory. Each run plans in a fresh process,
// so its peak RSS is the planner's own; the database is seeded beforehand by another process. It also reports the
// longest the planner held its thread, for the first run (in a fresh process, so warm-up included) and the repeat.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { loadContent } from '../../src/content/load.js';
import { applyPragmas, createDb } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { planDigests } from '../../src/jobs/plan-digests.js';
import { planNudges } from '../../src/jobs/plan-nudges.js';

const NOW = new Date('2026-11-22T14:30:00Z');
const ZONES = ['UTC', 'Europe/Berlin', 'Asia/Ho_Chi_Minh', 'Asia/Shanghai', 'America/New_York'];
const CASES = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
const DAY = 86_400_000;

/** Deterministic pseudo-random numbers, so every run plans the same data. */
function random(seed: number) {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

async function seed(file: string, scale: number): Promise<void> {
  const db = createDb(file);
  await migrateToLatest(db);
  await db.destroy();
  const sqlite = new SQLite(file);
  applyPragmas(sqlite);
  const users = Math.round(2_000 * scale);
  const dealsPerUser = 25;
  const rnd = random(7);
  const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY).toISOString();
  const insertUser = sqlite.prepare(`insert into user_settings (team_id, user_id, timezone, slack_locale, profile_refreshed_at, updated_at) values ('T1', ?, ?, ?, ?, ?)`);
  const insertTeam = sqlite.prepare(`insert into team_members (team_id, manager_id, report_id, created_at) values ('T1', ?, ?, ?)`);
  const insertDeal = sqlite.prepare(
    `insert into deals (id, team_id, owner_id, name, name_key, status, created_at, updated_at, last_case_code, last_assessment_id, last_assessed_at) values (?, 'T1', ?, ?, ?, 'open', ?, ?, ?, ?, ?)`,
  );
  const insertAssessment = sqlite.prepare(
    `insert into assessments (id, team_id, deal_id, assessor_id, submission_key, budget, authority, need, timing, relationship, competitors, time_on_deal, tried_all, capability_level, need_level, trust_level, case_code, too_early, created_at)
     values (?, 'T1', ?, ?, ?, 'possible', 'influencer', 'must_have', 'this_quarter', 'trust', 'ahead', 'm3_6', 'yes', 'low', 'high', 'high', ?, 0, ?)`,
  );
  sqlite.transaction(() => {
    let dealId = 0;
    let assessmentId = 0;
    for (let u = 0; u < users; u++) {
      const user = `U${u}`;
      insertUser.run(user, ZONES[u % ZONES.length], ['en-US', 'vi-VN', 'zh-CN'][u % 3], NOW.toISOString(), NOW.toISOString());
      // One manager per ten people: U0 manages U1-U9, U10 manages U11-U19, ...
      if (u % 10 !== 0) insertTeam.run(`U${u - (u % 10)}`, user, at(120));
      for (let d = 0; d < dealsPerUser; d++) {
        dealId++;
        // Three deals in four were touched in the last two weeks; the rest have been quiet for up to two months.
        const quietDays = rnd() < 0.75 ? rnd() * 13 : 14 + rnd() * 46;
        const history = Array.from({ length: 10 }, (_, a) => ({ id: assessmentId + a + 1, caseCode: CASES[Math.floor(rnd() * 8)]!, when: at(quietDays + (9 - a) * 3) }));
        const last = history[9]!;
        insertDeal.run(dealId, user, `Deal ${dealId}`, `deal ${dealId}`, at(120), last.when, last.caseCode, last.id, last.when);
        for (const a of history) insertAssessment.run(a.id, dealId, user, `k${a.id}`, a.caseCode, a.when);
        assessmentId += history.length;
      }
    }
  })();
  sqlite.close();
}

async function plan(file: string): Promise<void> {
  const db = createDb(file);
  const content = loadContent();
  // The app plans in the thread that answers Slack: the longest the thread goes without turning back to its event
  // loop is how long a request could wait behind planning.
  const gaps: { from: number; to: number }[] = [];
  let last = performance.now();
  const probe = setInterval(() => {
    const at = performance.now();
    gaps.push({ from: last, to: at });
    last = at;
  }, 5);
  // A stall belongs to the run it began in.
  const longestGap = (from: number, to: number) => Math.max(0, ...gaps.filter((g) => g.from >= from && g.from < to).map((g) => g.to - g.from));
  const t0 = performance.now();
  const nudges = await planNudges({ db, content }, NOW);
  const t1 = performance.now();
  const digests = await planDigests({ db, content }, NOW);
  const t2 = performance.now();
  // A second run the same day finds everything already planned: this is the every-minute cost.
  await planNudges({ db, content }, NOW);
  await planDigests({ db, content }, NOW);
  const t3 = performance.now();
  await new Promise((r) => setTimeout(r, 20));
  clearInterval(probe);
  // Managers with a digest: a big team's digest may take several messages.
  const { managers } = await db.selectFrom('outbox').select(sql<number>`count(distinct channel)`.as('managers')).where('kind', '=', 'digest').executeTakeFirstOrThrow();
  await db.destroy();
  const stall = { firstMs: longestGap(t0, t2), repeatMs: longestGap(t2, t3) };
  console.log(JSON.stringify({ nudges, digests, managers, nudgeMs: t1 - t0, digestMs: t2 - t1, repeatMs: t3 - t2, peakMb: process.resourceUsage().maxRSS / 1024, stall }));
}

const [mode, file, scale] = process.argv.slice(2);
if (mode === 'seed') await seed(file!, Number(scale));
else if (mode === 'plan') await plan(file!);
else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deal-coach-plan-'));
  const self = import.meta.filename;
  const run = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', self, ...args], { encoding: 'utf8', maxBuffer: 10_000_000 });
  console.log('\nPlanning nudges and digests (first run plans every message; repeat run finds them planned)');
  console.log('scale  users   deals    assessments  nudges  digests  plan ms (nudges+digests)  repeat ms  peak MB  longest stall ms (first/repeat)');
  for (const s of process.env.PLAN_SCALES?.split(',').map(Number) ?? [0.1, 1, 10]) {
    const file = path.join(dir, `plan-${s}.sqlite`);
    run('seed', file, String(s));
    const r = JSON.parse(run('plan', file).trim().split('\n').pop()!);
    const total = r.nudgeMs + r.digestMs;
    // A digest for every manager (one in ten people), or the timing leaves out half the work.
    const complete = r.managers === (2000 * s) / 10;
    const goal = !complete ? 'MISS (not every digest planned)' : s === 1 ? (total < 2000 && r.peakMb < 300 ? 'PASS (<2 s, <300 MB)' : 'MISS (<2 s, <300 MB)') : '';
    console.log(
      `${String(s).padEnd(5)}  ${String(2000 * s).padEnd(6)}  ${String(50_000 * s).padEnd(7)}  ${String(500_000 * s).padEnd(11)}  ${String(r.nudges).padEnd(6)}  ${String(r.digests).padEnd(7)}  ${`${total.toFixed(0)} (${r.nudgeMs.toFixed(0)}+${r.digestMs.toFixed(0)})`.padEnd(24)}  ${r.repeatMs.toFixed(0).padEnd(9)}  ${r.peakMb.toFixed(0).padEnd(7)}  ${`${r.stall.firstMs.toFixed(0)}/${r.stall.repeatMs.toFixed(0)}`.padEnd(31)}  ${goal}`,
    );
    fs.rmSync(file, { force: true });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
