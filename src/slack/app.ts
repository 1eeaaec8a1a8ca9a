import { App, LogLevel } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Content } from '../content/load.js';
import type { Db } from '../db/create-db.js';
import type { AppDeps } from './deps.js';
import { createAfterAck } from './after-ack.js';
import { DirectWebClient } from './direct-web-client.js';
import { answerHealth } from './health.js';
import { SlackHttpReceiver } from './http-receiver.js';
import { registerListeners } from './listeners/index.js';
import { createReaderFor } from './reader.js';
import { createResultDms, type ResultDms, type ResultDmTiming } from './result-dms.js';

/** Result DM calls in flight at once: at Slack's usual latency still tens of DMs a second. */
const RESULT_DMS_IN_FLIGHT = 4;

const LEVELS = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR } as const;

export interface CreateAppOptions {
  config: Config;
  db: Db;
  content: Content;
  now?: () => Date;
  /** The result DMs' pace and tidying; Slack's own unless a test needs other windows. */
  resultDms?: ResultDmTiming;
  /** Known bot identity: skips the auth.test call at start-up (tests and the demo). */
  botId?: string;
  botUserId?: string;
}

/** Builds the Bolt app (Socket Mode with an app token, HTTP otherwise) with every listener registered. */
export function createApp(options: CreateAppOptions): { app: App; deps: AppDeps } {
  const { config, db } = options;
  // Every client of the app speaks to the same Web API: Slack's, or the one SLACK_API_URL names. A failed request's
  // error does not carry the HTTP request it came from: that holds the token, and the logs print errors in depth.
  const apiUrl = { ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}), attachOriginalToWebAPIRequestError: false };
  // Retries stay short: a user is waiting behind most calls.
  const retryingClient = { ...apiUrl, retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 2000 }, timeout: 10_000 };
  const app = new App({
    token: config.SLACK_BOT_TOKEN,
    // In Socket Mode the health check has a server of its own (serveHealth); over HTTP it shares Slack's.
    ...(config.SLACK_APP_TOKEN
      ? {
          socketMode: true,
          appToken: config.SLACK_APP_TOKEN,
          // The socket's client keeps its own reconnection policy (a hundred tries, ever further apart): with the
          // short retries below, a network blip while it reconnects would end the process.
          installerOptions: { clientOptions: { ...apiUrl, timeout: 10_000 } },
        }
      : { receiver: new SlackHttpReceiver({ signingSecret: config.SLACK_SIGNING_SECRET!, routes: { '/healthz': (_req, res) => answerHealth(db, res) } }) }),
    // Without a known identity Bolt asks Slack for it (auth.test); deferred to app.init(), which start-up awaits, so
    // that a refused token stops the bot with a message rather than an unhandled rejection.
    ...(options.botId ? { botId: options.botId, botUserId: options.botUserId } : { deferInitialization: true }),
    logLevel: LEVELS[config.LOG_LEVEL],
    // Bolt's per-conversation store is not used here, and would cost a lookup on every request.
    convoStore: false,
    // Its filter of the bot's own events runs on events only, in the event listener (see ListenerRouter).
    ignoreSelf: false,
    clientOptions: retryingClient,
  });
  // Clients that leave retrying to their caller, which knows whether a call may wait and whether it may have landed.
  const fastClient = new DirectWebClient(config.SLACK_BOT_TOKEN, { slackApiUrl: config.SLACK_API_URL, timeout: 2_500, logger: app.logger });
  const now = options.now ?? (() => new Date());
  // Result DMs have a client of their own: they may wait longer for an answer than a modal can, and a burst of them
  // never takes the places a modal's call needs. Sellers who finish together get their DMs paced alike, a second
  // apart, so a team's DMs come due in the same instant: a few at a time, each started as another returns.
  const dmClient = new DirectWebClient(config.SLACK_BOT_TOKEN, { slackApiUrl: config.SLACK_API_URL, timeout: 10_000, maxRequestConcurrency: RESULT_DMS_IN_FLIGHT, logger: app.logger });
  const dms = createResultDms({ client: dmClient, logger: app.logger, ...options.resultDms });
  const resultDms: ResultDms = {
    send: dms.send,
    stop: async (waitMs) => {
      const dropped = await dms.stop(waitMs);
      dmClient.close();
      return dropped;
    },
  };
  const deps: AppDeps = {
    db,
    content: options.content,
    now,
    fastClient,
    client: app.client,
    readerFor: createReaderFor({ db, content: options.content, now, client: fastClient, logger: app.logger }),
    resultDms,
    afterAck: createAfterAck(app.logger),
    logger: app.logger,
  };
  registerListeners(app, deps);
  app.error(async (error) => {
    app.logger.error('unhandled listener error', error);
  });
  return { app, deps };
}
