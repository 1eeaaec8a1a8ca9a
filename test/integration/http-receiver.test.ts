import { describe, expect, it } from 'vitest';
import { G_ANSWERS, assessNew, localApp } from '../support/local.js';

const FORM = 'application/x-www-form-urlencoded';

describe('the HTTP endpoint', () => {
  it('keeps every character of what a seller typed: &, +, %, spaces, accents and emoji', async () => {
    const app = await localApp();
    const name = 'R&D + Ops 100% – Café 🚀';
    const problem = 'a=b&c=d, 50%+ late; "quoted" \\ back';
    const result = await assessNew(app, name, G_ANSWERS, { problem });
    expect(result.body.response_action).toBe('update');
    expect(await app.db.selectFrom('deals').select('name').execute()).toEqual([{ name }]);
    expect(await app.db.selectFrom('assessments').select('problem').execute()).toEqual([{ problem }]);
  });

  it('answers Slack\'s unsigned ssl_check and its signed url_verification, and nothing else unsigned', async () => {
    const app = await localApp();
    const ssl = await fetch(`${app.url}/slack/events`, { method: 'POST', headers: { 'content-type': FORM }, body: 'ssl_check=1&token=legacy' });
    expect(ssl.status).toBe(200);
    const unsigned = await fetch(`${app.url}/slack/events`, { method: 'POST', headers: { 'content-type': FORM }, body: 'command=%2Fdeal&text=list&user_id=U1&team_id=T1' });
    expect(unsigned.status).toBe(401);
    const noTimestamp = await app.slack.post('/slack/events', 'command=%2Fdeal&text=list', FORM, { headers: { 'x-slack-request-timestamp': 'soon' } });
    expect(noTimestamp.status).toBe(401);

    const challenge = await app.slack.post('/slack/events', JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'legacy' }), 'application/json');
    expect(challenge).toEqual({ status: 200, body: { challenge: 'c-123' } });
    expect(app.fake.calls).toHaveLength(0);
  });

  it('refuses a signed body that is not what it claims to be with 400, one over 1 MB with 413, and unknown paths with 404', async () => {
    const app = await localApp();
    expect((await app.slack.post('/slack/events', 'payload=%7Bnot%20json', FORM)).status).toBe(400);
    expect((await app.slack.post('/slack/events', '{"type":', 'application/json')).status).toBe(400);
    expect((await app.slack.post('/slack/other', 'command=%2Fdeal', FORM)).status).toBe(404);
    expect((await fetch(`${app.url}/slack/events`)).status).toBe(404);
    expect((await fetch(`${app.url}/healthz?probe=1`)).status).toBe(200);
    // A body past 1 MB is refused before it is read whole, signed or not.
    const huge = 'x'.repeat(1024 * 1024 + 1);
    expect((await fetch(`${app.url}/slack/events`, { method: 'POST', headers: { 'content-type': FORM }, body: huge })).status).toBe(413);
    expect((await app.slack.post('/slack/events', `payload=${huge}`, FORM)).status).toBe(413);
    // The app still serves Slack after all of that.
    expect((await app.slack.command('U1', 'list')).status).toBe(200);
  });
});
