import type { Middleware, AnyMiddlewareArgs } from '@slack/bolt';

/**
 * Slack redelivers an event it thinks we missed (X-Slack-Retry-Num); Bolt does not de-duplicate.
 * Remember recent event ids and skip a delivery we have already handled.
 */
export function dropRetriedEvents(capacity = 5_000): Middleware<AnyMiddlewareArgs> {
  const seen = new Set<string>();
  return async ({ body, next }) => {
    const eventId = (body as { event_id?: string }).event_id;
    if (eventId) {
      if (seen.has(eventId)) return;
      seen.add(eventId);
      if (seen.size > capacity) seen.delete(seen.values().next().value!);
    }
    await next();
  };
}
