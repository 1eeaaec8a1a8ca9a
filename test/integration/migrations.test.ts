import { Migrator, sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { createDb, type Db } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { saveAssessment } from '../../src/db/repositories/assessments.js';
import { findOpenDealByName, nameKey } from '../../src/db/repositories/deals.js';
import { NO_NOTES, tempDbPath } from '../support/local.js';

/** A new database file migrated up to `migration`, as a release before the later ones left it. */
async function databaseAt(migration: string): Promise<Db> {
  const db = createDb(tempDbPath());
  expect((await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(migration)).error).toBeUndefined();
  return db;
}

const TOO_EARLY = { budget: 'none', authority: 'no_access', need: 'no_need', timing: 'no_timeline', relationship: 'unknown_to_them', competitors: 'behind', time_on_deal: 'under_1m', tried_all: 'yes' } as const;

describe('migrations on a database that already holds deals', () => {
  it('carries the latest assessment\'s "too early" onto its deal, and keeps it current afterwards', async () => {
    // A file as the release before this one left it.
    const db = await databaseAt('0004_assessment_updates_deal');
    const now = new Date('2026-11-02T09:00:00Z');
    const owner = { teamId: 'T1', userId: 'U1' };
    const create = (name: string) => ({ create: { name, customer: null, valueMinor: null, currency: null, closeDate: null } });
    const young = await db
      .insertInto('deals')
      .values({ team_id: 'T1', owner_id: 'U1', name: 'Young', name_key: 'young', status: 'open', created_at: now.toISOString(), updated_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('assessments')
      .values({
        team_id: 'T1', deal_id: young.id, assessor_id: 'U1', submission_key: 'k1', ...TOO_EARLY, capability_level: 'low', need_level: 'low', trust_level: 'low',
        case_code: 'A', too_early: 1, situation: null, problem: null, implication: null, need_payoff: null, next_step: null, created_at: now.toISOString(),
      })
      .execute();
    await db.insertInto('deals').values({ team_id: 'T1', owner_id: 'U1', name: 'Never assessed', name_key: 'never assessed', status: 'open', created_at: now.toISOString(), updated_at: now.toISOString() }).execute();

    await migrateToLatest(db);
    const flags = async () => (await db.selectFrom('deals').select(['name', 'last_case_code', 'last_too_early']).orderBy('id').execute());
    expect(await flags()).toEqual([
      { name: 'Young', last_case_code: 'A', last_too_early: 1 },
      { name: 'Never assessed', last_case_code: null, last_too_early: 0 },
    ]);
    // Reassessed after six months of trying: no longer too early.
    await saveAssessment(db, { owner, deal: { id: young.id }, answers: { ...TOO_EARLY, time_on_deal: 'over_6m' }, notes: NO_NOTES, submissionKey: 'k2', now });
    await saveAssessment(db, { owner, deal: create('Fresh'), answers: TOO_EARLY, notes: NO_NOTES, submissionKey: 'k3', now });
    expect(await flags()).toEqual([
      { name: 'Young', last_case_code: 'A', last_too_early: 0 },
      { name: 'Never assessed', last_case_code: null, last_too_early: 0 },
      { name: 'Fresh', last_case_code: 'A', last_too_early: 1 },
    ]);
    await db.destroy();
  });
});

describe('the time on the deal a reassessment starts from', () => {
  it('is found in the history of a deal made before, and kept by each new assessment', async () => {
    const db = await databaseAt('0008_people_who_left');
    const owner = { teamId: 'T1', userId: 'U1' };
    const day = (d: number) => new Date(Date.UTC(2026, 10, 2 + d, 9));
    const assess = (key: string, time_on_deal: 'under_1m' | 'm1_3', d: number, deal: { id: number } | { create: { name: string; customer: null; valueMinor: null; currency: null; closeDate: null } }) =>
      saveAssessment(db, { owner, deal, answers: { ...TOO_EARLY, time_on_deal }, notes: NO_NOTES, submissionKey: key, now: day(d) });
    // "1-3 months", then corrected to "Under 1 month" and kept: the run of "Under 1 month" starts on day 1.
    const { dealId } = await assess('k1', 'm1_3', 0, { create: { name: 'Acme', customer: null, valueMinor: null, currency: null, closeDate: null } });
    await assess('k2', 'under_1m', 1, { id: dealId });
    await assess('k3', 'under_1m', 2, { id: dealId });
    await db.insertInto('deals').values({ team_id: 'T1', owner_id: 'U1', name: 'Never assessed', name_key: 'never assessed', status: 'open', created_at: day(0).toISOString(), updated_at: day(0).toISOString() }).execute();

    await migrateToLatest(db);
    const since = async () => (await db.selectFrom('deals').select(['name', 'time_on_deal_since']).orderBy('id').execute());
    expect(await since()).toEqual([
      { name: 'Acme', time_on_deal_since: day(1).toISOString() },
      { name: 'Never assessed', time_on_deal_since: null },
    ]);
    // The same answer again keeps it; another answer starts a new run.
    await assess('k4', 'under_1m', 3, { id: dealId });
    expect((await since())[0]!.time_on_deal_since).toBe(day(1).toISOString());
    await assess('k5', 'm1_3', 4, { id: dealId });
    expect((await since())[0]!.time_on_deal_since).toBe(day(4).toISOString());
    await db.destroy();
  });
});

describe('deal names written with runs of spaces', () => {
  it('can be found by name once migrated, unless the owner has an open deal under the new key', async () => {
    const db = await databaseAt('0006_outbox_names_its_deal');
    const at = '2026-11-02T09:00:00.000Z';
    const deal = (owner_id: string, name: string, status: 'open' | 'lost' = 'open') => ({ team_id: 'T1', owner_id, name, name_key: name.toLowerCase(), status, created_at: at, updated_at: at });
    await db
      .insertInto('deals')
      .values([deal('U1', 'Acme  Corp'), deal('U1', 'Beta  Inc'), deal('U1', 'Beta Inc'), deal('U1', 'Gamma  Co', 'lost'), deal('U2', 'Beta  Inc')])
      .execute();

    await migrateToLatest(db);
    const keys = await db.selectFrom('deals').select(['owner_id', 'name_key']).orderBy('id').execute();
    expect(keys).toEqual([
      { owner_id: 'U1', name_key: 'acme corp' },
      // U1's open "Beta Inc" holds the key: this one keeps its own.
      { owner_id: 'U1', name_key: 'beta  inc' },
      { owner_id: 'U1', name_key: 'beta inc' },
      { owner_id: 'U1', name_key: 'gamma co' },
      { owner_id: 'U2', name_key: 'beta inc' },
    ]);
    expect((await findOpenDealByName(db, { teamId: 'T1', userId: 'U1' }, 'ACME corp'))?.name).toBe('Acme  Corp');
    // The names compare as the keys now say (a seller's typed name is matched against them for the preselection).
    const rows = await db.selectFrom('deals').select(['name', 'name_key']).where('name_key', 'not like', '%  %').execute();
    for (const row of rows) expect(nameKey(row.name)).toBe(row.name_key);
    await db.destroy();
  });
});

describe('migrations that fail part-way', () => {
  it('leave nothing of the pending ones behind, so the next start-up runs them all again', async () => {
    const file = tempDbPath();
    const db = createDb(file);
    const broken = {
      ...migrations,
      '0099_broken': {
        up: async (trx: Kysely<any>) => {
          await trx.schema.createTable('half_done').addColumn('x', 'integer').execute();
          throw new Error('power cut');
        },
      },
    };
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => broken } }).migrateToLatest();
    expect(String(error)).toContain('power cut');
    const tables = async () => (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'kysely_%'`.execute(db)).rows.map((r) => r.name);
    expect(await tables()).toEqual([]);
    await migrateToLatest(db);
    expect(await tables()).toEqual(expect.arrayContaining(['deals', 'assessments', 'outbox']));
    expect(await tables()).not.toContain('half_done');
    await db.destroy();
  });
});

