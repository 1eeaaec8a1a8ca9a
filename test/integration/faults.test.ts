import { format } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { slackSignature } from '../../src/fake-slack/simulator.js';
import { blockKitProblems } from '../support/block-kit.js';
import { G_ANSWERS, assessNew, lastOpenedView, localApp, textOf, toNotesStep } from '../support/local.js';

describe('bad input', () => {
  it('keeps the user on the deal step with field errors and saves nothing', async () => {
    const app = await localApp();
    await assessNew(app, 'Acme', G_ANSWERS);
    await app.slack.command('U1', 'assess');
    await app.fake.waitFor(() => app.fake.callsTo('views.open').length === 2);
    const step1 = lastOpenedView(app.fake);

    const empty = await app.slack.submit('U1', step1, { new_name: null });
    expect(empty.body).toEqual({ response_action: 'errors', errors: { new_name: 'Pick one of your deals or name a new one.' } });
    const dup = await app.slack.submit('U1', step1, { new_name: 'acme ' });
    expect(dup.body.errors.new_name).toContain('already have an open deal called acme');
    const long = await app.slack.submit('U1', step1, { new_name: 'x'.repeat(81) });
    expect(long.body.errors.new_name).toBe('Keep this under 80 characters.');
    const money = await app.slack.submit('U1', step1, { new_name: 'Beta', new_value: '1000' });
    expect(money.body.errors).toEqual({ new_currency: 'Choose the currency of the value.' });
    const cents = await app.slack.submit('U1', step1, { new_name: 'Beta', new_value: '10.5', new_currency: 'VND' });
    expect(cents.body.errors).toEqual({ new_value: 'Amounts in VND have no decimals: enter a whole amount like 25000.' });
    const subCents = await app.slack.submit('U1', step1, { new_name: 'Beta', new_value: '10.555', new_currency: 'USD' });
    expect(subCents.body.errors).toEqual({ new_value: 'Enter an amount like 25000 or 1250.50.' });
    const both = await app.slack.submit('U1', step1, { new_name: 'Beta', deal_pick: '1' });
    expect(both.body.errors.new_name).toBe('You picked a deal and typed a new name. For a new deal, pick “A new deal” at the top of the list; for the picked one, clear the name.');
    // Details beside a picked deal are checked as a new deal's are.
    const badDetails = await app.slack.submit('U1', step1, { deal_pick: '1', new_value: '12.5', new_currency: 'JPY' });
    expect(badDetails.body.errors).toEqual({ new_value: 'Amounts in JPY have no decimals: enter a whole amount like 25000.' });

    // Having picked a deal, the seller switches to a new one: Slack cannot empty the picker, so they pick "A new deal".
    const ok = await app.slack.submit('U1', step1, { new_name: 'Beta', deal_pick: 'new' });
    const missing = await app.slack.submit('U1', ok.body.view, { ...G_ANSWERS, competitors: null, timing: 'sometime' });
    expect(missing.body.errors).toEqual({ competitors: 'Please answer this question.', timing: 'Please answer this question.' });
    const notes = await app.slack.submit('U1', ok.body.view, G_ANSWERS);
    const tooLong = await app.slack.submit('U1', notes.body.view, { problem: 'p'.repeat(1001) });
    expect(tooLong.body.errors).toEqual({ problem: 'Keep this under 1000 characters.' });

    expect(await app.db.selectFrom('deals').select('name').execute()).toEqual([{ name: 'Acme' }]);
    expect(await app.db.selectFrom('assessments').select('id').execute()).toHaveLength(1);
  });

  it('names a deal closed meanwhile in plain words in the field error, and a deal not theirs as gone', async () => {
    const app = await localApp();
    await assessNew(app, 'Acme & Co', G_ANSWERS);
    await assessNew(app, 'Initech', G_ANSWERS, {}, 'U2');
    const [acme, initech] = await app.db.selectFrom('deals').select('id').orderBy('id').execute();
    await app.slack.command('U1', 'assess');
    await app.fake.waitFor(() => app.fake.callsTo('views.open').length === 3);
    const step1 = lastOpenedView(app.fake);
    app.fake.clear();
    await app.slack.click('U1', 'deal_close', String(acme!.id));
    const closeForm = (await app.fake.waitFor((c) => c.method === 'views.open')).args.view;
    await app.slack.command('U1', 'close Acme & Co lost');

    // Field errors are plain text: mrkdwn's marks and entities would show as typed.
    const picked = await app.slack.submit('U1', step1, { deal_pick: String(acme!.id) });
    expect(picked.body).toEqual({ response_action: 'errors', errors: { deal_pick: 'Acme & Co is closed. `/deal assess Acme & Co` starts a new deal of that name; the closed one keeps its history.' } });
    const notTheirs = await app.slack.submit('U1', step1, { deal_pick: String(initech!.id) });
    expect(notTheirs.body).toEqual({ response_action: 'errors', errors: { deal_pick: 'That deal is no longer among your deals in Deal Coach.' } });
    const closedTwice = await app.slack.submit('U1', closeForm, { status: 'won' });
    expect(closedTwice.body).toEqual({ response_action: 'errors', errors: { status: 'Acme & Co is already closed.' } });
    expect(await app.db.selectFrom('deals').select(['name', 'status']).orderBy('id').execute()).toEqual([
      { name: 'Acme & Co', status: 'lost' },
      { name: 'Initech', status: 'open' },
    ]);
  });

  it('refuses requests with a bad or stale signature', async () => {
    const app = await localApp();
    const wrongSecret = await app.slack.command('U1', 'list', { secret: 'not-the-secret' });
    expect(wrongSecret.status).toBe(401);
    const stale = await app.slack.command('U1', 'list', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    expect(slackSignature('s', 1, 'b')).toMatch(/^v0=[0-9a-f]{64}$/);
  });

  it('saves a replayed final submission once and DMs once', async () => {
    const app = await localApp();
    const notes = await toNotesStep(app, 'Acme', G_ANSWERS);
    const [a, b] = await Promise.all([app.slack.submit('U1', notes, {}), app.slack.submit('U1', notes, {})]);
    const again = await app.slack.submit('U1', notes, {});
    for (const r of [a, b, again]) expect(JSON.stringify(r.body.view.blocks)).toContain('Case G: Fight');
    expect(await app.db.selectFrom('deals').select('id').execute()).toHaveLength(1);
    expect(await app.db.selectFrom('assessments').select('id').execute()).toHaveLength(1);
    await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U1', 5000);
    await new Promise((r) => setTimeout(r, 500));
    expect(app.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U1')).toHaveLength(1);
  });

  it('saves a replayed reassessment once; once the deal was closed during the flow, none until saved again as a new deal', async () => {
    const app = await localApp();
    await assessNew(app, 'Acme', G_ANSWERS);
    await app.db.updateTable('deals').set({ customer: 'Acme Corp' }).execute();
    const reassessNotes = () => toNotesStep(app, 'acme', G_ANSWERS, { reassess: true });
    const notes = await reassessNotes();
    const replies = await Promise.all([app.slack.submit('U1', notes, {}), app.slack.submit('U1', notes, {})]);
    for (const r of replies) expect(r.body.response_action).toBe('update');
    expect(await app.db.selectFrom('assessments').select('id').execute()).toHaveLength(2);

    // The seller also moves the close date, beside the deal they picked.
    const late = await toNotesStep(app, 'acme', G_ANSWERS, { reassess: true, details: { new_close_date: '2027-09-30' } });
    expect((await app.slack.command('U1', 'close Acme lost')).body.text).toContain('closed as lost');
    app.fake.clear();
    // The result shows at once; the save that follows is refused, and the modal goes back to the notes as typed.
    const shown = await app.slack.submit('U1', late, { problem: 'Budget moved' });
    expect(shown.body.response_action).toBe('update');
    expect(await app.db.selectFrom('assessments').select('id').execute()).toHaveLength(2);
    const back = (await app.fake.waitFor((c) => c.method === 'views.update', 5000)).args;
    expect(back.view_id).toBe('V1');
    expect(back.view.callback_id).toBe('assess_notes');
    expect(back.view.blocks[0].text.text).toBe(
      ':warning: Your assessment of *Acme* was not saved. Acme was closed while you filled this in. Save again to start a new open deal called Acme with this assessment, or close this form.',
    );
    expect(back.view.blocks.find((b: { block_id?: string }) => b.block_id === 'problem').element.initial_value).toBe('Budget moved');
    // Told in the modal, so no DM about it.
    expect(app.fake.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes('not saved'))).toHaveLength(0);

    // Saving again starts the new deal, with the closed one's customer and the new close date, and keeps the closed
    // one as it was.
    const again = await app.slack.submit('U1', back.view, { problem: 'Budget moved' });
    expect(JSON.stringify(again.body.view.blocks)).toContain('Case G: Fight');
    const deals = await app.db.selectFrom('deals').select(['id', 'name', 'status', 'customer', 'close_date']).orderBy('id').execute();
    expect(deals.map(({ name, status, customer, close_date }) => ({ name, status, customer, close_date }))).toEqual([
      { name: 'Acme', status: 'lost', customer: 'Acme Corp', close_date: null },
      { name: 'Acme', status: 'open', customer: 'Acme Corp', close_date: '2027-09-30' },
    ]);
    expect(await app.db.selectFrom('assessments').select(['deal_id', 'problem']).where('problem', '=', 'Budget moved').execute()).toEqual([{ deal_id: deals[1]!.id, problem: 'Budget moved' }]);
  });

  it('puts the notes back, with the reason, when another form created the same new deal first; saving again adds to that deal', async () => {
    const app = await localApp();
    // Two forms name the same new deal; each passed the name check on its first step.
    const [first, second] = [await toNotesStep(app, 'Acme', G_ANSWERS), await toNotesStep(app, 'Acme', G_ANSWERS, { details: { new_customer: 'Acme Group' } })];
    await app.slack.submit('U1', first, { problem: 'Late deliveries' });
    const shown = await app.slack.submit('U1', second, { problem: 'Budget frozen' });
    expect(shown.body.response_action).toBe('update');
    const back = (await app.fake.waitFor((c) => c.method === 'views.update', 5000)).args.view;
    expect(back.blocks[0].text.text).toBe(
      ':warning: Your assessment of *Acme* was not saved. While you filled this in, another form opened a deal called Acme. Save again to add this assessment to it.',
    );
    expect(back.blocks.find((b: { block_id?: string }) => b.block_id === 'problem').element.initial_value).toBe('Budget frozen');
    expect(await app.db.selectFrom('deals').select('name').execute()).toEqual([{ name: 'Acme' }]);
    expect(await app.db.selectFrom('assessments').select('problem').execute()).toEqual([{ problem: 'Late deliveries' }]);

    // Saving again adds it to the deal the other form opened.
    const again = await app.slack.submit('U1', back, { problem: 'Budget frozen' });
    expect(JSON.stringify(again.body.view.blocks)).toContain('Case G: Fight');
    // With the customer typed in the second form.
    expect(await app.db.selectFrom('deals').select(['name', 'customer']).execute()).toEqual([{ name: 'Acme', customer: 'Acme Group' }]);
    expect(await app.db.selectFrom('assessments').select('problem').orderBy('id').execute()).toEqual([{ problem: 'Late deliveries' }, { problem: 'Budget frozen' }]);
  });

  it('answers a notes step whose flow has no answers with a field error, and saves nothing', async () => {
    const app = await localApp();
    const notes = await toNotesStep(app, 'Acme', G_ANSWERS);
    const broken = { ...notes, private_metadata: JSON.stringify({ ...JSON.parse(notes.private_metadata), answers: null }) };
    const refused = await app.slack.submit('U1', broken, { problem: 'Late deliveries' });
    expect(refused.body).toEqual({ response_action: 'errors', errors: { situation: expect.stringContaining('please try again') } });
    expect(await app.db.selectFrom('assessments').select('id').execute()).toHaveLength(0);
  });

  /** A reassessment of Acme refused because Acme was closed meanwhile, with Slack refusing to update the modal: the DMs that say so. */
  async function notSavedDms(typed: Record<string, string>): Promise<{ text: string; blocks: { text: { text: string } }[] }[]> {
    const app = await localApp();
    await assessNew(app, 'Acme', G_ANSWERS);
    // The first result's DM, before the calls are cleared: the ones looked for below are the not-saved DMs.
    await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U1', 5000);
    const notes = await toNotesStep(app, 'acme', G_ANSWERS, { reassess: true });
    await app.slack.command('U1', 'close Acme lost');
    app.fake.clear();
    app.fake.fail('views.update', { status: 500, times: 10 });
    await app.slack.submit('U1', notes, typed);
    await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U1', 10_000);
    // Every DM of the notice is sent by then.
    expect(await app.deps.afterAck.settled(10_000)).toBe(0);
    expect(await app.db.selectFrom('assessments').select('id').execute()).toHaveLength(1);
    return app.fake.callsTo('chat.postMessage').map((c) => c.args as any);
  }
  const NOT_SAVED = 'Your assessment of *Acme* was not saved. *Acme* is closed. `/deal assess Acme` starts a new deal of that name; the closed one keeps its history.';

  it('says by DM, with the notes, when a refused save cannot be told in the modal', async () => {
    const [dm, ...more] = await notSavedDms({ situation: 'CFO left', next_step: 'Call <b>Ana</b> & team' });
    expect(more).toEqual([]);
    expect(dm!.text).toBe(NOT_SAVED);
    // The answers too: with the form gone, this is their only copy.
    const answers = 'Budget: Possible\nAuthority: Influencer only\nNeed: Must have\nTiming: This quarter\nRelationship: They trust us\nCompetitors: We are ahead\nTime on this deal: 3-6 months\nTried all three axes: Yes';
    expect(dm!.blocks.map((b) => b.text.text).join('\n\n')).toBe(
      `${NOT_SAVED}\n\n${answers}\n\n_Situation: the customer's facts today_\nCFO left\n\n_Next step agreed with the customer_\nCall &lt;b&gt;Ana&lt;/b&gt; &amp; team`,
    );
  });

  it('says by DM how to add to the deal another form opened, when the modal cannot take it back', async () => {
    const app = await localApp();
    const [first, second] = [await toNotesStep(app, 'Acme', G_ANSWERS), await toNotesStep(app, 'Acme', G_ANSWERS)];
    await app.slack.submit('U1', first, { problem: 'Late deliveries' });
    await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U1', 5000);
    app.fake.clear();
    app.fake.fail('views.update', { status: 500, times: 10 });
    await app.slack.submit('U1', second, { problem: 'Budget frozen' });
    const dm = await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U1', 10_000);
    expect(dm.args.text).toBe('Your assessment of *Acme* was not saved. While you filled this in, another form opened a deal called *Acme*. `/deal assess Acme` adds an assessment to it; your answers and notes are below.');
    expect(textOf(dm.args.blocks)).toContain('Budget frozen');
  });

  it('sends every note in full, over as many DMs as Slack\'s text limit needs, when they are long once escaped', async () => {
    const typed = Object.fromEntries(['situation', 'problem', 'implication', 'need_payoff', 'next_step'].map((id, i) => [id, `${i}${'&<>'.repeat(333)}`]));
    const dms = await notSavedDms(typed);
    expect(dms.length).toBeGreaterThan(1);
    for (const dm of dms) expect(blockKitProblems('post', dm)).toEqual([]);
    const shown = dms.flatMap((dm) => dm.blocks.map((b) => b.text.text)).join('').replace(/\s/g, '');
    const escaped = (note: string) => note.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    let at = 0;
    for (const note of Object.values(typed)) {
      at = shown.indexOf(escaped(note), at);
      expect(at).toBeGreaterThan(0);
    }
  });
});

describe('Slack failing', () => {
  // A 429 means Slack did nothing; after a 500 or no answer, the form may be open on the user's screen.
  for (const fault of [
    { name: '429', fault: { status: 429 as const, retryAfter: 30, times: 5 }, told: 'Slack did not let me open the form just now.' },
    { name: '500', fault: { status: 500 as const, times: 5 }, told: 'Slack did not confirm that the form opened.' },
    { name: 'a 4-second stall', fault: { delayMs: 4000, times: 1 }, told: 'Slack did not confirm that the form opened.' },
  ]) {
    it(`tells the user when views.open meets ${fault.name}, without waiting past the trigger's life`, async () => {
      const app = await localApp();
      app.fake.fail('views.open', fault.fault);
      const start = Date.now();
      const ack = await app.slack.command('U1', 'assess Acme');
      expect(ack.status).toBe(200);
      expect(Date.now() - start).toBeLessThan(1000);
      const told = await app.fake.waitFor((c) => c.method === 'response_url', 5000);
      expect(told.args.text).toContain(fault.told);
      expect(told.at - start).toBeLessThan(3500);
      expect(app.fake.callsTo('views.open')).toHaveLength(1);
      expect(await app.db.selectFrom('deals').select('id').execute()).toHaveLength(0);
    });
  }

  it('logs a call that timed out without the bot token, which the failed HTTP request carried', async () => {
    const printed: string[] = [];
    const spies = (['debug', 'info', 'warn', 'error', 'log'] as const).map((level) => vi.spyOn(console, level).mockImplementation((...args) => void printed.push(format(...args))));
    try {
      const app = await localApp({ logLevel: 'warn' });
      app.fake.fail('views.open', { delayMs: 3000, times: 1 });
      await app.slack.command('U1', 'assess Acme');
      await app.fake.waitFor((c) => c.method === 'response_url', 5000);
      expect(printed.join('\n')).toContain('the assessment modal could not open');
      expect(printed.join('\n')).not.toContain('xoxb-local');
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('tells the user when a history or settings form cannot open, and whether Slack may have opened it', async () => {
    const app = await localApp();
    await assessNew(app, 'Acme', G_ANSWERS);
    await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U1', 5000);
    const { id } = await app.db.selectFrom('deals').select('id').executeTakeFirstOrThrow();
    app.fake.clear();
    app.fake.fail('views.open', { status: 500, times: 1 });
    await app.slack.click('U1', 'deal_history', String(id));
    expect((await app.fake.waitFor((c) => c.method === 'response_url', 5000)).args.text).toContain("Slack did not confirm that the form opened. If you don't see it");
    app.fake.clear();
    app.fake.fail('views.open', { status: 429, retryAfter: 5, times: 1 });
    await app.slack.command('U1', 'settings');
    expect((await app.fake.waitFor((c) => c.method === 'response_url', 5000)).args.text).toContain('Slack did not let me open the form just now.');
  });

  it('retries the result DM through a 500 and a 429, and the assessment stays saved', async () => {
    const app = await localApp();
    app.fake.fail('chat.postMessage', { status: 500, times: 1 });
    app.fake.fail('chat.postMessage', { status: 429, retryAfter: 1, times: 1 });
    const r = await assessNew(app, 'Acme', G_ANSWERS);
    expect(JSON.stringify(r.body.view.blocks)).toContain('Case G');
    await app.fake.waitFor(() => app.fake.delivered.some((m) => m.text.includes('Acme')), 8000);
    // The 500 may have been stored, so the DM is looked for first; the 429 surely was not, so it is not.
    expect(app.fake.callsTo('chat.postMessage')).toHaveLength(3);
    expect(app.fake.callsTo('conversations.history')).toHaveLength(1);
    expect(await app.db.selectFrom('assessments').select('id').execute()).toHaveLength(1);
  });

  for (const fault of [
    { name: 'a 500', fault: { status: 500 as const, landed: true, times: 1 } },
    { name: 'an error of its own', fault: { error: 'internal_error', landed: true, times: 1 } },
  ]) {
    it(`sends the result DM once when Slack stored it but answered with ${fault.name}`, async () => {
      const app = await localApp();
      app.fake.fail('chat.postMessage', fault.fault);
      await assessNew(app, 'Acme', G_ANSWERS);
      await app.fake.waitFor((c) => c.method === 'conversations.history', 5_000);
      // Looked for, found, and not posted again; the modal has nothing to warn about.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(app.fake.delivered.filter((m) => m.text.includes('Acme'))).toHaveLength(1);
      expect(app.fake.callsTo('chat.postMessage')).toHaveLength(1);
      expect(app.fake.callsTo('views.update')).toHaveLength(0);
    });
  }

  it('deletes a second copy of the result DM that Slack stored after answering 500', async () => {
    const app = await localApp({ resultDms: { tidyAfterMs: 4_000 } });
    // Slack fails the first post, then stores it anyway 2.5 s later: after the search (a second after the failure)
    // found nothing and we posted again.
    app.fake.fail('chat.postMessage', { status: 500, landsAfterMs: 2_500, times: 1 });
    await assessNew(app, 'Acme', G_ANSWERS);
    const copies = () => app.fake.delivered.filter((m) => m.text.includes('Acme'));
    await app.fake.waitFor(() => copies().length === 2, 5_000);
    const [confirmed, late] = copies();
    const deleted = await app.fake.waitFor((c) => c.method === 'chat.delete', 5_000);
    expect(deleted.args).toMatchObject({ channel: 'D1', ts: late!.ts });
    expect(copies()).toEqual([confirmed]);
    expect(app.fake.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('posts the result DM again when Slack refused the look for a failed post, and deletes the copy that made', async () => {
    const app = await localApp({ resultDms: { tidyAfterMs: 2_000 } });
    app.fake.fail('chat.postMessage', { status: 500, landed: true, times: 1 });
    app.fake.fail('conversations.history', { status: 429, retryAfter: 1, times: 1 });
    await assessNew(app, 'Acme', G_ANSWERS);
    const copies = () => app.fake.delivered.filter((m) => m.text.includes('Acme'));
    await app.fake.waitFor(() => copies().length === 2, 5_000);
    await app.fake.waitFor((c) => c.method === 'chat.delete', 5_000);
    expect(copies()).toHaveLength(1);
    // The modal does not say the DM failed: it arrived.
    expect(app.fake.callsTo('views.update')).toHaveLength(0);
  });

  it('keeps the one copy of a result DM when a failed post never landed', async () => {
    const app = await localApp({ resultDms: { tidyAfterMs: 2_000 } });
    app.fake.fail('chat.postMessage', { status: 500, times: 1 });
    await assessNew(app, 'Acme', G_ANSWERS);
    // Once to see whether the failed post landed, once more to look for a late copy.
    await app.fake.waitFor(() => app.fake.callsTo('conversations.history').length === 2, 5_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(app.fake.callsTo('chat.delete')).toHaveLength(0);
    expect(app.fake.delivered.filter((m) => m.text.includes('Acme'))).toHaveLength(1);
  });

  it('says in the result modal when the DM copy cannot be sent, and the assessment stays saved', async () => {
    const app = await localApp();
    app.fake.fail('chat.postMessage', { status: 500, times: 10 });
    const r = await assessNew(app, 'Acme & Co', G_ANSWERS);
    expect(JSON.stringify(r.body.view.blocks)).not.toContain('could not send');
    const update = await app.fake.waitFor((c) => c.method === 'views.update', 8000);
    // The retries come first, each after looking for the DM in case Slack kept it: the note follows the last.
    expect(app.fake.callsTo('chat.postMessage')).toHaveLength(4);
    expect(update.args.view_id).toBe('V1');
    expect(update.args.view.blocks[0].elements[0].text).toBe('I could not send you a copy of this result in a DM. It is saved all the same: `/deal show Acme &amp; Co` brings it back, with its history.');
    // The rest of the screen is the result the user was reading.
    expect(update.args.view.blocks.slice(1)).toEqual(r.body.view.blocks);
    expect(await app.db.selectFrom('assessments').select('id').execute()).toHaveLength(1);
  });
});

describe('App Home and health', () => {
  it('publishes the Home tab once per event, ignoring a retried delivery', async () => {
    const app = await localApp();
    await assessNew(app, 'Acme', G_ANSWERS);
    await app.fake.waitFor((c) => c.method === 'chat.postMessage');
    app.fake.clear();
    const event = { type: 'app_home_opened', user: 'U1', channel: 'DU1', tab: 'home', event_ts: '1.2' };
    expect((await app.slack.event(event, { eventId: 'Ev1' })).status).toBe(200);
    expect((await app.slack.event(event, { eventId: 'Ev1', retryNum: 1 })).status).toBe(200);
    const publish = await app.fake.waitFor((c) => c.method === 'views.publish');
    await new Promise((r) => setTimeout(r, 200));
    expect(app.fake.callsTo('views.publish')).toHaveLength(1);
    expect(publish.args.user_id).toBe('U1');
    const home = JSON.stringify(publish.args.view.blocks);
    expect(home).toContain('Assess a deal');
    expect(home).toContain('*Acme* · Case G · Fight');
    expect(home).toContain('deal_reassess');
    expect(home).toContain('deal_history');
  });

  it('opens the assessment from the Home tab button and says by DM when it cannot', async () => {
    const app = await localApp();
    await app.slack.click('U1', 'home_assess', 'new', 'home');
    const opened = await app.fake.waitFor((c) => c.method === 'views.open');
    expect(opened.args.view.callback_id).toBe('assess_deal');
    app.fake.fail('views.open', { status: 429, retryAfter: 5, times: 1 });
    await app.slack.click('U1', 'home_assess', 'new', 'home');
    const dm = await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U1');
    expect(dm.args.text).toContain('did not let me open the form');
  });

  it('shows the new result on the Home tab when the assessment was started there, and only then', async () => {
    const app = await localApp();
    await app.slack.click('U1', 'home_assess', 'new', 'home');
    const step1 = (await app.fake.waitFor((c) => c.method === 'views.open')).args.view;
    const axes = await app.slack.submit('U1', step1, { new_name: 'Acme' });
    const notes = await app.slack.submit('U1', axes.body.view, G_ANSWERS);
    await app.slack.submit('U1', notes.body.view, {});
    const publish = await app.fake.waitFor((c) => c.method === 'views.publish');
    expect(publish.args.user_id).toBe('U1');
    expect(JSON.stringify(publish.args.view.blocks)).toContain('*Acme* · Case G · Fight');

    // Started from a command, the Home tab is not touched: Slack asks for it fresh when the tab is opened.
    app.fake.clear();
    await assessNew(app, 'Globex', G_ANSWERS);
    await app.fake.waitFor((c) => c.method === 'chat.postMessage');
    await new Promise((r) => setTimeout(r, 200));
    expect(app.fake.callsTo('views.publish')).toHaveLength(0);
  });

  it('answers /healthz 200 while the database answers, and 503 once it does not', async () => {
    const app = await localApp();
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    await app.db.destroy();
    const down = await fetch(`${app.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.text()).toBe('database unavailable');
  });
});
