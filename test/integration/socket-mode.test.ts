import net from 'node:net';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../src/fake-slack/server.js';
import { SlackSimulator } from '../../src/fake-slack/simulator.js';
import { G_ANSWERS, lastOpenedView, tempDbPath, textOf, until } from '../support/local.js';
import { freePort, runToExit, startProcess, stopProcess } from '../support/processes.js';

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.stop();
});

/** The real entry point with an app token, its Web API (apps.connections.open included) pointed at a fake Slack. */
async function socketModeApp() {
  const fake = new FakeSlack();
  await fake.start();
  const databasePath = tempDbPath();
  const port = await freePort();
  // Ready once /healthz answers on PORT, which in Socket Mode is the only thing listening.
  const child = await startProcess('src/index.ts', { SLACK_APP_TOKEN: 'xapp-1-test', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.apiUrl, DATABASE_PATH: databasePath, LOG_LEVEL: 'error' }, port);
  running.push({ stop: async () => (await stopProcess(child), await fake.stop()) });
  await fake.socketMode.connected();
  return { fake, databasePath, slack: SlackSimulator.overSocketMode(fake) };
}

describe('Socket Mode', () => {
  it('connects through SLACK_API_URL and plays a whole assessment over the socket, with no signing secret', async () => {
    const { fake, databasePath, slack } = await socketModeApp();
    expect(fake.callsTo('apps.connections.open')).toHaveLength(1);

    const ack = await slack.command('U1', 'assess Acme');
    expect(ack.status).toBe(200);
    await fake.waitFor((c) => c.method === 'views.open');
    const r1 = await slack.submit('U1', lastOpenedView(fake), { new_name: 'Acme' });
    expect(r1.body.response_action).toBe('update');
    const r2 = await slack.submit('U1', r1.body.view, G_ANSWERS);
    const r3 = await slack.submit('U1', r2.body.view, { problem: 'Late deliveries' });
    expect(textOf(r3.body.view.blocks)).toContain('Case G: Fight');
    const dm = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U1');
    expect(textOf(dm.args.blocks)).toContain('Case G: Fight');

    // Field errors come back in the acknowledgement too.
    const again = await slack.command('U1', 'assess');
    expect(again.status).toBe(200);
    await fake.waitFor((c) => c.method === 'views.open' && c !== fake.callsTo('views.open')[0]);
    const duplicate = await slack.submit('U1', lastOpenedView(fake), { new_name: 'acme', deal_pick: null });
    expect(duplicate.body.response_action).toBe('errors');

    const list = await slack.command('U1', 'list');
    expect(textOf(list.body.blocks)).toContain('Acme');
    const file = new SQLite(path.resolve(databasePath), { readonly: true });
    expect(file.prepare('select problem from assessments').all()).toEqual([{ problem: 'Late deliveries' }]);
    file.close();
  });

  it('handles an event Slack redelivers over the socket once', async () => {
    const { fake, slack } = await socketModeApp();
    const event = { type: 'app_home_opened', user: 'U1', channel: 'DU1', tab: 'home', event_ts: '1.2' };
    await slack.event(event, { eventId: 'Ev1' });
    await slack.event(event, { eventId: 'Ev1', retryNum: 1 });
    await fake.waitFor((c) => c.method === 'views.publish');
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.callsTo('views.publish')).toHaveLength(1);
  });
});

describe('Socket Mode connection', () => {
  it('reconnects when Slack asks it to, and when the connection drops, and goes on answering', async () => {
    const { fake, slack } = await socketModeApp();
    // Bolt waits 5 s (its ping timeout) before each reconnection.
    fake.socketMode.refresh();
    await until(() => fake.socketMode.connections === 2, 10_000, 'a reconnection after refresh_requested');
    await fake.socketMode.connected();
    expect((await slack.command('U1', 'help')).status).toBe(200);
    fake.socketMode.close();
    await until(() => fake.socketMode.connections === 3, 20_000, 'a reconnection after the connection dropped');
    await fake.socketMode.connected();
    expect(textOf((await slack.command('U1', 'help')).body.blocks ?? [])).toContain('/deal');
    expect(fake.callsTo('apps.connections.open')).toHaveLength(3);
  });
});

describe('Socket Mode through a network blip', () => {
  it('keeps trying to reconnect while Slack cannot be reached, then answers again', async () => {
    const { fake, slack } = await socketModeApp();
    // Four connection attempts cut in a row: more than the app's own Web API client retries.
    fake.fail('apps.connections.open', { drop: true, times: 4 });
    fake.socketMode.close();
    await until(() => fake.socketMode.connections === 2, 40_000, 'a reconnection once Slack can be reached');
    await fake.socketMode.connected();
    expect(fake.callsTo('apps.connections.open')).toHaveLength(6);
    expect((await slack.command('U1', 'help')).status).toBe(200);
  }, 60_000);
});

describe('Socket Mode start-up failures', () => {
  const settings = (fake: FakeSlack, port: number) => ({ SLACK_APP_TOKEN: 'xapp-1-test', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.apiUrl, DATABASE_PATH: tempDbPath(), PORT: String(port), LOG_LEVEL: 'error' });

  it('stops with one clear message and exit code 1 when Slack refuses the app token', async () => {
    const fake = new FakeSlack();
    await fake.start();
    running.push(fake);
    fake.fail('apps.connections.open', { error: 'invalid_auth', times: 10 });
    const { code, stderr } = await runToExit('src/index.ts', settings(fake, await freePort()));
    expect(code).toBe(1);
    expect(stderr).toContain('Slack refused its tokens (invalid_auth). Check SLACK_BOT_TOKEN and, in Socket Mode, SLACK_APP_TOKEN.');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('stops with one clear message and exit code 1 when PORT, where the health check goes, is taken', async () => {
    const fake = new FakeSlack();
    await fake.start();
    running.push(fake);
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, r));
    running.push({ stop: () => new Promise((r) => taken.close(() => r())) });
    const port = (taken.address() as net.AddressInfo).port;
    const { code, stderr } = await runToExit('src/index.ts', settings(fake, port));
    expect(code).toBe(1);
    expect(stderr).toContain(`port ${port} is in use. Set PORT to a free port.`);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(0);
  });
});
