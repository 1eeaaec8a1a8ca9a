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
  // A DM is addressed to the user (U…, or W… on Enterprise Grid); its history is the DM channel's.
  if (/^[UW]/.test(channel)) channel = (await client.conversations.open({ users: channel })).channel?.id ?? channel;
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
    const found = history.messages?.find((m) => {
      const metadata = (m as { metadata?: { event_type?: string; event_payload?: { key?: string } } }).metadata;
      return metadata?.event_type === posted.eventType && metadata.event_payload?.key === posted.key;
    });
    if (found) return found.ts ?? null;
    cursor = history.response_metadata?.next_cursor;
    if (!history.has_more || !cursor) return null;
  }
  return null;
}
