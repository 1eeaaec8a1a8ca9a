// `npm run demo`: a scripted assessment played offline against the real app and the built-in fake Slack.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalApp } from '../fake-slack/local-app.js';
import { renderBlocks, renderView } from './render-text.js';

const say = (who: string, text: string) => console.log(`\n${who}:\n${text.replace(/^/gm, '  ')}`);

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deal-coach-demo-'));
  const local = await startLocalApp({ databasePath: path.join(dir, 'demo.sqlite') });
  const { slack, fake } = local;
  try {
    console.log('Deal Coach demo: the real app on a fake Slack, a fresh database, no Slack account needed.');

    say('Linh (seller)', '/deal assess Acme Logistics');
    await slack.command('U_LINH', 'assess Acme Logistics');
    const step1 = (await fake.waitFor((c) => c.method === 'views.open')).args.view;
    say('Deal Coach (modal)', renderView(step1));

    say('Linh', 'fills in: customer Acme Logistics JSC, 1,200,000,000 VND, closing 2027-03-31 -> Next');
    const axes = (await slack.submit('U_LINH', step1, { new_customer: 'Acme Logistics JSC', new_value: '1200000000', new_currency: 'VND', new_close_date: '2027-03-31' })).body.view;
    say('Deal Coach (modal)', renderView(axes));

    const answers = { budget: 'possible', authority: 'influencer', need: 'must_have', timing: 'this_quarter', relationship: 'trust', competitors: 'ahead', time_on_deal: 'm3_6', tried_all: 'yes' };
    say('Linh', 'Budget Possible, Influencer only, Must have, This quarter, They trust us, We are ahead, 3-6 months, Yes -> Next');
    const notes = (await slack.submit('U_LINH', axes, answers)).body.view;
    say('Deal Coach (modal)', renderView(notes));

    say('Linh', 'notes the problem and the next step -> Save');
    const result = (await slack.submit('U_LINH', notes, { problem: 'Dispatch is planned on spreadsheets; late deliveries cost them key accounts.', next_step: 'Meet the COO with a value estimate next Tuesday.' })).body.view;
    say('Deal Coach (modal)', renderView(result));

    const dm = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U_LINH');
    say('Deal Coach (DM)', renderBlocks(dm.args.blocks));

    say('Linh', '/deal list');
    say('Deal Coach (only you can see this)', renderBlocks((await slack.command('U_LINH', 'list')).body.blocks));

    say('Linh', '/deal show acme logistics');
    say('Deal Coach (only you can see this)', renderBlocks((await slack.command('U_LINH', 'show acme logistics')).body.blocks));
    console.log('\nDemo finished.');
  } finally {
    await local.stop();
    await fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
