import { randomUUID } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import cron from 'node-cron';
import { acquireLease, releaseLease } from '../db/repositories/leases.js';
import { noticeTipChannelProblem } from './admin-notices.js';
import { checkRoster } from './check-roster.js';
import type { JobDeps } from './job-deps.js';
import { planDigests } from './plan-digests.js';
import { planNudges } from './plan-nudges.js';
import { planTips } from './plan-tips.js';
import { DEFAULT_SENDER_OPTIONS, drainOutbox, type SenderOptions } from './sender.js';

export const LEASE_NAME = 'scheduled-jobs';

export interface SchedulerDeps extends JobDeps {
  client: WebClient;
  logger: Logger;
  now: () => Date;
}

export interface SchedulerOptions {
  /** How often planning and sending run; each run plans what is due, so a missed run is caught up by the next. */
  tickSeconds: number;
  leaseSeconds: number;
  sender?: SenderOptions;
}

export interface Scheduler {
  /** One run of the jobs, as the schedule would do it; false when another process holds the lease or it could not be checked. */
  tick(): Promise<boolean>;
  /** Stops the schedule and waits for the in-flight send to finish. */
  stop(): Promise<void>;
}

function cronExpression(tickSeconds: number): string {
  return tickSeconds < 60 ? `*/${tickSeconds} * * * * *` : `*/${Math.max(1, Math.round(tickSeconds / 60))} * * * *`;
}

/** Runs the planning jobs and the outbox sender on node-cron, in one process at a time (a lease row decides which). */
export function startScheduler(deps: SchedulerDeps, options: SchedulerOptions): Scheduler {
  const holder = `${process.pid}-${randomUUID()}`;
  const leaseMs = options.leaseSeconds * 1000;
  let stopping = false;
  let running: Promise<boolean> | null = null;

  // Each job is named, logged, and its failure captured, so one broken job never stops the others.
  const job = async (name: string, run: () => Promise<number>) => {
    try {
      const planned = await run();
      if (planned > 0) deps.logger.info(`${name}: planned ${planned} message(s)`);
    } catch (err) {
      deps.logger.error(`${name} failed`, err);
    }
  };

  const runOnce = async (): Promise<boolean> => {
    if (!(await acquireLease(deps.db, LEASE_NAME, holder, deps.now(), leaseMs))) return false;
    const now = deps.now();
    await job('weekly-tip', () => planTips(deps, now));
    await job('stalled-deal-nudges', () => planNudges(deps, now));
    await job('manager-digests', () => planDigests(deps, now));
    await job('roster-check', () => checkRoster(deps, now));
    await job('outbox-sender', async () => {
      const result = await drainOutbox(
        {
          db: deps.db,
          client: deps.client,
          now: deps.now,
          logger: deps.logger,
          stopping: () => stopping,
          stillLeader: () => acquireLease(deps.db, LEASE_NAME, holder, deps.now(), leaseMs),
          onPermanentFailure: (row, reason) => noticeTipChannelProblem(deps, row, reason, deps.now()),
        },
        options.sender ?? DEFAULT_SENDER_OPTIONS,
      );
      if (result.sent + result.failed + result.withdrawn > 0) deps.logger.info(`outbox: ${result.sent} sent, ${result.failed} failed, ${result.retried} to retry, ${result.withdrawn} withdrawn`);
      return 0;
    });
    return true;
  };

  const tick = (): Promise<boolean> => {
    if (stopping) return Promise.resolve(false);
    // Runs never overlap: a tick during a long drain joins the one in progress. A run that cannot even take the
    // lease (the database locked or failing) is logged and tried again at the next tick, never left to crash the bot.
    running ??= runOnce()
      .catch((err) => {
        deps.logger.error('scheduled jobs could not run', err);
        return false;
      })
      .finally(() => (running = null));
    return running;
  };

  const task = cron.schedule(cronExpression(options.tickSeconds), () => void tick(), { name: 'deal-coach-jobs', timezone: 'UTC' });
  void tick();
  return {
    tick,
    async stop() {
      stopping = true;
      await task.stop();
      await running;
      // Hand over at once: another instance need not wait for the lease to expire.
      await releaseLease(deps.db, LEASE_NAME, holder).catch((err) => deps.logger.warn('could not hand back the jobs lease; it lapses by itself', err));
    },
  };
}
