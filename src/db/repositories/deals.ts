import { closest, distance } from 'fastest-levenshtein';
import type { CaseCode } from '../../coaching/cases.js';
import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../create-db.js';
import { preparedQuery } from '../prepared.js';
import type { Database } from '../schema.js';
import type { CloseStatus, DealsTable } from '../schema.js';

export interface Owner {
  teamId: string;
  userId: string;
}

export interface NewDeal {
  name: string;
  customer: string | null;
  valueMinor: number | null;
  currency: string | null;
  closeDate: string | null;
}

/** Details a seller filled in beside a deal they picked: each one given replaces the deal's. */
export type DealChanges = Partial<Omit<NewDeal, 'name'>>;

export type Deal = Selectable<DealsTable>;

/** An open deal with its latest assessment, for lists and the Home tab. */
export interface DealSummary {
  id: number;
  name: string;
  customer: string | null;
  caseCode: CaseCode | null;
  lastAssessedAt: string | null;
  /** The latest assessment said it was too early to give up. */
  tooEarly: boolean;
  updatedAt: string;
}

/**
 * Deal names compare without case, surrounding space or runs of spaces, so "acme " finds "Acme" and "Acme  Corp"
 * finds "Acme Corp": a command's words come joined by single spaces.
 */
export function nameKey(name: string): string {
  return tidyName(name.normalize('NFKC')).toLowerCase();
}

/** A deal name as a command reads it back: no surrounding space, and each run of spaces as one. */
export function tidyName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

/**
 * 'open' written into the SQL rather than bound: only then can SQLite see that the index kept for open deals
 * (owner and name, `deals_open_name_unique`) covers the query.
 */
const OPEN = sql.lit<'open'>('open');

/** The owner's deals of that name (and those of `alsoOf`), whatever their status. */
function byName(db: Db | Transaction<Database>, owner: Owner, name: string, alsoOf: string[] = []) {
  return db
    .selectFrom('deals')
    .selectAll()
    .where('team_id', '=', owner.teamId)
    .where('owner_id', 'in', [owner.userId, ...alsoOf])
    .where('name_key', '=', nameKey(name));
}

export async function findOpenDealByName(db: Db | Transaction<Database>, owner: Owner, name: string): Promise<Deal | undefined> {
  return byName(db, owner, name).where('status', '=', OPEN).executeTakeFirst();
}

/**
 * The open deal of that name, else the most recently closed one; with `alsoOf` (a manager's reports), among theirs
 * too, the owner's own first at each status, so that an old closed deal of theirs does not hide a report's live one.
 */
export async function findDealByName(db: Db, owner: Owner, name: string, alsoOf: string[] = []): Promise<Deal | undefined> {
  return byName(db, owner, name, alsoOf)
    .orderBy((eb) => eb.case().when('status', '=', 'open').then(0).else(1).end())
    .orderBy((eb) => eb.case().when('owner_id', '=', owner.userId).then(0).else(1).end())
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** Only the owner's deal: another user's deal id behaves as not found. */
export async function getOwnedDeal(db: Db, owner: Owner, dealId: number): Promise<Deal | undefined> {
  return db
    .selectFrom('deals')
    .selectAll()
    .where('id', '=', dealId)
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .executeTakeFirst();
}

/** Up to three of `names` nearest to what was typed; when none is near, the nearest of all, unless `nearOnly`. */
export function nearestNames(typed: string, names: string[], nearOnly = false): string[] {
  const key = nameKey(typed);
  const ranked = names
    .map((name) => ({ name, score: nameKey(name).includes(key) ? 0 : distance(key, nameKey(name)) }))
    .filter((r) => r.score <= Math.max(3, Math.ceil(key.length / 2)))
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .map((r) => r.name);
  if (ranked.length === 0 && names.length > 0 && !nearOnly) return [closest(key, names)];
  return ranked.slice(0, 3);
}

/** The deal names nearest to what was typed (see nearestNames) among the owner's, and those of `alsoOf` (a manager's reports). */
export async function closestDealNames(db: Db, owner: Owner, typed: string, alsoOf: string[] = []): Promise<string[]> {
  const rows = await db.selectFrom('deals').select('name').distinct().where('team_id', '=', owner.teamId).where('owner_id', 'in', [owner.userId, ...alsoOf]).execute();
  return nearestNames(typed, rows.map((r) => r.name));
}

/** The owner's open deals by name, with their latest case from the columns the assessment trigger keeps. */
const openDeals = preparedQuery((db, p: { teamId: string; userId: string }) =>
  db
    .selectFrom('deals')
    .select(['id', 'name', 'customer', 'updated_at', 'last_case_code', 'last_assessed_at', 'last_too_early'])
    .where('team_id', '=', p.teamId)
    .where('owner_id', '=', p.userId)
    .where('status', '=', OPEN)
    // In the index's order, so SQLite needs no sort: names compared without case.
    .orderBy('name_key'),
);

export async function listOpenDeals(db: Db, owner: Owner): Promise<DealSummary[]> {
  const rows = await openDeals(db, owner);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    customer: r.customer,
    caseCode: r.last_case_code,
    lastAssessedAt: r.last_assessed_at,
    tooEarly: r.last_too_early === 1,
    updatedAt: r.updated_at,
  }));
}

export async function closeDeal(db: Db, dealId: number, status: CloseStatus, reason: string | null, now: Date): Promise<void> {
  const at = now.toISOString();
  await db
    .updateTable('deals')
    .set({ status, close_reason: reason, closed_at: at, updated_at: at })
    .where('id', '=', dealId)
    .where('status', '=', 'open')
    .execute();
}
