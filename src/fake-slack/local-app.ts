import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { loadConfig } from '../config.js';
import { loadContent, type Content } from '../content/load.js';
import { createDb, type Db } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrate.js';
import { createApp } from '../slack/app.js';
import type { AppDeps } from '../slack/deps.js';
import type { ResultDmTiming } from '../slack/result-dms.js';
import { FakeSlack } from './server.js';
import { SlackSimulator } from './simulator.js';

export const LOCAL_SIGNING_SECRET = 'local-signing-secret';

export interface LocalApp {
  app: App;
  deps: AppDeps;
  db: Db;
  fake: FakeSlack;
  slack: SlackSimulator;
  url: string;
  stop(): Promise<void>;
}

/**
 * The real app in HTTP mode on 127.0.0.1, its Web API pointed at a fake Slack, on a real SQLite file.
 * Pass an existing `fake` to restart an app against the same Slack.
 */
export async function startLocalApp(options: {
  databasePath: string;
  fake?: FakeSlack;
  content?: Content;
  now?: () => Date;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  resultDms?: ResultDmTiming;
}): Promise<LocalApp> {
  const fake = options.fake ?? new FakeSlack();
  if (!fake.url) await fake.start();
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-local',
    SLACK_SIGNING_SECRET: LOCAL_SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_PATH: options.databasePath,
    PORT: '0',
    LOG_LEVEL: options.logLevel ?? 'error',
  });
  const db = createDb(config.DATABASE_PATH);
  await migrateToLatest(db);
  const { app, deps } = createApp({ config, db, content: options.content ?? loadContent(), now: options.now, botId: 'BBOT', botUserId: 'UBOT', resultDms: options.resultDms });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let stopped = false;
  return {
    app,
    deps,
    db,
    fake,
    url,
    slack: new SlackSimulator(url, LOCAL_SIGNING_SECRET, fake),
    async stop() {
      if (stopped) return;
      stopped = true;
      await deps.resultDms.stop();
      server.closeAllConnections();
      await app.stop();
      await deps.afterAck.settled(3_000);
      await deps.fastClient.close();
      await db.destroy();
    },
  };
}
