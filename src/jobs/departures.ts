import { fill, type Content } from '../content/load.js';
import type { Db } from '../db/create-db.js';
import { enqueue } from '../db/repositories/outbox.js';
import { markLeft } from '../db/repositories/teams.js';
import { noticesTo } from './admin-notices.js';

/**
 * Someone deactivated in Slack leaves every team, and their managers' notices are written to the outbox in the same
 * transaction, so neither happens without the other; they are nudged no more. Returns the notices written.
 */
export async function recordDeparture(deps: { db: Db; content: Content }, teamId: string, userId: string, now: Date): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const managers = await markLeft(trx, teamId, userId, now);
    const notices = await noticesTo(trx, deps.content, teamId, managers, {
      key: (manager) => `left:${teamId}:${userId}:${now.toISOString()}:${manager}`,
      text: (c) => fill(c.messages.team.report_left, { user: userId }),
    });
    return enqueue(trx, notices, now);
  });
}
