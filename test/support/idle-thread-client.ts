// Makes calls through ThreadWebClients, some refused before they leave, then simply ends without closing the
// clients: an idle worker must not keep the process alive, as it would keep a stopped bot or a test run from exiting.
import { LogLevel } from '@slack/web-api';
import { FakeSlack } from '../../src/fake-slack/server.js';
import { ThreadWebClient } from '../../src/slack/web-client-thread/client.js';

const fake = new FakeSlack();
await fake.start();
const newClient = () => new ThreadWebClient('xoxb-test', { slackApiUrl: fake.apiUrl, logLevel: LogLevel.ERROR });
// One client whose call was answered, then refused one; another whose only call was refused as its worker started.
const answered = newClient();
await answered.chat.postMessage({ channel: 'U1', text: 'hello' });
await answered.apiCall('chat.postMessage', { channel: 'U1', callback: () => 1 }).catch(() => undefined);
await newClient().apiCall('chat.postMessage', { channel: 'U1', callback: () => 1 }).catch(() => undefined);
await fake.stop();
console.log(`calls: ${fake.callsTo('chat.postMessage').length}`);
