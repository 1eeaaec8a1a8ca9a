import { ErrorCode } from '@slack/web-api';
import dotenv from 'dotenv';
import { ConfigError, databaseOpenFailure, loadConfig } from './config.js';
import { ContentError, loadContent } from './content/load.js';
import { createDb } from './db/create-db.js';
import { migrateToLatest } from './db/migrate.js';
import { startScheduler } from './jobs/scheduler.js';
import { createApp } from './slack/app.js';
import { serveHealth } from './slack/health.js';

/**
 * How long a stop lets result DMs still waiting for their channel's turn go out (a reassessment's DM or two), and
 * other work after an answer finish: well inside the time an orchestrator gives a process to stop.
 */
const RESULT_DM_STOP_WAIT_MS = 3_000;

/** Composition root: config -> db -> migrate -> content -> app -> listeners -> jobs; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const config = loadConfig();
  const db = openDatabase(config.DATABASE_PATH);
  await migrateToLatest(db);
  const content = loadContent();
  const { app, deps } = createApp({ config, db, content });
  // Before connecting to Slack, so that a port in use stops start-up without touching it.
  const health = config.SLACK_APP_TOKEN ? await serveHealth(db, config.PORT) : undefined;
  await app.init();
  await app.start(config.PORT);
  const mode = config.SLACK_APP_TOKEN ? 'Socket Mode' : `HTTP mode on port ${config.PORT}`;
  app.logger.info(`Deal Coach is running (${mode}), database ${config.DATABASE_PATH}`);
  const scheduler = startScheduler(
    { db, content, client: deps.fastClient, logger: app.logger, now: deps.now },
    { tickSeconds: config.JOB_TICK_SECONDS, leaseSeconds: config.JOB_LEASE_SECONDS },
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info(`${signal}: shutting down`);
    await scheduler.stop();
    // No new requests first, so no new results while those still waiting for their DM's turn go out.
    await app.stop().catch(() => undefined);
    const [dropped, unfinished] = await Promise.all([deps.resultDms.stop(RESULT_DM_STOP_WAIT_MS), deps.afterAck.settled(RESULT_DM_STOP_WAIT_MS)]);
    if (dropped) app.logger.info(`${dropped} result DM(s) not sent: their channels were still paced`);
    if (unfinished) app.logger.warn(`${unfinished} piece(s) of work after an answer did not finish in time`);
    health?.close();
    deps.fastClient.close();
    await db.destroy();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Opens the database file; one that cannot be opened or created is a setting to fix, and named as such. */
function openDatabase(file: string) {
  try {
    return createDb(file);
  } catch (err) {
    throw new ConfigError(databaseOpenFailure(file, err));
  }
}

/** Why start-up failed, in words an operator can act on, without a stack trace. */
function startupFailure(err: unknown): string {
  // Settings and content mistakes are the operator's to fix: the error says what.
  if (err instanceof ConfigError || err instanceof ContentError) return err.message;
  const { code, port, data, original } = err as { code?: string; port?: number; data?: { error?: string }; original?: Error };
  if (code === 'EADDRINUSE') return `Deal Coach cannot start: port ${port} is in use. Set PORT to a free port.`;
  if (code === ErrorCode.RequestError) return `Deal Coach cannot start: Slack's Web API did not answer (${original?.message}). Check the network and, if set, SLACK_API_URL.`;
  if (code === ErrorCode.PlatformError) return `Deal Coach cannot start: Slack refused its tokens (${data?.error}). Check SLACK_BOT_TOKEN and, in Socket Mode, SLACK_APP_TOKEN.`;
  return `Deal Coach failed to start: ${err instanceof Error ? err.message : String(err)}`;
}

main().catch((err: unknown) => {
  console.error(startupFailure(err));
  process.exit(1);
});
