import { describe, expect, it } from 'vitest';
import { ConfigError, databaseOpenFailure, loadConfig } from '../../src/config.js';

describe('settings', () => {
  it('applies defaults in HTTP mode', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(c).toMatchObject({ PORT: 3000, DATABASE_PATH: './data/deal-coach.sqlite', LOG_LEVEL: 'info' });
    expect(c.SLACK_APP_TOKEN).toBeUndefined();
  });

  it('needs no signing secret in Socket Mode', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).SLACK_APP_TOKEN).toBe('xapp-1');
  });

  it('lists everything to fix in one message', () => {
    let message = '';
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'bad', PORT: 'eighty', SLACK_API_URL: 'not a url', LOG_LEVEL: 'loud' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'PORT', 'SLACK_API_URL', 'LOG_LEVEL']) expect(message).toContain(name);
    expect(message).toContain('must start with xoxb-');
    expect(message).not.toMatch(/at .*\.ts:\d+/);
  });

  it('refuses a jobs lease shorter than the slowest send', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', JOB_LEASE_SECONDS: '10' })).toThrow(/JOB_LEASE_SECONDS/);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', JOB_LEASE_SECONDS: '30' }).JOB_LEASE_SECONDS).toBe(30);
  });

  it('treats empty variables as unset', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN: is required/);
  });
});

describe('a database that cannot be opened', () => {
  it('tells a SQLite module built for another Node.js from a bad DATABASE_PATH', () => {
    const mismatch = Object.assign(new Error('The module was compiled against NODE_MODULE_VERSION 127. This version of Node.js requires NODE_MODULE_VERSION 115.'), { code: 'ERR_DLOPEN_FAILED' });
    expect(databaseOpenFailure('./data/x.sqlite', mismatch)).toContain('Run `npm rebuild better-sqlite3`');
    expect(databaseOpenFailure('./data/x.sqlite', new Error('Could not locate the bindings file. Tried: ...'))).toContain('npm rebuild better-sqlite3');
    const badPath = databaseOpenFailure('./nowhere/x.sqlite', Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' }));
    expect(badPath).toContain('Check DATABASE_PATH');
    expect(badPath).not.toContain('npm rebuild');
  });
});
