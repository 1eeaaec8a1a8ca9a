import type { App } from '@slack/bolt';
import type { AppDeps } from '../deps.js';
import { register as registerDealActions } from './actions/deal-actions.js';
import { register as registerDealCommand } from './commands/deal.js';
import { register as registerAppHome } from './events/app-home.js';
import { register as registerDirectMessages } from './events/direct-messages.js';
import { register as registerUserChange } from './events/user-change.js';
import { register as registerAssessViews } from './views/assess.js';
import { register as registerDealModals } from './views/deal-modals.js';
import { register as registerSettings } from './views/settings.js';
import { register as registerNudgeActions } from './actions/nudge-actions.js';
import { ListenerRouter } from './router.js';

/** Wires every listener; each surface's folder exports one register(). Views, actions and events go through one router each. */
export function registerListeners(app: App, deps: AppDeps): void {
  registerDealCommand(app, deps);
  const router = new ListenerRouter();
  registerAppHome(router, deps);
  registerDirectMessages(router, deps);
  registerUserChange(router, deps);
  registerAssessViews(router, deps);
  registerDealModals(router, deps);
  registerSettings(router, deps);
  registerNudgeActions(router, deps);
  registerDealActions(router, deps);
  router.mount(app);
}
