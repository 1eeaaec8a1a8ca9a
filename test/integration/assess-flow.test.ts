import { describe, expect, it } from 'vitest';
import { FakeSlack } from '../../src/fake-slack/server.js';
import { G_ANSWERS, H_ANSWERS, assessNew, lastOpenedView, localApp, tempDbPath, textOf } from '../support/local.js';

describe('/deal assess through the real app', () => {
  it('walks a new deal through the three steps, shows the result, DMs it and keeps it in SQLite', async () => {
    const { slack, fake, db } = await localApp();
    const started = Date.now();
    const ack = await slack.command('U1', 'assess Acme');
    expect(ack.status).toBe(200);
    const open = await fake.waitFor((c) => c.method === 'views.open');
    expect(open.at - started).toBeLessThan(3000);

    const step1 = open.args.view;
    expect(step1.callback_id).toBe('assess_deal');
    const nameBlock = step1.blocks.find((b: any) => b.block_id === 'new_name');
    expect(nameBlock.element.initial_value).toBe('Acme');
    // No open deal to pick: the name is required, so Slack asks for it itself.
    expect(nameBlock.optional).toBe(false);

    const r1 = await slack.submit('U1', step1, { new_name: 'Acme', new_customer: 'Acme Corp', new_value: '25000.50', new_currency: 'USD', new_close_date: '2027-03-31' });
    expect(r1.body.response_action).toBe('update');
    expect(r1.body.view.callback_id).toBe('assess_axes');
    const labels = r1.body.view.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.label.text);
    for (const [i, word] of ['Budget', 'Authority', 'Need', 'Timing', 'Relationship', 'Competitors', 'Time on this deal', 'Tried to improve all three axes?'].entries()) {
      expect(labels[i].startsWith(word)).toBe(true);
    }

    const r2 = await slack.submit('U1', r1.body.view, G_ANSWERS);
    expect(r2.body.view.callback_id).toBe('assess_notes');

    const r3 = await slack.submit('U1', r2.body.view, { situation: '40 reps on spreadsheets', problem: 'Forecasts miss by 30%', next_step: 'Demo to the CFO on Friday' });
    expect(r3.body.response_action).toBe('update');
    const result = textOf(r3.body.view.blocks);
    expect(result).toContain('Case G: Fight');
    expect(result).toContain('this G would become case H');

    const dm = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U1');
    const dmText = textOf(dm.args.blocks);
    expect(dmText).toContain('Case G: Fight');
    const buttons = dm.args.blocks.find((b: any) => b.type === 'actions').elements.map((e: any) => e.action_id);
    expect(buttons).toEqual(['deal_reassess', 'deal_history', 'deal_share', 'deal_close']);

    const deals = await db.selectFrom('deals').selectAll().execute();
    expect(deals).toHaveLength(1);
    expect(deals[0]).toMatchObject({ name: 'Acme', customer: 'Acme Corp', value_minor: 2500050, currency: 'USD', close_date: '2027-03-31', status: 'open', team_id: 'T1', owner_id: 'U1' });
    const rows = await db.selectFrom('assessments').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ case_code: 'G', capability_level: 'low', need_level: 'high', trust_level: 'high', problem: 'Forecasts miss by 30%', implication: null });
  });

  it('leads a young let-go deal with "too early to give up", in the result and in the DM\'s notification line', async () => {
    const app = await localApp();
    const young = { budget: 'none', authority: 'no_access', need: 'no_need', timing: 'no_timeline', relationship: 'unknown_to_them', competitors: 'behind', time_on_deal: 'under_1m', tried_all: 'yes' };
    const result = await assessNew(app, 'Fresh Lead', young);
    expect(result.body.view.blocks[1].text.text).toMatch(/^\*Too early to give up\.\*/);
    const dm = await app.fake.waitFor((c) => c.method === 'chat.postMessage');
    expect(dm.args.text).toBe('Fresh Lead: Case A: Too early to give up');
    // The lists and the history keep the caveat beside the verdict.
    expect(textOf((await app.slack.command('U1', 'list')).body.blocks)).toContain('*Fresh Lead* · Case A · Too early to give up · assessed today');
    expect(textOf((await app.slack.command('U1', 'show Fresh Lead')).body.blocks)).toContain('Case A: Too early to give up');
  });

  it('reassesses with the previous answers prefilled, and a restarted app shows the history and trend', async () => {
    const databasePath = tempDbPath();
    const fake = new FakeSlack();
    const first = await localApp({ databasePath, fake });
    await assessNew(first, 'Acme', G_ANSWERS, { situation: 'First call' });
    const deal = await first.db.selectFrom('deals').select('id').executeTakeFirstOrThrow();

    await first.slack.click('U1', 'deal_reassess', String(deal.id));
    const opened = await fake.waitFor((c) => c.method === 'views.open' && c.args.view.callback_id === 'assess_axes');
    const prefilled = Object.fromEntries(opened.args.view.blocks.filter((b: any) => b.type === 'input').map((b: any) => [b.block_id, b.element.initial_option?.value]));
    expect(prefilled).toEqual(G_ANSWERS);
    const notes = await first.slack.submit('U1', opened.args.view, { budget: 'confirmed', authority: 'decider_committed' });
    const result = await first.slack.submit('U1', notes.body.view, { situation: 'CFO joined' });
    expect(textOf(result.body.view.blocks)).toContain('Case H: Keep going');
    await first.stop();

    const second = await localApp({ databasePath, fake });
    const show = await second.slack.command('U1', 'show acme');
    const shown = textOf(show.body.blocks);
    expect(shown).toContain('G -> H');
    expect(shown).toContain('First call');
    expect(shown).toContain('CFO joined');
    expect(shown.indexOf('First call')).toBeLessThan(shown.indexOf('CFO joined'));
  });

  it('moves the prefilled time on the deal on by the months since that answer was first given', async () => {
    let days = 0;
    const app = await localApp({ now: () => new Date(Date.now() + days * 86_400_000) });
    const timeOnDeal = async (): Promise<string> => {
      app.fake.clear();
      await app.slack.click('U1', 'deal_reassess', String(deal.id));
      const opened = await app.fake.waitFor((c) => c.method === 'views.open' && c.args.view.callback_id === 'assess_axes');
      return opened.args.view.blocks.find((b: any) => b.block_id === 'time_on_deal').element.initial_option.value;
    };
    /** Reassesses, taking the prefilled answers, or changing the time on the deal. */
    const reassess = async (answer?: string) => {
      app.fake.clear();
      await app.slack.click('U1', 'deal_reassess', String(deal.id));
      const axes = await app.fake.waitFor((c) => c.method === 'views.open' && c.args.view.callback_id === 'assess_axes');
      const notes = await app.slack.submit('U1', axes.args.view, answer ? { time_on_deal: answer } : {});
      await app.slack.submit('U1', notes.body.view, {});
    };
    await assessNew(app, 'Acme', { ...G_ANSWERS, time_on_deal: 'm1_3' });
    const deal = await app.db.selectFrom('deals').select('id').executeTakeFirstOrThrow();
    // Corrected the same day: the correction counts, not the first answer.
    await reassess('under_1m');
    // Reassessed every two weeks taking the prefill: a month after the correction, the deal is over a month old.
    for (days = 14; days <= 28; days += 14) {
      expect(await timeOnDeal()).toBe('under_1m');
      await reassess();
    }
    days = 35;
    expect(await timeOnDeal()).toBe('m1_3');
    // Two months after the correction: the first answer ("1-3 months") would make it three.
    days = 62;
    expect(await timeOnDeal()).toBe('m1_3');
    // Accepting the "1-3 months" offered keeps the deal's age: it still counts from the correction, not from today.
    await reassess();
    days = 95;
    expect(await timeOnDeal()).toBe('m3_6');
    // Offered "3-6 months", the seller puts back the "Under 1 month" saved before: a correction, counted from now.
    await reassess('under_1m');
    days = 109;
    expect(await timeOnDeal()).toBe('under_1m');
    expect(await app.db.selectFrom('assessments').select('time_on_deal').orderBy('id').execute()).toEqual([
      { time_on_deal: 'm1_3' },
      { time_on_deal: 'under_1m' },
      { time_on_deal: 'under_1m' },
      { time_on_deal: 'under_1m' },
      { time_on_deal: 'm1_3' },
      { time_on_deal: 'under_1m' },
    ]);
  });

  it('updates a picked deal with the details filled in beside it, when the assessment is saved', async () => {
    const app = await localApp();
    await assessNew(app, 'Acme', G_ANSWERS);
    await app.db.updateTable('deals').set({ customer: 'Acme Corp', close_date: '2027-03-31' }).execute();
    app.fake.clear();
    await app.slack.command('U1', 'assess acme');
    await app.fake.waitFor((c) => c.method === 'views.open');
    const step1 = lastOpenedView(app.fake);
    expect(textOf(step1.blocks)).toContain('also update a deal you picked above');
    // The close date slipped and the value is now known; the customer field is left empty.
    const axes = await app.slack.submit('U1', step1, { new_close_date: '2027-06-30', new_value: '5000', new_currency: 'EUR' });
    const details = () => app.db.selectFrom('deals').select(['customer', 'value_minor', 'currency', 'close_date']).executeTakeFirstOrThrow();
    // Nothing changes before the assessment is saved.
    expect(await details()).toEqual({ customer: 'Acme Corp', value_minor: null, currency: null, close_date: '2027-03-31' });
    const notes = await app.slack.submit('U1', axes.body.view, {});
    await app.slack.submit('U1', notes.body.view, {});
    expect(await details()).toEqual({ customer: 'Acme Corp', value_minor: 500000, currency: 'EUR', close_date: '2027-06-30' });
    expect(await app.db.selectFrom('assessments').select('id').execute()).toHaveLength(2);
  });

  it('preselects an open deal whose name matches, ignoring case', async () => {
    const app = await localApp();
    await assessNew(app, 'Acme Corp', H_ANSWERS);
    app.fake.clear();
    await app.slack.command('U1', 'assess ACME corp');
    await app.fake.waitFor((c) => c.method === 'views.open');
    const view = lastOpenedView(app.fake);
    const pick = view.blocks.find((b: any) => b.block_id === 'deal_pick');
    expect(pick.element.initial_option.text.text).toBe('Acme Corp');
    // Beside a deal to pick, a new name is the other answer, so Slack must not demand one.
    expect(view.blocks.find((b: any) => b.block_id === 'new_name').optional).toBe(true);
    expect(view.blocks[0].type).not.toBe('context');
  });

  it('says of a name that is none of the open deals whether a closed deal has it, or which open deal was meant', async () => {
    const app = await localApp();
    await assessNew(app, 'Acme Corp', H_ANSWERS);
    await assessNew(app, 'Old & Gone', H_ANSWERS);
    await app.slack.command('U1', 'close Old &amp; Gone lost');
    const noteFor = async (typed: string) => {
      app.fake.clear();
      await app.slack.command('U1', `assess ${typed}`);
      const first = (await app.fake.waitFor((c) => c.method === 'views.open')).args.view.blocks[0];
      return first.type === 'context' ? first.elements[0].text : null;
    };
    expect(await noteFor('old &amp; gone')).toBe('Your deal *Old &amp; Gone* was closed (lost). Saving starts a new deal of that name; the closed one keeps its own history.');
    expect(await noteFor('Acme Crop')).toBe('You have no open deal called *Acme Crop*. Did you mean *Acme Corp*? Pick it below, or fill in a new deal.');
    // Picking the deal meant, as the note says, goes on to the questions: the name the step filled in is no new name.
    const step1 = (await app.fake.waitFor((c) => c.method === 'views.open')).args.view;
    const corp = await app.db.selectFrom('deals').select('id').where('name', '=', 'Acme Corp').executeTakeFirstOrThrow();
    const picked = await app.slack.submit('U1', step1, { deal_pick: String(corp.id) });
    expect(picked.body.response_action).toBe('update');
    expect(textOf(picked.body.view.blocks)).toContain('Acme Corp');
    // A name the seller changed beside a pick is still asked about.
    expect((await app.slack.submit('U1', step1, { deal_pick: String(corp.id), new_name: 'Acme Crops' })).body.errors.new_name).toContain('picked a deal');
    // A new name that is near nothing gets no note: creating a deal is what the seller meant.
    expect(await noteFor('Brand New Ltd')).toBeNull();
  });

  it('says where to change a deal\'s details when a button skips the deal step', async () => {
    const app = await localApp();
    await assessNew(app, 'Acme', G_ANSWERS);
    const { id } = await app.db.selectFrom('deals').select('id').executeTakeFirstOrThrow();
    app.fake.clear();
    await app.slack.click('U1', 'deal_reassess', String(id));
    const axes = (await app.fake.waitFor((c) => c.method === 'views.open')).args.view;
    expect(textOf(axes.blocks)).toContain('To change the customer, value or close date of *Acme*, use `/deal assess Acme`.');
  });

  it('lists, shows and closes deals', async () => {
    const app = await localApp();
    await assessNew(app, 'Acme', G_ANSWERS);
    await assessNew(app, 'Globex', H_ANSWERS);
    const list = await app.slack.command('U1', 'list');
    const text = textOf(list.body.blocks);
    expect(text).toContain('*Acme* · Case G · Fight · assessed today');
    expect(text).toContain('*Globex* · Case H · Keep going');

    const rambling = await app.slack.command('U1', `close Globex won ${'because '.repeat(40)}`);
    expect(rambling.body.text).toBe('Keep the reason to 300 characters or fewer. The deal is still open.');
    const closed = await app.slack.command('U1', 'close Globex won signed for 3 years');
    expect(closed.body.text).toContain('*Globex* is closed as won');
    const row = await app.db.selectFrom('deals').selectAll().where('name', '=', 'Globex').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'won', close_reason: 'signed for 3 years' });
    expect(textOf((await app.slack.command('U1', 'list')).body.blocks)).not.toContain('Globex');
    expect((await app.slack.command('U1', 'close Globex lost')).body.text).toContain('already closed');
    expect((await app.slack.command('U1', 'close Globex')).body.text).toContain('/deal close &lt;deal&gt; won|lost|dropped');
  });

  it('reads a run of spaces in a deal name as one, in the modal and in commands', async () => {
    const app = await localApp();
    await assessNew(app, 'Acme \u00a0 Corp', G_ANSWERS);
    expect(await app.db.selectFrom('deals').select(['name', 'name_key']).execute()).toEqual([{ name: 'Acme Corp', name_key: 'acme corp' }]);
    expect(textOf((await app.slack.command('U1', 'show Acme   Corp')).body.blocks)).toContain('Acme Corp');
    await app.slack.command('U1', 'assess');
    await app.fake.waitFor(() => app.fake.callsTo('views.open').length === 2);
    const dup = await app.slack.submit('U1', lastOpenedView(app.fake), { new_name: 'acme\tcorp' });
    expect(dup.body.errors.new_name).toBe('You already have an open deal called acme corp. Pick it from the list instead.');
  });

  it('closes the deal the seller meant when its name holds won, lost or dropped', async () => {
    const app = await localApp();
    await assessNew(app, 'Paradise', G_ANSWERS);
    await assessNew(app, 'Paradise Lost Inc', G_ANSWERS);
    expect((await app.slack.command('U1', 'close Paradise Lost Inc won')).body.text).toContain('*Paradise Lost Inc* is closed as won');
    expect((await app.slack.command('U1', 'close Paradise lost budget cut')).body.text).toContain('*Paradise* is closed as lost');
    const rows = await app.db.selectFrom('deals').select(['name', 'status', 'close_reason']).orderBy('name').execute();
    expect(rows).toEqual([
      { name: 'Paradise', status: 'lost', close_reason: 'budget cut' },
      { name: 'Paradise Lost Inc', status: 'won', close_reason: null },
    ]);
  });

  it('answers help and unknown subcommands with the usage', async () => {
    const app = await localApp();
    for (const text of ['', 'help', 'frobnicate']) {
      const res = await app.slack.command('U1', text);
      expect(res.body.text).toContain('/deal assess');
    }
    // A typo is said to be one, before the usage.
    const typo = await app.slack.command('U1', 'asess <Acme>');
    expect(typo.body.blocks[0].text.text).toBe("I don't know the command “asess”. Here is what I can do:");
    expect(textOf(typo.body.blocks)).toContain('/deal show &lt;deal&gt;');
    expect((await app.slack.command('U1', 'help')).body.text).not.toContain("I don't know");
  });
});

describe('what a user may see', () => {
  it("treats another user's deal as not found and suggests the closest of their own", async () => {
    const app = await localApp();
    await assessNew(app, 'Acme', G_ANSWERS, {}, 'U1');
    await assessNew(app, 'Initech', G_ANSWERS, {}, 'U2');
    const other = await app.slack.command('U2', 'show Acme');
    expect(other.body.text).toContain("can't find a deal of yours called *Acme*");
    expect(other.body.text).not.toContain('Did you mean *Acme*');
    const typo = await app.slack.command('U2', 'show Initek');
    expect(typo.body.text).toContain('Did you mean *Initech*');
    await app.slack.command('U2', 'close Acme won');
    const acme = await app.db.selectFrom('deals').select('status').where('name', '=', 'Acme').executeTakeFirstOrThrow();
    expect(acme.status).toBe('open');
    // A forged reassess click on someone else's deal opens nothing.
    const id = (await app.db.selectFrom('deals').select('id').where('name', '=', 'Acme').executeTakeFirstOrThrow()).id;
    app.fake.clear();
    await app.slack.click('U2', 'deal_reassess', String(id));
    const told = await app.fake.waitFor((c) => c.method === 'response_url');
    expect(told.args.text).toBe('That deal is no longer among your deals in Deal Coach.');
    expect(app.fake.callsTo('views.open')).toHaveLength(0);
  });
});

