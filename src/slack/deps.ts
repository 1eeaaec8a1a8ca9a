import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Content } from '../content/load.js';
import type { LocaleContent } from '../content/schema.js';
import type { Db } from '../db/create-db.js';
import type { AfterAck } from './after-ack.js';
import type { DirectWebClient } from './direct-web-client.js';
import type { ReaderFor } from './reader.js';
import type { ResultDms } from './result-dms.js';
import type { Formatting } from './views/deals.js';

/** Who reads a message: the texts in their language and how to format dates and numbers for them. */
export interface Reader {
  c: LocaleContent;
  f: Formatting;
}

/** Everything the listeners need, passed in so tests can use real parts with their own settings. */
export interface AppDeps {
  db: Db;
  content: Content;
  now: () => Date;
  /** Web API client that never waits on retries: for calls that race a 3-second trigger_id. */
  fastClient: DirectWebClient;
  /** The app's client, with short retries: for messages sent after the acknowledgement. */
  client: WebClient;
  readerFor: ReaderFor;
  /** The DM copy of each result, paced per channel. */
  resultDms: ResultDms;
  /** Other work after an acknowledgement, which a stop waits for. */
  afterAck: AfterAck;
  logger: Logger;
}
