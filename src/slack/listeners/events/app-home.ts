import type { App } from '@slack/bolt';
import { refreshHome } from '../../assessment-flow.js';
import type { AppDeps } from '../../deps.js';

export function register(app: App, deps: AppDeps): void {
  app.event('app_home_opened', async ({ event, body, client, logger }) => {
    if (event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    await refreshHome(deps, client, { teamId, userId: event.user }).catch((err) => logger.warn('home publish failed', err));
  });
}
