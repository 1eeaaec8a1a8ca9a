// A bare Bolt app for comparison: acks /deal and opens the same modal, answers each step with the same view,
// with none of Deal Coach's code. Views come from the JSON file in BARE_VIEWS.
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import { App, LogLevel } from '@slack/bolt';

const views = JSON.parse(fs.readFileSync(process.env.BARE_VIEWS!, 'utf8'));
const app = new App({
  token: 'xoxb-bare',
  signingSecret: process.env.SLACK_SIGNING_SECRET!,
  botId: 'BBOT',
  botUserId: 'UBOT',
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL! },
  customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res: ServerResponse) => res.writeHead(200).end('ok') }],
});
app.command('/deal', async ({ ack, client, command }) => {
  await ack();
  await client.views.open({ trigger_id: command.trigger_id, view: views.step1 });
});
app.view('assess_deal', async ({ ack }) => ack({ response_action: 'update', view: views.axes }));
app.view('assess_axes', async ({ ack }) => ack({ response_action: 'update', view: views.notes }));
app.view('assess_notes', async ({ ack }) => ack({ response_action: 'update', view: views.result }));
await app.start({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
