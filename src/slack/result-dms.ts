import type { Logger } from '@slack/bolt';
import { ErrorCode, type WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import { conversationOf, findCopies, findPosted, keyMetadata, type PostedKey } from './find-posted.js';
import { mayHaveLanded } from './slack-errors.js';
import type { AnyBlock } from './views/blocks.js';

type Message = { text: string; blocks: AnyBlock[] };
/** One result waiting for its channel: its assessment, how to build it, and whom to tell if Slack refuses it for good. */
type Pending = { assessmentId: number; build: () => Message; onFailure?: () => Promise<unknown> };

/** Slack takes about one message per second in a channel, a DM included. */
export const DM_INTERVAL_MS = 1_000;
/** Tries of one result DM, while Slack asks us to slow down or fails without a clear answer. */
const MAX_TRIES = 4;
/** How long a post that failed without a clear answer is given to land before it is looked for in the DM. */
const SETTLE_MS = 1_000;
/**
 * How long after the first try Slack may still store a post it did not confirm, which the search above can miss:
 * then the DM is looked at again and any second copy deleted.
 */
export const TIDY_AFTER_MS = 60_000;
const RESULT_EVENT = 'deal_coach_result';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Where in the DM's history to look for a result first tried at `firstTryAt`: a minute either side, for the clocks of Slack and this machine. */
const landingWindow = (firstTryAt: number) => ({ oldest: firstTryAt / 1000 - 60, latest: Date.now() / 1000 + 60 });

/** Where a result DM landed, and whether an earlier try may still land beside it (see TIDY_AFTER_MS). */
interface Delivered {
  channel: string;
  ts: string;
  firstTryAt: number;
  mayHaveCopies: boolean;
}

/**
 * Posts one result DM, trying again after a 429 or a failure without a clear answer (a 5xx, a timeout). Slack may
 * have stored a post it did not confirm, so before posting again the DM is searched for the result's key: the
 * seller gets one copy, not two.
 */
async function deliver(client: WebClient, userId: string, posted: PostedKey, message: Message, stopped: () => boolean): Promise<Delivered> {
  const firstTryAt = Date.now();
  let unconfirmed = 0;
  for (let tries = 1; ; tries++) {
    try {
      const res = await client.chat.postMessage({ channel: userId, ...message, metadata: keyMetadata(posted) });
      return { channel: res.channel ?? userId, ts: res.ts ?? '', firstTryAt, mayHaveCopies: unconfirmed > 0 };
    } catch (err) {
      const rateLimited = (err as { code?: string }).code === ErrorCode.RateLimitedError;
      if (tries >= MAX_TRIES || stopped() || !(rateLimited || mayHaveLanded(err))) throw err;
      if (rateLimited) {
        // Slack did nothing: post again once it lets us.
        await sleep((err as WebAPIRateLimitedError).retryAfter * 1000);
        continue;
      }
      unconfirmed++;
      await sleep(SETTLE_MS);
      // A lookup Slack refuses or leaves unanswered tells nothing: the next try posts again, and the copy that may
      // make is looked for and deleted later, as for any unconfirmed try.
      const ts = await findPosted(client, userId, posted, landingWindow(firstTryAt)).catch(() => undefined);
      // Found: one copy is there; another unconfirmed try may still land beside it.
      if (ts) return { channel: userId, ts, firstTryAt, mayHaveCopies: unconfirmed > 1 };
    }
  }
}

/** Deletes every copy of a result DM but the one we know of: an unconfirmed try that Slack stored late. */
async function removeCopies(client: WebClient, posted: PostedKey, delivered: Delivered): Promise<number> {
  const channel = await conversationOf(client, delivered.channel);
  const copies = await findCopies(client, channel, posted, landingWindow(delivered.firstTryAt));
  // Never the last copy: if the one we know of is not seen, nothing is deleted.
  if (!copies.includes(delivered.ts)) return 0;
  const extra = copies.filter((ts) => ts !== delivered.ts);
  for (const ts of extra) await client.chat.delete({ channel, ts });
  return extra.length;
}

export interface ResultDms {
  /**
   * Sends the result of an assessment to its owner's DM, now or as soon as the channel allows. `build` runs when
   * the message goes out; a newer result for the same deal replaces one still waiting. `onFailure` runs when the message could not be sent, retries included.
   */
  send(userId: string, dealId: number, assessmentId: number, build: () => Message, onFailure?: () => Promise<unknown>): void;
  /**
   * Takes no more results, lets those waiting go out at the channels' pace for up to `waitMs`, then stops. Returns
   * how many were still waiting (the modal and the history already hold them).
   */
  stop(waitMs?: number): Promise<number>;
}

export interface ResultDmTiming {
  /** Time between two result DMs in one conversation; Slack's pace unless a test needs a wider window. */
  intervalMs?: number;
  /** When to look for late copies of an unconfirmed DM, after its first try (TIDY_AFTER_MS unless a test shortens it). */
  tidyAfterMs?: number;
}

interface Channel {
  /** When the channel may take the next message. */
  freeAt: number;
  /** Waiting results by deal, oldest first. */
  queue: Map<number, Pending>;
  timer?: NodeJS.Timeout;
  /** A send (with its retries) still under way: the next waits for it, so an older result never lands last. */
  sending?: boolean;
}

/** Paces result DMs per channel, so a burst of assessments never meets Slack's rate limit. */
export function createResultDms(deps: { client: WebClient; logger: Logger } & ResultDmTiming): ResultDms {
  const intervalMs = deps.intervalMs ?? DM_INTERVAL_MS;
  const tidyAfterMs = deps.tidyAfterMs ?? TIDY_AFTER_MS;
  const channels = new Map<string, Channel>();
  const tidies = new Set<NodeJS.Timeout>();
  // Stopping: no new results are taken. Stopped: nothing more is sent.
  let stopping = false;
  let stopped = false;

  const schedule = (userId: string, channel: Channel) => {
    if (channel.timer || channel.sending || stopped) return;
    const wait = Math.max(0, channel.freeAt - Date.now());
    const sendNext = () => {
      channel.timer = undefined;
      if (stopped) return;
      const next = channel.queue.entries().next();
      // Nothing waited for the pause: the channel is forgotten, and its next message may go at once.
      if (next.done) return void channels.delete(userId);
      const [dealId, { assessmentId, build, onFailure }] = next.value;
      channel.queue.delete(dealId);
      channel.sending = true;
      const posted: PostedKey = { eventType: RESULT_EVENT, key: `assessment:${assessmentId}` };
      deliver(deps.client, userId, posted, build(), () => stopped)
        .then((delivered) => {
          if (delivered.mayHaveCopies) tidyLater(posted, delivered);
        })
        .catch(async (err) => {
          deps.logger.warn('result DM failed', err);
          await onFailure?.().catch((notTold) => deps.logger.warn('could not tell the user their result DM failed', notTold));
        })
        .finally(() => {
          channel.sending = false;
          channel.freeAt = Date.now() + intervalMs;
          schedule(userId, channel);
        });
    };
    // A DM is background work: it goes out after the requests already waiting are read (a timer runs before the event
    // loop reads its sockets, an immediate after), so that no seller's click waits behind another seller's DM.
    channel.timer = setTimeout(() => setImmediate(sendNext), wait).unref();
  };

  const tidyLater = (posted: PostedKey, delivered: Delivered) => {
    const timer = setTimeout(() => {
      tidies.delete(timer);
      removeCopies(deps.client, posted, delivered).then(
        (removed) => {
          if (removed) deps.logger.info(`removed ${removed} late copies of a result DM`);
        },
        (err) => deps.logger.warn('could not look for late copies of a result DM', err),
      );
    }, Math.max(0, delivered.firstTryAt + tidyAfterMs - Date.now())).unref();
    tidies.add(timer);
  };

  return {
    send(userId, dealId, assessmentId, build, onFailure) {
      if (stopping) return;
      let channel = channels.get(userId);
      if (!channel) channels.set(userId, (channel = { freeAt: 0, queue: new Map() }));
      channel.queue.delete(dealId);
      channel.queue.set(dealId, { assessmentId, build, onFailure });
      schedule(userId, channel);
    },
    async stop(waitMs = 0) {
      stopping = true;
      const idle = () => [...channels.values()].every((ch) => ch.queue.size === 0 && !ch.sending);
      for (const end = Date.now() + waitMs; !idle() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
      stopped = true;
      let dropped = 0;
      for (const channel of channels.values()) {
        clearTimeout(channel.timer);
        dropped += channel.queue.size;
      }
      channels.clear();
      for (const timer of tidies) clearTimeout(timer);
      tidies.clear();
      return dropped;
    },
  };
}
