import { listOpenDeals, type Owner } from '../db/repositories/deals.js';
import type { AppDeps } from './deps.js';
import { homeView } from './views/deals.js';

/** Publishes the person's Home tab as their deals stand now. */
export async function publishHome(deps: AppDeps, owner: Owner): Promise<void> {
  const { c, f } = await deps.readerFor(owner.teamId, owner.userId);
  await deps.client.views.publish({ user_id: owner.userId, view: homeView(c, f, await listOpenDeals(deps.db, owner)) });
}
