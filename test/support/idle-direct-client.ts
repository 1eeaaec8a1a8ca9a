// Makes calls through a DirectWebClient to the Web API at API_URL, one answered and one refused, then simply ends
// without closing the client: its kept-alive connections, which that server keeps open, must not keep the process
// alive, as they would keep a stopped bot or a test run from exiting.
import { DirectWebClient } from '../../src/slack/direct-web-client.js';

const client = new DirectWebClient('xoxb-test', { slackApiUrl: process.env.API_URL!, timeout: 2_000 });
await client.chat.postMessage({ channel: 'U1', text: 'hello' });
const refused = await client.users.info({ user: 'U_NOBODY' }).catch((err: { code: string }) => err.code);
console.log(`refused: ${refused}`);
