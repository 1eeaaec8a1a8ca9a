import { describe, expect, it } from 'vitest';
import { G_ANSWERS, H_ANSWERS, assessNew, localApp, textOf } from '../support/local.js';

async function dealWithHistory() {
  const app = await localApp();
  await assessNew(app, 'Acme', G_ANSWERS, { situation: 'First meeting' });
  const deal = await app.db.selectFrom('deals').select('id').executeTakeFirstOrThrow();
  const assessment = await app.db.selectFrom('assessments').select('id').executeTakeFirstOrThrow();
  // Let the DM of the first assessment land, then start each test from a clean record.
  await app.fake.waitFor((c) => c.method === 'chat.postMessage');
  app.fake.clear();
  return { app, dealId: String(deal.id), assessmentId: String(assessment.id) };
}

describe('the buttons on a result', () => {
  it('Show history opens the history with its trend', async () => {
    const { app, dealId } = await dealWithHistory();
    await app.slack.click('U1', 'deal_history', dealId);
    const open = await app.fake.waitFor((c) => c.method === 'views.open');
    const text = textOf(open.args.view.blocks);
    expect(open.args.view.title.text).toBe('Deal history');
    expect(text).toContain('*Trend:* G');
    expect(text).toContain('First meeting');
  });

  it('says a deal is no longer there, not that a deal called by its number is, when its buttons are used by someone else', async () => {
    const { app, dealId } = await dealWithHistory();
    for (const action of ['deal_history', 'deal_close', 'deal_reassess']) {
      await app.slack.click('U2', action, dealId);
      const told = await app.fake.waitFor((c) => c.method === 'response_url');
      expect(told.args.text).toBe('That deal is no longer among your deals in Deal Coach.');
      app.fake.clear();
    }
    expect(app.fake.callsTo('views.open')).toHaveLength(0);
  });

  it('Share to channel posts the result without the private notes, and explains a channel it cannot post in', async () => {
    const { app, assessmentId } = await dealWithHistory();
    await app.slack.click('U1', 'deal_share', assessmentId);
    const modal = (await app.fake.waitFor((c) => c.method === 'views.open')).args.view;
    expect(modal.callback_id).toBe('share_result');

    app.fake.notInChannel.add('C_PRIVATE');
    const refused = await app.slack.submit('U1', modal, { channel: 'C_PRIVATE' });
    expect(refused.body).toEqual({ response_action: 'errors', errors: { channel: expect.stringContaining('not in that channel') } });
    // An archived channel is not one to invite the bot to.
    app.fake.fail('chat.postMessage', { error: 'is_archived', times: 1 });
    expect((await app.slack.submit('U1', modal, { channel: 'C_OLD' })).body).toEqual({ response_action: 'errors', errors: { channel: 'That channel is archived or no longer exists. Pick another.' } });
    // What Slack answers for a private channel the bot is not in.
    app.fake.fail('chat.postMessage', { error: 'channel_not_found', times: 1 });
    expect((await app.slack.submit('U1', modal, { channel: 'G_PRIVATE' })).body.errors.channel).toContain('Invite me first');
    // A channel where only admins may post (an announcement channel), or a workspace rule, refuses for good: another
    // channel, not "try again".
    for (const error of ['restricted_action_read_only_channel', 'restricted_action']) {
      app.fake.fail('chat.postMessage', { error, times: 1 });
      expect((await app.slack.submit('U1', modal, { channel: 'C_ANNOUNCE' })).body.errors.channel).toBe('Only some people may post in that channel, and I am not one of them. Pick another.');
    }

    const ok = await app.slack.submit('U1', modal, { channel: 'C_SALES' });
    expect(ok.status).toBe(200);
    expect(ok.body).toBeNull();
    const post = app.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'C_SALES')!;
    const text = textOf(post.args.blocks);
    // Dated, as it may be shared from an old DM: Slack shows the date in each reader's time zone.
    const made = await app.db.selectFrom('assessments').select('created_at').executeTakeFirstOrThrow();
    expect(text).toContain(`<@U1> shared the assessment of *Acme* made on <!date^${Math.floor(Date.parse(made.created_at) / 1000)}^{date_short}|${made.created_at.slice(0, 10)}>`);
    expect(text).toContain('Case G: Fight');
    expect(text).not.toContain('First meeting');
    const confirmed = await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U1');
    expect(confirmed.args.text).toBe('Shared the assessment of *Acme* to <#C_SALES>.');

    // Someone else cannot share this assessment by replaying the modal.
    const forged = await app.slack.submit('U2', modal, { channel: 'C_SALES' });
    expect(forged.body).toEqual({ response_action: 'errors', errors: { channel: 'That deal is no longer among your deals in Deal Coach.' } });
  });

  it('Share to channel, when Slack does not confirm the post in time, warns that it may be there already instead of inviting a double post', async () => {
    const { app, assessmentId } = await dealWithHistory();
    await app.slack.click('U1', 'deal_share', assessmentId);
    const modal = (await app.fake.waitFor((c) => c.method === 'views.open')).args.view;
    app.fake.fail('chat.postMessage', { delayMs: 4_000, times: 1 });
    const slow = await app.slack.submit('U1', modal, { channel: 'C_SALES' });
    expect(slow.body).toEqual({ response_action: 'errors', errors: { channel: expect.stringContaining('may already be in that channel') } });
    app.fake.fail('chat.postMessage', { status: 429, retryAfter: 30, times: 1 });
    const limited = await app.slack.submit('U1', modal, { channel: 'C_SALES' });
    expect(limited.body).toEqual({ response_action: 'errors', errors: { channel: expect.not.stringContaining('may already be') } });
  });

  it('Share to channel answers inside 3 seconds even when Slack is slow both to post and to give the profile', async () => {
    const { app, assessmentId } = await dealWithHistory();
    await app.slack.click('U1', 'deal_share', assessmentId);
    const modal = (await app.fake.waitFor((c) => c.method === 'views.open')).args.view;
    // The profile has gone stale, and Slack takes its time with it and with the post (which still lands).
    await app.db.updateTable('user_settings').set({ profile_refreshed_at: null }).execute();
    app.deps.readerFor.forget('T1', 'U1');
    app.fake.fail('users.info', { delayMs: 1_500, times: 5 });
    app.fake.fail('chat.postMessage', { delayMs: 2_200, times: 1 });
    const started = Date.now();
    const shared = await app.slack.submit('U1', modal, { channel: 'C_SALES' });
    // Under Slack's 3 seconds; waiting on the profile first (up to PROFILE_WAIT_MS, 0.7 s) would take at least 2.9.
    expect(Date.now() - started).toBeLessThan(2_900);
    expect(shared).toEqual({ status: 200, body: null });
    expect(app.fake.delivered.filter((m) => m.channel === 'C_SALES')).toHaveLength(1);
  });

  it('Close deal asks how it ended, closes it and confirms by DM', async () => {
    const { app, dealId } = await dealWithHistory();
    await app.slack.click('U1', 'deal_close', dealId);
    const modal = (await app.fake.waitFor((c) => c.method === 'views.open')).args.view;
    const missing = await app.slack.submit('U1', modal, {});
    expect(missing.body.errors).toEqual({ status: 'Please answer this question.' });
    await app.slack.submit('U1', modal, { status: 'lost', reason: 'Went with the incumbent' });
    const deal = await app.db.selectFrom('deals').selectAll().executeTakeFirstOrThrow();
    expect(deal).toMatchObject({ status: 'lost', close_reason: 'Went with the incumbent' });
    await app.fake.waitFor((c) => c.method === 'chat.postMessage' && String(c.args.text).includes('is closed as lost'));

    // A second click on the old message says it is already closed instead of opening anything.
    app.fake.clear();
    await app.slack.click('U1', 'deal_close', dealId);
    const told = await app.fake.waitFor((c) => c.method === 'response_url');
    expect(told.args.text).toContain('already closed');
    await app.slack.click('U1', 'deal_reassess', dealId);
    expect((await app.fake.waitFor((c) => c.method === 'response_url' && c !== told)).args.text).toContain('is closed');
    expect(app.fake.callsTo('views.open')).toHaveLength(0);
  });

  it('keeps every assessment: reassessing adds one and never edits the earlier', async () => {
    const { app, dealId } = await dealWithHistory();
    const before = await app.db.selectFrom('assessments').selectAll().execute();
    await app.slack.click('U1', 'deal_reassess', dealId);
    const axes = (await app.fake.waitFor((c) => c.method === 'views.open')).args.view;
    const notes = await app.slack.submit('U1', axes, H_ANSWERS);
    await app.slack.submit('U1', notes.body.view, {});
    const after = await app.db.selectFrom('assessments').selectAll().orderBy('id').execute();
    expect(after).toHaveLength(2);
    expect(after[0]).toEqual(before[0]);
    expect(after.map((a) => a.case_code)).toEqual(['G', 'H']);
  });
});
