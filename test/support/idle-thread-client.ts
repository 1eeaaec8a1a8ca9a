// Makes calls through a ThreadWebClient, one of them refused before it leaves, then simply ends without closing the
// client: an idle worker must not keep the process alive, as it would keep a stopped bot or a test run from exiting.
import { LogLevel } from '@slack/web-api';
import { FakeSlack } from '../../src/fake-slack/server.js';
import { ThreadWebClient } from '../../src/slack/web-client-thread/client.js';

const fake = new FakeSlack();
await fake.start();
const client = new ThreadWebClient({ token: 'xoxb-test', slackApiUrl: fake.apiUrl, timeout: 5_000, maxRequestConcurrency: 4, logLevel: LogLevel.ERROR });
await client.chat.postMessage({ channel: 'U1', text: 'hello' });
await client.apiCall('chat.postMessage', { channel: 'U1', callback: () => 1 }).catch(() => undefined);
await fake.stop();
console.log(`calls: ${fake.callsTo('chat.postMessage').length}`);
