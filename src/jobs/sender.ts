import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Logger } from '@slack/bolt';
import type { Db } from '../db/create-db.js';
import { findPosted, keyMetadata } from '../slack/find-posted.js';
import { outdated } from './outdated.js';
import { CHANNEL_REFUSALS, mayHaveLanded } from '../slack/slack-errors.js';
import { claim, dueMessages, markFailed, markSent, nextDueAt, postingAt, retryLater, withdraw, type OutboxRow } from '../db/repositories/outbox.js';

/** Slack errors that will not go away by retrying: the message is marked failed with the reason. */
const PERMANENT_ERRORS: ReadonlySet<string> = new Set([...CHANNEL_REFUSALS, 'user_not_found', 'cannot_dm_bot', 'account_inactive']);
export const METADATA_EVENT = 'deal_coach_outbox';

export interface SenderDeps {
  db: Db;
  /** A client without its own retries: the sender decides when to try again. */
  client: WebClient;
  now: () => Date;
  logger: Logger;
  /** Checked between messages, so shutdown lets an in-flight send finish and stops there. */
  stopping: () => boolean;
  /** Called before each message (the scheduler renews its lease here); false means stop now. */
  stillLeader: () => Promise<boolean>;
  /** Told of every permanent failure (a tip channel the bot is not in becomes an admin notice). */
  onPermanentFailure?: (row: OutboxRow, reason: string) => Promise<void>;
}

export interface SenderOptions {
  /** Slack allows about one message per second per channel. */
  channelIntervalMs: number;
  /** Channels served in parallel. */
  concurrency: number;
  /** Tries of a message Slack refused with an error about the call itself (an outage is waited out longer). */
  maxAttempts: number;
  /** How long a drain waits for messages that are due soon (a 429's Retry-After) before leaving them to the next tick. */
  maxWaitMs: number;
}

export const DEFAULT_SENDER_OPTIONS: SenderOptions = { channelIntervalMs: 1_000, concurrency: 8, maxAttempts: 6, maxWaitMs: 30_000 };

export interface DrainResult {
  sent: number;
  failed: number;
  retried: number;
  /** Messages dropped unsent as no longer right (see outdated); a digest's parts count once. */
  withdrawn: number;
}

/** Waits `ms`, or less if shutdown begins meanwhile: a stopping process waits only for the send in flight. */
async function pause(ms: number, stopping: () => boolean): Promise<void> {
  for (const end = Date.now() + ms; !stopping() && Date.now() < end; ) await new Promise((r) => setTimeout(r, Math.min(50, end - Date.now())));
}

interface SlackError {
  code?: string;
  data?: { error?: string };
  retryAfter?: number;
  statusCode?: number;
  message?: string;
}

/** How long a claimed message is held back from every sender: far longer than one send, timeouts included. */
const CLAIM_HOLD_MS = 30_000;
/**
 * How long a post without a clear answer is given to land before it is looked for: Slack may store a message it
 * received well after our client stopped waiting for the answer.
 */
const SETTLE_MS = 60_000;
/** How long after its claim a message can have landed: the post's own timeout, with a wide margin. */
const LANDING_WINDOW_S = 300;
/**
 * How long a message is retried through a Slack outage or a network failure (no answer, a 5xx, Slack's own error)
 * before it is given up: a nudge or digest a day late is still worth having. An error about the call itself is
 * tried only `maxAttempts` times.
 */
const OUTAGE_PATIENCE_MS = 24 * 60 * 60 * 1000;

const outboxKey = (row: OutboxRow) => ({ eventType: METADATA_EVENT, key: row.dedupe_key });

/**
 * A message left 'sending' (a process that died mid-send, or a send whose answer never came) may or may not have
 * reached Slack. Look for it by its key in the conversation, around the time it was claimed, before sending again.
 */
function alreadyDelivered(deps: SenderDeps, row: OutboxRow): Promise<string | null> {
  const claimed = Date.parse(row.claimed_at ?? row.created_at) / 1000;
  return findPosted(deps.client, row.channel, outboxKey(row), { oldest: claimed - 60, latest: claimed + LANDING_WINDOW_S });
}

async function sendOne(deps: SenderDeps, options: SenderOptions, row: OutboxRow, result: DrainResult): Promise<number> {
  // Another sender got to it first (a second instance whose lease overlapped ours): it is theirs.
  if (!(await claim(deps.db, row, deps.now(), CLAIM_HOLD_MS))) return 0;
  // Whether Slack may hold the message: a 'sending' row not yet looked up, or a post whose outcome we did not learn.
  let unsure = row.status === 'sending';
  let postedAt: Date | undefined;
  try {
    if (unsure) {
      const ts = await alreadyDelivered(deps, row);
      if (ts) {
        await markSent(deps.db, row, ts, deps.now());
        result.sent++;
        return 0;
      }
      await postingAt(deps.db, row.id, deps.now());
    }
    // Surely not in Slack, and no longer right (see outdated): a nudge whose deal or owner moved on, a digest whose team changed.
    if (await outdated(deps.db, row, deps.now())) {
      await withdraw(deps.db, row);
      result.withdrawn++;
      return 0;
    }
    unsure = true;
    postedAt = deps.now();
    const payload = JSON.parse(row.payload) as { text: string; blocks: unknown[] };
    let res;
    try {
      res = await deps.client.chat.postMessage({
        channel: row.channel,
        text: payload.text,
        blocks: payload.blocks as never,
        metadata: keyMetadata(outboxKey(row)),
      });
    } catch (refused) {
      unsure = mayHaveLanded(refused);
      throw refused;
    }
    await markSent(deps.db, row, res.ts ?? null, deps.now());
    result.sent++;
    return 0;
  } catch (raw) {
    const err = raw as SlackError;
    const reason = err.data?.error ?? err.code ?? err.message ?? 'unknown';
    // An unsure message stays 'sending', so that the next attempt looks for it before posting again, once a post
    // just made has had time to land.
    const status = unsure ? 'sending' : 'pending';
    const notBefore = (ms: number) => new Date(Math.max(deps.now().getTime() + ms, unsure && postedAt ? postedAt.getTime() + SETTLE_MS : 0));
    if (err.code === ErrorCode.PlatformError && PERMANENT_ERRORS.has(reason)) {
      await markFailed(deps.db, row, reason);
      result.failed++;
      await deps.onPermanentFailure?.(row, reason);
      return 0;
    }
    if (err.code === ErrorCode.RateLimitedError) {
      const waitMs = (err.retryAfter ?? 1) * 1000;
      await retryLater(deps.db, row.id, { at: notBefore(waitMs), reason: 'ratelimited', countAttempt: false, status });
      result.retried++;
      return waitMs;
    }
    // 5xx, timeouts and other errors: back off; give up once an outage has lasted a day, or after a few refusals.
    const outage = mayHaveLanded(raw);
    if (outage ? deps.now().getTime() - Date.parse(row.created_at) >= OUTAGE_PATIENCE_MS : row.attempts + 1 >= options.maxAttempts) {
      await markFailed(deps.db, row, outage ? `gave up after a day of failures: ${reason}` : `gave up after ${options.maxAttempts} attempts: ${reason}`);
      result.failed++;
      return 0;
    }
    const backoffMs = Math.min(2 ** row.attempts * 1_000, 300_000);
    await retryLater(deps.db, row.id, { at: notBefore(backoffMs), reason, countAttempt: true, status });
    result.retried++;
    deps.logger.warn(`outbox ${row.dedupe_key}: ${reason}, retrying in ${backoffMs} ms`);
    return 0;
  }
}

/** Sends due outbox messages at Slack's pace until none are due soon, the process stops, or leadership is lost. */
export async function drainOutbox(deps: SenderDeps, options: SenderOptions = DEFAULT_SENDER_OPTIONS): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, failed: 0, retried: 0, withdrawn: 0 };
  const nextFree = new Map<string, number>();
  // A 429 is Slack asking the whole app to slow down: every worker waits out the Retry-After, not only its channel.
  let pausedUntil = 0;
  let stop = false;
  while (!stop && !deps.stopping()) {
    const due = await dueMessages(deps.db, deps.now(), 500);
    if (due.length === 0) {
      const next = await nextDueAt(deps.db);
      const wait = next ? Date.parse(next) - deps.now().getTime() : Infinity;
      if (wait > options.maxWaitMs) break;
      await pause(Math.max(wait, 10), deps.stopping);
      continue;
    }
    // One queue per channel, served in order; channels go in parallel up to the concurrency limit.
    const byChannel = new Map<string, OutboxRow[]>();
    for (const row of due) {
      if (!byChannel.has(row.channel)) byChannel.set(row.channel, []);
      byChannel.get(row.channel)!.push(row);
    }
    const queues = [...byChannel.entries()];
    const worker = async () => {
      for (let q = queues.shift(); q && !stop && !deps.stopping(); q = queues.shift()) {
        const [channel, rows] = q;
        for (const row of rows) {
          if (stop || deps.stopping()) return;
          const wait = Math.max(nextFree.get(channel) ?? 0, pausedUntil) - Date.now();
          if (wait > 0) await pause(wait, deps.stopping);
          if (deps.stopping()) return;
          // Leadership is checked right before each send: a lease lost while waiting stops us before we post.
          if (!(await deps.stillLeader())) {
            stop = true;
            return;
          }
          const holdMs = await sendOne(deps, options, row, result);
          if (holdMs > 0) pausedUntil = Math.max(pausedUntil, Date.now() + holdMs);
          nextFree.set(channel, Date.now() + Math.max(options.channelIntervalMs, holdMs));
          if (holdMs > 0) break;
        }
      }
    };
    // A worker that fails (the database, say) stops the others, and the drain returns only once all have stopped:
    // none may go on sending while the next drain reads the same rows.
    const ended = await Promise.allSettled(
      Array.from({ length: options.concurrency }, () =>
        worker().catch((err: unknown) => {
          stop = true;
          throw err;
        }),
      ),
    );
    const failed = ended.find((e) => e.status === 'rejected');
    if (failed) throw failed.reason;
  }
  return result;
}
