import type { Logger } from '@slack/bolt';
import { ErrorCode, type WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import { findPosted, keyMetadata, type PostedKey } from './find-posted.js';
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
const RESULT_EVENT = 'deal_coach_result';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Posts one result DM, trying again after a 429 or a failure without a clear answer (a 5xx, a timeout). Slack may
 * have stored a post it did not confirm, so before posting again the DM is searched for the result's key: the
 * seller gets one copy, not two.
 */
async function deliver(client: WebClient, userId: string, assessmentId: number, message: Message, stopped: () => boolean): Promise<void> {
  const posted: PostedKey = { eventType: RESULT_EVENT, key: `assessment:${assessmentId}` };
  // A minute either side of the first try, for the clocks of Slack and this machine.
  const oldest = Date.now() / 1000 - 60;
  for (let tries = 1; ; tries++) {
    try {
      await client.chat.postMessage({ channel: userId, ...message, metadata: keyMetadata(posted) });
      return;
    } catch (err) {
      const rateLimited = (err as { code?: string }).code === ErrorCode.RateLimitedError;
      if (tries >= MAX_TRIES || stopped() || !(rateLimited || mayHaveLanded(err))) throw err;
      if (rateLimited) {
        // Slack did nothing: post again once it lets us.
        await sleep((err as WebAPIRateLimitedError).retryAfter * 1000);
        continue;
      }
      await sleep(SETTLE_MS);
      if (await findPosted(client, userId, posted, { oldest, latest: Date.now() / 1000 + 60 })) return;
    }
  }
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
export function createResultDms(deps: { client: WebClient; logger: Logger; intervalMs?: number }): ResultDms {
  const intervalMs = deps.intervalMs ?? DM_INTERVAL_MS;
  const channels = new Map<string, Channel>();
  // Stopping: no new results are taken. Stopped: nothing more is sent.
  let stopping = false;
  let stopped = false;

  const schedule = (userId: string, channel: Channel) => {
    if (channel.timer || channel.sending || stopped) return;
    const wait = Math.max(0, channel.freeAt - Date.now());
    channel.timer = setTimeout(() => {
      channel.timer = undefined;
      const next = channel.queue.entries().next();
      // Nothing waited for the pause: the channel is forgotten, and its next message may go at once.
      if (next.done) return void channels.delete(userId);
      const [dealId, { assessmentId, build, onFailure }] = next.value;
      channel.queue.delete(dealId);
      channel.sending = true;
      deliver(deps.client, userId, assessmentId, build(), () => stopped)
        .catch(async (err) => {
          deps.logger.warn('result DM failed', err);
          await onFailure?.().catch((notTold) => deps.logger.warn('could not tell the user their result DM failed', notTold));
        })
        .finally(() => {
          channel.sending = false;
          channel.freeAt = Date.now() + intervalMs;
          schedule(userId, channel);
        });
    }, wait).unref();
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
      return dropped;
    },
  };
}
