import type { WebClient } from '@slack/web-api';

/** Pages of history read while looking for a message (200 each): a busy channel, a long outage. */
const HISTORY_PAGES = 5;

/** What marks a message of ours in Slack, so that it can be found again: its kind and its own key. */
export interface PostedKey {
  eventType: string;
  key: string;
}

/** The message metadata that carries a key. */
export const keyMetadata = ({ eventType, key }: PostedKey) => ({ event_type: eventType, event_payload: { key } });

/**
 * Looks for a message we posted, by the key in its metadata, in a conversation between two times (Unix seconds):
 * how to tell whether a post that failed without a clear answer reached Slack after all. Returns its ts, or null.
 */
export async function findPosted(client: WebClient, channel: string, posted: PostedKey, window: { oldest: number; latest: number }): Promise<string | null> {
  for await (const ts of copiesOf(client, await conversationOf(client, channel), posted, window)) return ts;
  return null;
}

/**
 * Every copy of a message we posted in `conversation` (a channel id, see conversationOf), newest first, by the key
 * in its metadata (see findPosted): their ts.
 */
export async function findCopies(client: WebClient, conversation: string, posted: PostedKey, window: { oldest: number; latest: number }): Promise<string[]> {
  const found: string[] = [];
  for await (const ts of copiesOf(client, conversation, posted, window)) found.push(ts);
  return found;
}

/** The conversation a message was addressed to: a DM is addressed to the user (U…, or W… on Enterprise Grid). */
export async function conversationOf(client: WebClient, channel: string): Promise<string> {
  if (!/^[UW]/.test(channel)) return channel;
  return (await client.conversations.open({ users: channel })).channel?.id ?? channel;
}

async function* copiesOf(client: WebClient, channel: string, posted: PostedKey, window: { oldest: number; latest: number }): AsyncGenerator<string> {
  let cursor: string | undefined;
  for (let page = 0; page < HISTORY_PAGES; page++) {
    const history = await client.conversations.history({
      channel,
      oldest: String(window.oldest),
      latest: String(window.latest),
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    for (const m of history.messages ?? []) {
      const metadata = (m as { metadata?: { event_type?: string; event_payload?: { key?: string } } }).metadata;
      if (m.ts && metadata?.event_type === posted.eventType && metadata.event_payload?.key === posted.key) yield m.ts;
    }
    cursor = history.response_metadata?.next_cursor;
    if (!history.has_more || !cursor) return;
  }
}
