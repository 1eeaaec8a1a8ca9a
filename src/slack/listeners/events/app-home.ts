import type { App } from '@slack/bolt';
import { listOpenDeals } from '../../../db/repositories/deals.js';
import type { AppDeps } from '../../deps.js';
import { homeView } from '../../views/deals.js';

/** Slack sends app_home_opened every time the tab is shown, so the Home tab is always built fresh here. */
export function register(app: App, deps: AppDeps): void {
  app.event('app_home_opened', async ({ event, body, client, logger }) => {
    if (event.tab !== 'home') return;
    const owner = { teamId: (body as { team_id?: string }).team_id ?? '', userId: event.user };
    try {
      const { c, f } = await deps.readerFor(owner.teamId, owner.userId);
      await client.views.publish({ user_id: owner.userId, view: homeView(c, f, await listOpenDeals(deps.db, owner)) });
    } catch (err) {
      logger.warn('home publish failed', err);
    }
  });
}
