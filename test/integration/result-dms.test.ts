import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LOCAL_SIGNING_SECRET, type LocalApp } from '../../src/fake-slack/local-app.js';
import { FakeSlack } from '../../src/fake-slack/server.js';
import { SlackSimulator } from '../../src/fake-slack/simulator.js';
import { DM_INTERVAL_MS } from '../../src/slack/result-dms.js';
import { G_ANSWERS, H_ANSWERS, assessNew, localApp, tempDbPath, textOf, toNotesStep } from '../support/local.js';
import { freePort, startProcess } from '../support/processes.js';

/** Reassesses an open deal of U1's: the deal is preselected on step 1. */
async function reassess(app: LocalApp, name: string, answers: Record<string, string>) {
  return app.slack.submit('U1', await toNotesStep(app, name, answers, { reassess: true }), {});
}

/** The bot in its own process (src/index.ts), as deployed, against a fake Slack; a seller to drive it. */
async function botProcess() {
    const fake = new FakeSlack();
    await fake.start();
    const port = await freePort();
    const env = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: LOCAL_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, DATABASE_PATH: tempDbPath(), LOG_LEVEL: 'error' };
    const bot = await startProcess('src/index.ts', env, port);
    const seller = { fake, slack: new SlackSimulator(`http://127.0.0.1:${port}`, LOCAL_SIGNING_SECRET, fake) };
  return { fake, bot, seller };
}

const dmsTo = (app: LocalApp, user: string) => app.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user);

describe('result DMs at Slack pace', () => {
  it('sends the first at once, the next after the pause, and only the newest result of a deal still waiting', async () => {
    // A wider pause than Slack's second, so the three flows below surely fit inside it on a slow machine.
    const interval = 3 * DM_INTERVAL_MS;
    const app = await localApp({ resultDms: { intervalMs: interval } });
    await assessNew(app, 'Acme', G_ANSWERS);
    const first = await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U1', 5000);

    // Within the pause that follows, three more results: Beta, then Acme twice. The channel is busy meanwhile.
    const beta = await assessNew(app, 'Beta', G_ANSWERS);
    await reassess(app, 'Acme', G_ANSWERS);
    const latest = await reassess(app, 'Acme', H_ANSWERS);
    expect(textOf(beta.body.view.blocks)).toContain('Case G');
    expect(textOf(latest.body.view.blocks)).toContain('Case H');
    expect(dmsTo(app, 'U1')).toHaveLength(1);

    await app.fake.waitFor(() => dmsTo(app, 'U1').length === 3, 2 * interval + 2000);
    await new Promise((r) => setTimeout(r, interval + 300));
    const dms = dmsTo(app, 'U1');
    expect(dms).toHaveLength(3);
    expect(textOf(dms[1]!.args.blocks)).toContain('*Beta*');
    expect(textOf(dms[2]!.args.blocks)).toContain('*Acme*');
    expect(textOf(dms[2]!.args.blocks)).toContain('Case H');
    // One message per pause in a channel, with a little slack for the timer.
    expect(dms[1]!.at - first.at).toBeGreaterThanOrEqual(interval - 50);
    expect(dms[2]!.at - dms[1]!.at).toBeGreaterThanOrEqual(interval - 50);
    // Every assessment is kept, the replaced DM's included.
    expect(await app.db.selectFrom('assessments').select('id').execute()).toHaveLength(4);
  });

  it('never lets an older result land after a newer one, and a rate-limited DM holds up no one else', async () => {
    const app = await localApp();
    // Slack turns the first DM away for two seconds; the client waits that out and sends it again.
    app.fake.fail('chat.postMessage', { status: 429, retryAfter: 2, times: 1 });
    await assessNew(app, 'Acme', G_ANSWERS);
    await app.fake.waitFor((c) => c.method === 'chat.postMessage');
    await reassess(app, 'Acme', H_ANSWERS);
    // Meanwhile another seller opens the Home tab: it is not kept waiting behind U1's DM.
    const opened = Date.now();
    await app.slack.event({ type: 'app_home_opened', user: 'U2', tab: 'home', channel: 'D2' });
    const home = await app.fake.waitFor((c) => c.method === 'views.publish', 2500);
    // Held up behind the DM, it would wait out the two seconds Slack asked for.
    expect(home.at - opened).toBeLessThan(1500);

    await app.fake.waitFor(() => app.fake.delivered.filter((m) => m.text.includes('Acme')).length === 2, 8000);
    const cases = app.fake.delivered.filter((m) => m.text.includes('Acme')).map((m) => m.text.match(/Case ([A-H])/)![1]);
    expect(cases).toEqual(['G', 'H']);
  });

  it('paces each channel on its own: another seller is not held up', async () => {
    // A wider pause than Slack's second, so U2's whole flow surely fits inside U1's pause on a slow machine.
    const interval = 3 * DM_INTERVAL_MS;
    const app = await localApp({ resultDms: { intervalMs: interval } });
    await assessNew(app, 'Acme', G_ANSWERS, {}, 'U1');
    await assessNew(app, 'Beta', G_ANSWERS, {}, 'U1');
    const started = Date.now();
    await assessNew(app, 'Gamma', G_ANSWERS, {}, 'U2');
    const other = await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U2', 1000);
    expect(other.at - started).toBeLessThan(interval / 2);
    expect(dmsTo(app, 'U1')).toHaveLength(1);
    await app.fake.waitFor(() => dmsTo(app, 'U1').length === 2, interval + 1000);
    const [a, b] = dmsTo(app, 'U1');
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(interval - 50);
  });

  it('sends the DMs of sellers who finish together a few at a time, each after another returns', async () => {
    const app = await localApp();
    // Slack takes 300 ms over each of them: enough to see how many are in flight at once.
    app.fake.fail('chat.postMessage', { delayMs: 300, times: 12 });
    const sellers = Array.from({ length: 12 }, (_, i) => `U${i + 10}`);
    await Promise.all(sellers.map((user) => assessNew(app, `Deal of ${user}`, G_ANSWERS, {}, user)));
    await app.fake.waitFor(() => app.fake.delivered.length === 12, 5_000);
    const arrivals = app.fake.callsTo('chat.postMessage').map((c) => c.at);
    expect(arrivals).toHaveLength(12);
    // At most four in flight: the fifth goes out only when the first has come back, and so on.
    for (let i = 4; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 4]!).toBeGreaterThanOrEqual(250);
  });

  it('sends the results still waiting for their turn when the bot is stopped, before it exits', async () => {
    const { fake, bot, seller } = await botProcess();
    await assessNew(seller, 'Acme', G_ANSWERS);
    await assessNew(seller, 'Beta', H_ANSWERS);
    // A deploy stops the bot while Beta's DM waits for the channel's next second.
    const exited = once(bot, 'exit');
    bot.kill('SIGTERM');
    const [code] = await exited;
    await fake.stop();
    expect(code).toBe(0);
    const dms = fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U1');
    expect(dms.map((c) => textOf(c.args.blocks).match(/\*(Acme|Beta)\*/)?.[1])).toEqual(['Acme', 'Beta']);
    // Slack's pace by default, kept while stopping: one message a second in a conversation.
    expect(dms[1]!.at - dms[0]!.at).toBeGreaterThanOrEqual(DM_INTERVAL_MS - 50);
  });

  it('puts refused notes back in the form before it exits, when stopped while that waits on Slack', async () => {
    const { fake, bot, seller } = await botProcess();
    await assessNew(seller, 'Acme', G_ANSWERS);
    const notes = await toNotesStep(seller, 'acme', G_ANSWERS, { reassess: true });
    await seller.slack.command('U1', 'close Acme lost');
    // Acme was closed meanwhile: the save is refused, and the notes go back to the form a second after the answer.
    await seller.slack.submit('U1', notes, { situation: 'CFO left' });
    const exited = once(bot, 'exit');
    bot.kill('SIGTERM');
    const [code] = await exited;
    await fake.stop();
    expect(code).toBe(0);
    const back = fake.callsTo('views.update').map((c) => JSON.stringify(c.args.view));
    expect(back).toHaveLength(1);
    expect(back[0]).toContain('was not saved');
    expect(back[0]).toContain('CFO left');
  });
});
