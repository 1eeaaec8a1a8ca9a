import type { AppDeps } from '../../deps.js';
import type { ListenerRouter } from '../router.js';
import { section } from '../../views/blocks.js';
import { helpBlocks } from '../../views/deals.js';

/**
 * The bot's DM has a writable Messages tab, so a seller may type to it there. The bot acts on `/deal` commands
 * only: it answers such a message with how to use them rather than leave it unanswered.
 */
export function register(router: ListenerRouter, deps: AppDeps): void {
  router.event('message', async ({ event, body, logger }) => {
    // Edits, deletions and bots' messages come with a subtype or a bot_id. Our own are also dropped before this, by
    // Bolt's filter of the bot's own events (see ListenerRouter), when Slack leaves the bot_id out.
    if (event.channel_type !== 'im' || event.subtype !== undefined || 'bot_id' in event) return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    const { c } = await deps.readerFor(teamId, event.user);
    await deps.client.chat
      .postMessage({ channel: event.channel, text: c.messages.help.in_dm, blocks: [section(c.messages.help.in_dm), ...helpBlocks(c)] })
      .catch((err) => logger.warn('answering a direct message failed', err));
  });
}
