import type { AppDeps } from '../../deps.js';
import type { ListenerRouter } from '../router.js';
import { publishHome } from '../../home.js';

/** Slack sends app_home_opened every time the tab is shown, so the Home tab is always built fresh here. */
export function register(router: ListenerRouter, deps: AppDeps): void {
  router.event('app_home_opened', async ({ event, body, logger }) => {
    if (event.tab !== 'home') return;
    const owner = { teamId: (body as { team_id?: string }).team_id ?? '', userId: event.user };
    await publishHome(deps, owner).catch((err) => logger.warn('home publish failed', err));
  });
}
