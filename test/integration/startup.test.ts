import fs from 'node:fs';
import net from 'node:net';
import SQLite from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { migrations } from '../../migrations/index.js';
import { FakeSlack } from '../../src/fake-slack/server.js';
import { ROOT, freePort, runToExit, startProcess, stopProcess } from '../support/processes.js';
import { tempDbPath } from '../support/local.js';

const schema = path.resolve(ROOT, 'scripts/slack-manifest-schema/manifest.schema.1.0.0.json');

describe('start-up', () => {
  it('stops with one clear message and exit code 1 when settings are missing', async () => {
    const res = await runToExit('src/index.ts');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Deal Coach cannot start');
    expect(res.stderr).toContain('SLACK_BOT_TOKEN');
    expect(res.stderr).toContain('SLACK_SIGNING_SECRET');
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['HTTP mode', { SLACK_SIGNING_SECRET: 'secret' }],
    ['Socket Mode', { SLACK_APP_TOKEN: 'xapp-1-test' }],
  ])('in %s, stops with one clear message and exit code 1 when Slack refuses the bot token', async (_mode, settings) => {
    const fake = new FakeSlack();
    await fake.start();
    fake.fail('auth.test', { error: 'invalid_auth', times: 10 });
    const env = { ...settings, SLACK_BOT_TOKEN: 'xoxb-revoked', SLACK_API_URL: fake.apiUrl, DATABASE_PATH: tempDbPath(), PORT: String(await freePort()) };
    const res = await runToExit('src/index.ts', env);
    await fake.stop();
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Deal Coach cannot start: Slack refused its tokens (invalid_auth)');
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(0);
  });

  it('in HTTP mode, stops with one clear message and exit code 1 when PORT is taken', async () => {
    const fake = new FakeSlack();
    await fake.start();
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, r));
    const port = (taken.address() as net.AddressInfo).port;
    const env = { SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.apiUrl, DATABASE_PATH: tempDbPath(), PORT: String(port) };
    const res = await runToExit('src/index.ts', env);
    await new Promise((r) => taken.close(r));
    await fake.stop();
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`Deal Coach cannot start: port ${port} is in use. Set PORT to a free port.`);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('starts two instances at once on a new database file while it is locked: both wait, one migrates, the other finds it done', async () => {
    const fake = new FakeSlack();
    await fake.start();
    const file = tempDbPath();
    // Something else (a long migration of a third instance, a backup) holds the write lock for a few seconds.
    const holder = new SQLite(file);
    holder.pragma('journal_mode = WAL');
    holder.exec('begin immediate');
    const env = { SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.apiUrl, DATABASE_PATH: file, LOG_LEVEL: 'error' };
    const starting = Promise.all([await freePort(), await freePort()].map((port) => startProcess('src/index.ts', env, port)));
    await new Promise((r) => setTimeout(r, 3_000));
    holder.exec('rollback');
    holder.close();
    const instances = await starting;
    // Both answer /healthz (startProcess waits for it); the schema was built once, every migration recorded once.
    const db = new SQLite(file, { readonly: true });
    const applied = db.prepare('select name from kysely_migration order by name').pluck().all();
    db.close();
    expect(applied).toEqual(Object.keys(migrations).sort());
    await Promise.all(instances.map(stopProcess));
    await fake.stop();
  });

  it('stops with one clear message and exit code 1 when the database file cannot be opened', async () => {
    const notAFile = fs.mkdtempSync(path.join(os.tmpdir(), 'deal-coach-dir-'));
    const res = await runToExit('src/index.ts', { SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-test', DATABASE_PATH: notAFile, PORT: String(await freePort()) });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`Deal Coach cannot start: the database ${notAFile} cannot be opened`);
    expect(res.stderr).toContain('Check DATABASE_PATH');
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('stops with one clear message and exit code 1 when Slack cannot be reached', async () => {
    const closed = await freePort();
    const env = { SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: `http://127.0.0.1:${closed}/api/`, DATABASE_PATH: tempDbPath(), PORT: String(await freePort()) };
    const res = await runToExit('src/index.ts', env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("Deal Coach cannot start: Slack's Web API did not answer");
    expect(res.stderr).toContain('SLACK_API_URL');
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('manifest.yml', () => {
  it('validates against Slack’s app-manifest schema and asks for no more than it needs', async () => {
    const res = await runToExit('scripts/check-manifest.ts', {}, [schema]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const manifest = YAML.parse(fs.readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8'));
    expect(manifest.features.slash_commands[0]).toMatchObject({ command: '/deal', should_escape: true });
    expect(manifest.settings).toMatchObject({ socket_mode_enabled: true, interactivity: { is_enabled: true }, event_subscriptions: { bot_events: ['app_home_opened', 'message.im', 'user_change'] } });
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
  });

  it('fails the check on a manifest Slack would refuse', async () => {
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-')), 'manifest.yml');
    fs.writeFileSync(broken, 'display_information:\n  name: Deal Coach\nfeatures:\n  slash_commands:\n    - command: deal\n');
    const res = await runToExit('scripts/check-manifest.ts', {}, [schema, broken]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/slash_commands\/0/);
  });
});
