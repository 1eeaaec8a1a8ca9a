import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/coaching/answers.js';
import { createDb } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { saveAssessment } from '../../src/db/repositories/assessments.js';
import { closeDeal, findOpenDealByName, listOpenDeals } from '../../src/db/repositories/deals.js';
import { G_ANSWERS, NO_NOTES, assessNew, lastOpenedView, localApp, tempDbPath, textOf } from '../support/local.js';


describe('open deals of an owner', () => {
  it('lists only the owner’s open deals, by name without regard to case, and finds one by name', async () => {
    const db = createDb(tempDbPath());
    await migrateToLatest(db);
    const owner = { teamId: 'T1', userId: 'U1' };
    const add = async (name: string, who = owner) =>
      (await saveAssessment(db, { owner: who, deal: { create: { name, customer: null, valueMinor: null, currency: null, closeDate: null } }, answers: G_ANSWERS as Answers, notes: NO_NOTES, submissionKey: `k-${who.userId}-${name}`, now: new Date() })).dealId;
    await add('beta');
    await add('Alpha');
    await add('acme Corp');
    await closeDeal(db, await add('Zulu'), 'won', null, new Date());
    await add('Aardvark', { teamId: 'T1', userId: 'U2' });
    await add('Aardvark', { teamId: 'T2', userId: 'U1' });

    expect((await listOpenDeals(db, owner)).map((d) => d.name)).toEqual(['acme Corp', 'Alpha', 'beta']);
    expect((await findOpenDealByName(db, owner, ' ALPHA '))?.name).toBe('Alpha');
    expect(await findOpenDealByName(db, owner, 'zulu')).toBeUndefined();
    expect(await findOpenDealByName(db, owner, 'aardvark')).toBeUndefined();
    await db.destroy();
  });
});

describe('open deals in Slack', () => {
  it('shows them in name order without regard to case, in /deal list and in the step-1 picker', async () => {
    const app = await localApp();
    for (const name of ['beta', 'Alpha', 'acme Corp']) await assessNew(app, name, G_ANSWERS);
    const listed = textOf((await app.slack.command('U1', 'list')).body.blocks);
    const at = (name: string) => listed.indexOf(`*${name}*`);
    expect(at('acme Corp')).toBeGreaterThan(-1);
    expect(at('acme Corp')).toBeLessThan(at('Alpha'));
    expect(at('Alpha')).toBeLessThan(at('beta'));

    const opened = app.fake.callsTo('views.open').length;
    await app.slack.command('U1', 'assess');
    await app.fake.waitFor(() => app.fake.callsTo('views.open').length > opened);
    const pick = lastOpenedView(app.fake).blocks.find((b: { block_id?: string }) => b.block_id === 'deal_pick');
    expect(pick.element.options.map((o: { text: { text: string } }) => o.text.text)).toEqual(['➕ A new deal (fill in below)', 'acme Corp', 'Alpha', 'beta']);
  });

  it('finds a deal named with & < > when the command text carries them as Slack sends them, escaped', async () => {
    const app = await localApp();
    // Typed in the modal, the name arrives as written; typed after /deal, as Slack escapes it.
    await assessNew(app, 'AT&T <EU>', G_ANSWERS);
    const deal = await app.db.selectFrom('deals').select(['name']).executeTakeFirstOrThrow();
    expect(deal.name).toBe('AT&T <EU>');
    const shown = await app.slack.command('U1', 'show at&amp;t &lt;eu&gt;');
    expect(shown.body.blocks[0]).toMatchObject({ type: 'header', text: { text: 'AT&T <EU>' } });
    const closed = await app.slack.command('U1', 'close AT&amp;T &lt;EU&gt; won R&amp;D budget');
    expect(closed.body.text).toContain('*AT&amp;T &lt;EU&gt;*');
    expect(await app.db.selectFrom('deals').select(['status', 'close_reason']).executeTakeFirstOrThrow()).toEqual({ status: 'won', close_reason: 'R&D budget' });
  });

  it('finds a deal named like a domain, which Slack sends after /deal as a link', async () => {
    const app = await localApp();
    await assessNew(app, 'acme.com', G_ANSWERS);
    const shown = await app.slack.command('U1', 'show <http://acme.com|acme.com>');
    expect(shown.body.blocks[0]).toMatchObject({ type: 'header', text: { text: 'acme.com' } });
    expect(shown.body.text).toBe('acme.com');
    app.fake.clear();
    await app.slack.command('U1', 'assess <http://ACME.com|ACME.com>');
    const pick = (await app.fake.waitFor((c) => c.method === 'views.open')).args.view.blocks.find((b: { block_id?: string }) => b.block_id === 'deal_pick');
    expect(pick.element.initial_option.text.text).toBe('acme.com');
    const closed = await app.slack.command('U1', 'close <http://acme.com|acme.com> lost <@U9|bob> left, see <http://crm.io/x|crm.io/x>');
    expect(closed.body.text).toContain('*acme.com*');
    expect(await app.db.selectFrom('deals').select(['status', 'close_reason']).executeTakeFirstOrThrow()).toEqual({ status: 'lost', close_reason: '@bob left, see crm.io/x' });
  });
});
