import { sql, type ExpressionBuilder, type Insertable, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../create-db.js';
import type { Database, OutboxKind, OutboxTable } from '../schema.js';

export type OutboxRow = Selectable<OutboxTable>;

export interface PlannedMessage {
  teamId: string;
  key: string;
  kind: OutboxKind;
  channel: string;
  payload: { text: string; blocks: unknown[] };
  /** The deal the message is about, if it is about one as it stood when planned (a nudge). */
  dealId?: number;
}

/** Records planned messages; a key already recorded is left alone, so planning twice sends nothing twice. */
export async function enqueue(db: Db | Transaction<Database>, messages: PlannedMessage[], now: Date): Promise<number> {
  if (messages.length === 0) return 0;
  const at = now.toISOString();
  const rows: Insertable<OutboxTable>[] = messages.map((m) => ({
    team_id: m.teamId,
    dedupe_key: m.key,
    kind: m.kind,
    channel: m.channel,
    payload: JSON.stringify(m.payload),
    next_attempt_at: at,
    created_at: at,
    deal_id: m.dealId ?? null,
  }));
  let added = 0;
  // SQLite caps bound parameters per statement; 100 rows of 8 values stays well inside it.
  for (let i = 0; i < rows.length; i += 100) {
    const result = await db.insertInto('outbox').values(rows.slice(i, i + 100)).onConflict((oc) => oc.column('dedupe_key').doNothing()).executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

export async function existingKeys(db: Db | Transaction<Database>, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db.selectFrom('outbox').select('dedupe_key').where('dedupe_key', 'in', keys.slice(i, i + 500)).execute();
    for (const r of rows) found.add(r.dedupe_key);
  }
  return found;
}

/**
 * Whether another part of the same digest, or one before it, is in one of these states: a long digest's parts are
 * planned together, for one manager of one workspace, at one time.
 */
const digestPart = (which: 'other' | 'earlier', statuses: OutboxRow['status'][]) =>
  sql<boolean>`exists (select 1 from outbox as part where part.kind = 'digest' and part.status in (${sql.join(statuses)})
    and part.team_id = outbox.team_id and part.channel = outbox.channel and part.created_at = outbox.created_at
    and ${which === 'earlier' ? sql`part.id < outbox.id` : sql`part.id <> outbox.id`})`;

/** The parts of the digest `row` belongs to that have not gone out yet, this one included. */
const unsentPartsOf = (row: OutboxRow) => (eb: ExpressionBuilder<Database, 'outbox'>) =>
  eb.and([eb('kind', '=', 'digest'), eb('team_id', '=', row.team_id), eb('channel', '=', row.channel), eb('created_at', '=', row.created_at), eb('status', 'in', ['pending', 'sending'])]);

/**
 * Withdraws the digests planned for these managers that have not reached them, so that the next planning writes them
 * afresh: after a change of team, a digest held up by a Slack outage does not show deals its reader may no longer
 * see. A digest never tried is deleted. One with a part that may be in Slack already (a try went unanswered) has
 * every part not sent marked stale, for the sender to keep whole if it finds that part posted (see markSent) and to
 * withdraw otherwise. A digest with a part already sent is left whole.
 */
export async function withdrawDigests(db: Db | Transaction<Database>, teamId: string, managerIds: string[]): Promise<void> {
  if (managerIds.length === 0) return;
  await db
    .deleteFrom('outbox')
    .where('team_id', '=', teamId)
    .where('kind', '=', 'digest')
    .where('channel', 'in', managerIds)
    .where('status', '=', 'pending')
    .where(({ not }) => not(digestPart('other', ['sent', 'sending'])))
    .execute();
  await db
    .updateTable('outbox')
    .set({ stale: 1 })
    .where('team_id', '=', teamId)
    .where('kind', '=', 'digest')
    .where('channel', 'in', managerIds)
    .where('status', 'in', ['pending', 'sending'])
    .where(({ not }) => not(digestPart('other', ['sent'])))
    .execute();
}

/**
 * Drops a message that was never posted and no longer holds, and with a digest's part the parts still to go, in one
 * statement, so that none of them is left behind. Planning writes it again if it comes to hold (a digest from its
 * team as it is then, a nudge once its owner unmutes or their snooze ends); a nudge whose deal moved on has a new key.
 */
export async function withdraw(db: Db, row: OutboxRow): Promise<void> {
  if (row.kind === 'digest') await db.deleteFrom('outbox').where(unsentPartsOf(row)).execute();
  else await db.deleteFrom('outbox').where('id', '=', row.id).where('status', '=', 'sending').execute();
}

/**
 * A message the sender may take: waiting or unsure, and not a part of a long digest behind a part not yet sent, so
 * that the parts arrive in order, and a part whose post went unanswered is known to be in Slack or not before the
 * rest follow it or are withdrawn with it.
 */
const sendable = (eb: ExpressionBuilder<Database, 'outbox'>) =>
  eb.and([eb('status', 'in', ['pending', 'sending']), eb.or([eb('kind', '<>', 'digest'), eb.not(digestPart('earlier', ['pending', 'sending']))])]);

/** Messages due now, oldest first; a message left 'sending' comes back once its claim has lapsed (see claim). */
export async function dueMessages(db: Db, now: Date, limit: number): Promise<OutboxRow[]> {
  return db.selectFrom('outbox').selectAll().where(sendable).where('next_attempt_at', '<=', now.toISOString()).orderBy('id').limit(limit).execute();
}

/** When the next message becomes due, if any is waiting. */
export async function nextDueAt(db: Db): Promise<string | undefined> {
  const next = await db.selectFrom('outbox').select('next_attempt_at').where(sendable).orderBy('next_attempt_at').limit(1).executeTakeFirst();
  return next?.next_attempt_at;
}

/**
 * Claims a message for one send, if it is still as it was read: of two senders that read it, only one gets it. The
 * claim also holds it back from every sender for `holdMs`, longer than any send takes: a message claimed by a
 * process that dies comes back after that, and is looked for in Slack before it is sent again. A message already
 * 'sending' keeps the time of the post that may have landed, which is where the lookup looks (see postingAt).
 */
export async function claim(db: Db, row: OutboxRow, now: Date, holdMs: number): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'sending', claimed_at: row.status === 'pending' ? now.toISOString() : row.claimed_at, next_attempt_at: new Date(now.getTime() + holdMs).toISOString() })
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .where('next_attempt_at', '=', row.next_attempt_at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records when a message that was looked for, and not found, is posted again. */
export async function postingAt(db: Db, id: number, now: Date): Promise<void> {
  await db.updateTable('outbox').set({ claimed_at: now.toISOString() }).where('id', '=', id).execute();
}

/**
 * Records a message as posted. A digest with a part out is kept whole: the parts still to go lose any stale mark a
 * team change gave them meanwhile, in the same transaction, so that the rest of the digest follows this part.
 */
export async function markSent(db: Db, row: OutboxRow, messageTs: string | null, now: Date): Promise<void> {
  const sent = (to: Db | Transaction<Database>) =>
    to.updateTable('outbox').set({ status: 'sent', message_ts: messageTs, sent_at: now.toISOString(), last_error: null }).where('id', '=', row.id).execute();
  if (row.kind !== 'digest') return void (await sent(db));
  await db.transaction().execute(async (trx) => {
    await sent(trx);
    await trx.updateTable('outbox').set({ stale: 0 }).where(unsentPartsOf(row)).execute();
  });
}

/** Records a message as given up; with a digest's part, the parts still to go too, so that none goes out without it. */
export async function markFailed(db: Db, row: OutboxRow, reason: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'failed', last_error: reason })
    .where((eb) => (row.kind === 'digest' ? unsentPartsOf(row)(eb) : eb('id', '=', row.id)))
    .execute();
}

/**
 * Puts a message back in the queue for a later attempt: 'pending' when Slack surely does not have it, 'sending' when
 * it may, so that the attempt looks for it first.
 */
export async function retryLater(db: Db, id: number, retry: { at: Date; reason: string; countAttempt: boolean; status: 'pending' | 'sending' }): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({ status: retry.status, next_attempt_at: retry.at.toISOString(), last_error: retry.reason, attempts: retry.countAttempt ? eb('attempts', '+', 1) : eb.ref('attempts') }))
    .where('id', '=', id)
    .execute();
}

export async function recentFailures(db: Db, teamId: string, limit = 20): Promise<OutboxRow[]> {
  return db.selectFrom('outbox').selectAll().where('team_id', '=', teamId).where('status', '=', 'failed').orderBy('id', 'desc').limit(limit).execute();
}
