import querystring from 'node:querystring';
import { describe, expect, it } from 'vitest';
import { parseDealCommand } from '../../src/slack/parse/command.js';
import { formatMoney, minorDigits, toMinorUnits } from '../../src/slack/parse/money.js';
import { formFields, slackBody } from '../../src/slack/http-receiver.js';

describe('/deal text', () => {
  it('reads each subcommand, with deal names that contain spaces or quotes', () => {
    expect(parseDealCommand('')).toEqual({ kind: 'help' });
    expect(parseDealCommand('  HELP ')).toEqual({ kind: 'help' });
    expect(parseDealCommand('assess')).toEqual({ kind: 'assess', name: null });
    expect(parseDealCommand('assess  "Acme Corp" ')).toEqual({ kind: 'assess', name: 'Acme Corp' });
    expect(parseDealCommand('list')).toEqual({ kind: 'list', user: null, named: false });
    expect(parseDealCommand('list <@U0A1|linh>')).toEqual({ kind: 'list', user: 'U0A1', named: true });
    // A name Slack did not make a mention of is told apart from no name at all.
    expect(parseDealCommand('list linh')).toEqual({ kind: 'list', user: null, named: true });
    expect(parseDealCommand('settings')).toEqual({ kind: 'settings' });
    expect(parseDealCommand('admin failures')).toEqual({ kind: 'admin_failures' });
    expect(parseDealCommand('show Acme Corp')).toEqual({ kind: 'show', name: 'Acme Corp' });
    expect(parseDealCommand('show')).toEqual({ kind: 'show', name: null });
    expect(parseDealCommand('oops now')).toEqual({ kind: 'unknown', word: 'oops' });
  });

  it('reads back the entities Slack sends for a typed &, < and >', () => {
    expect(parseDealCommand('assess AT&amp;T')).toEqual({ kind: 'assess', name: 'AT&T' });
    expect(parseDealCommand('show P&amp;G &lt;EU&gt;')).toEqual({ kind: 'show', name: 'P&G <EU>' });
    expect(parseDealCommand('show AT&amp;amp;T')).toEqual({ kind: 'show', name: 'AT&amp;T' });
    expect((parseDealCommand('close P&amp;G won R&amp;D cut') as { readings: unknown[] }).readings).toEqual([{ name: 'P&G', status: 'won', reason: 'R&D cut' }]);
  });

  it('reads back what Slack made links or names of: domains, e-mails, channels, groups, @here', () => {
    expect(parseDealCommand('show <http://acme.com|acme.com>')).toEqual({ kind: 'show', name: 'acme.com' });
    expect(parseDealCommand('assess <https://x.io/a?b=1&amp;c=2>')).toEqual({ kind: 'assess', name: 'https://x.io/a?b=1&c=2' });
    expect(parseDealCommand('show <mailto:bob@acme.com|bob@acme.com> renewal')).toEqual({ kind: 'show', name: 'bob@acme.com renewal' });
    expect(parseDealCommand('show <tel:+84123|+84 123>')).toEqual({ kind: 'show', name: '+84 123' });
    expect(parseDealCommand('show <http://r-d.com|R&amp;D.com>')).toEqual({ kind: 'show', name: 'R&D.com' });
    expect((parseDealCommand('close <http://acme.com|acme.com> lost <#C123|acme-sales> said <!here> <!subteam^S1|@buyers> <@U9|bob> <@U8>') as { readings: unknown[] }).readings).toEqual([
      { name: 'acme.com', status: 'lost', reason: '#acme-sales said @here @buyers @bob <@U8>' },
    ]);
    expect(parseDealCommand('<http://asess.io|asess.io>')).toEqual({ kind: 'unknown', word: 'asess.io' });
  });

  it('reads a close as deal, status and reason, every way the words allow', () => {
    const close = (text: string) => (parseDealCommand(text) as { readings: unknown[] }).readings;
    expect(close('close Acme Corp won signed 3 years')).toEqual([{ name: 'Acme Corp', status: 'won', reason: 'signed 3 years' }]);
    expect(close('close Acme LOST we lost to a rival')).toEqual([
      { name: 'Acme', status: 'lost', reason: 'we lost to a rival' },
      { name: 'Acme LOST we', status: 'lost', reason: 'to a rival' },
    ]);
    expect(close('close Paradise Lost Inc won')).toEqual([
      { name: 'Paradise', status: 'lost', reason: 'Inc won' },
      { name: 'Paradise Lost Inc', status: 'won', reason: null },
    ]);
    expect(close('close "Won Ton Foods" dropped')).toEqual([{ name: 'Won Ton Foods', status: 'dropped', reason: null }]);
    expect(close('close Acme')).toEqual([]);
    expect(close('close won')).toEqual([]);
  });
});

describe('team mentions', () => {
  it('reads escaped mentions with or without names, once each', () => {
    expect(parseDealCommand('team add <@U01|linh> <@W02> <@U01|linh>')).toEqual({ kind: 'team', action: 'add', users: ['U01', 'W02'], named: true });
    expect(parseDealCommand('team remove <@U01>')).toEqual({ kind: 'team', action: 'remove', users: ['U01'], named: true });
    expect(parseDealCommand('team')).toEqual({ kind: 'team', action: 'list', users: [], named: false });
    expect(parseDealCommand('team leave')).toEqual({ kind: 'team', action: 'leave', users: [], named: false });
    // Words Slack did not make a mention of are still told apart from none at all.
    expect(parseDealCommand('team leave Linh')).toEqual({ kind: 'team', action: 'leave', users: [], named: true });
    expect(parseDealCommand('team add @linh')).toEqual({ kind: 'team', action: 'add', users: [], named: true });
    expect(parseDealCommand('team promote <@U01>')).toEqual({ kind: 'team', action: 'usage', users: ['U01'], named: true });
  });
});

describe('money', () => {
  it('stores amounts in the currency’s minor units', () => {
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('VND')).toBe(0);
    expect(toMinorUnits('25,000.5', 'USD')).toBe(2_500_050);
    expect(toMinorUnits('1200000000', 'VND')).toBe(1_200_000_000);
    expect(toMinorUnits('10.5', 'VND')).toBeNull();
    expect(toMinorUnits('-3', 'USD')).toBeNull();
    expect(toMinorUnits('1.234', 'USD')).toBeNull();
    expect(toMinorUnits('abc', 'USD')).toBeNull();
  });

  it('formats for the reader’s locale', () => {
    expect(formatMoney(2_500_050, 'USD', 'en')).toBe('$25,000.50');
    expect(formatMoney(1_200_000_000, 'VND', 'vi')).toBe(new Intl.NumberFormat('vi', { style: 'currency', currency: 'VND' }).format(1_200_000_000));
  });
});

describe('the body of a request from Slack', () => {
  const alphabet = ['a', ' ', '+', '&', '=', '%', '%2', '"', '\\', 'é', '🚀', '\n', '{', '}', '~', '*'];
  const sample = (seed: number) => Array.from({ length: 40 }, (_, i) => alphabet[(seed * 31 + i * i * 7) % alphabet.length]).join('');

  it('decodes an interaction payload exactly as querystring does, whatever it holds', () => {
    for (let seed = 0; seed < 200; seed++) {
      const payload = JSON.stringify({ type: 'view_submission', text: sample(seed) });
      const body = new URLSearchParams({ payload }).toString();
      expect(formFields(body)).toEqual({ payload });
      expect(formFields(body).payload).toBe(querystring.parse(body).payload);
    }
  });

  it('falls back to querystring for a malformed escape or several fields, as Bolt would read them', () => {
    const malformed = 'payload=%7B%22a%22%3A%22%zz%22%7D';
    expect(formFields(malformed)).toEqual({ ...querystring.parse(malformed) });
    expect(formFields(malformed).payload).toBe('{"a":"%zz"}');
    const command = 'command=%2Fdeal&text=assess+R%26D&user_id=U1';
    expect(formFields(command)).toEqual({ ...querystring.parse(command) });
    expect(slackBody(command, 'application/x-www-form-urlencoded')).toMatchObject({ command: '/deal', text: 'assess R&D' });
    expect(slackBody('{"type":"event_callback"}', 'application/json')).toEqual({ type: 'event_callback' });
  });
});
