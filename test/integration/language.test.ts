import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { saveWorkspaceSettings, defaultWorkspaceSettings, updateUserSettings } from '../../src/db/repositories/settings.js';
import { G_ANSWERS, assessNew, localApp, textOf } from '../support/local.js';

const content = loadContent();
const title = (locale: string) => content.get(locale).messages.modal.title_deal;

async function openedTitle(app: Awaited<ReturnType<typeof localApp>>, user: string): Promise<string> {
  app.fake.clear();
  await app.slack.command(user, 'assess');
  return (await app.fake.waitFor((c) => c.method === 'views.open')).args.view.title.text;
}

describe('each person reads their own language', () => {
  it('follows the personal setting, then the Slack locale, then the workspace language, then English', async () => {
    const app = await localApp();
    app.fake.users.set('U_VI', { id: 'U_VI', locale: 'vi-VN' });
    app.fake.users.set('U_FR', { id: 'U_FR', locale: 'fr-FR' });
    app.fake.users.set('U_PICK', { id: 'U_PICK', locale: 'vi-VN' });
    app.fake.users.set('U_TH', { id: 'U_TH', locale: 'th-TH' });
    expect(new Set([title('en'), title('vi'), title('zh-CN'), title('th')]).size).toBe(4);

    expect(await openedTitle(app, 'U_VI')).toBe(title('vi'));
    expect(app.fake.callsTo('users.info')[0]!.args).toMatchObject({ user: 'U_VI', include_locale: 'true' });
    expect(await openedTitle(app, 'U_TH')).toBe(title('th'));
    expect(await openedTitle(app, 'U_FR')).toBe(title('en'));

    await saveWorkspaceSettings(app.db, { ...defaultWorkspaceSettings('T1'), language: 'zh-CN' }, new Date());
    app.deps.readerFor.forget('T1');
    expect(await openedTitle(app, 'U_FR')).toBe(title('zh-CN'));
    expect(await openedTitle(app, 'U_VI')).toBe(title('vi'));

    await updateUserSettings(app.db, 'T1', 'U_PICK', { language: 'en' }, new Date());
    app.deps.readerFor.forget('T1', 'U_PICK');
    expect(await openedTitle(app, 'U_PICK')).toBe(title('en'));
  });

  it('asks Slack for a profile once a day, not on every request', async () => {
    const app = await localApp();
    app.fake.users.set('U_VI', { id: 'U_VI', locale: 'vi-VN' });
    await openedTitle(app, 'U_VI');
    expect(app.fake.callsTo('users.info')).toHaveLength(1);
    app.fake.clear();
    await app.slack.command('U_VI', 'list');
    await app.slack.command('U_VI', 'help');
    expect(app.fake.callsTo('users.info')).toHaveLength(0);
  });

  it('writes the result, list and history in the reader’s language with local dates and money', async () => {
    const app = await localApp();
    app.fake.users.set('U_VI', { id: 'U_VI', locale: 'vi-VN', tz: 'Asia/Ho_Chi_Minh' });
    const vi = content.get('vi');
    const result = await assessNew(app, 'Acme', G_ANSWERS, { problem: 'Giao hàng trễ' }, 'U_VI');
    expect(textOf(result.body.view.blocks)).toContain(`Tình huống G: ${vi.advice.cases.G.verdict}`);
    const dm = await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U_VI');
    expect(textOf(dm.args.blocks)).toContain(vi.messages.buttons.reassess);

    await app.db.updateTable('deals').set({ value_minor: 1_200_000_000, currency: 'VND', close_date: '2027-03-31' }).execute();
    const shown = textOf((await app.slack.command('U_VI', 'show acme')).body.blocks);
    expect(shown).toContain(new Intl.NumberFormat('vi', { style: 'currency', currency: 'VND' }).format(1_200_000_000));
    expect(shown).toContain(new Intl.DateTimeFormat('vi', { dateStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date('2027-03-31T12:00:00Z')));
    expect(shown).toContain('Giao hàng trễ');
  });

  it('shows dates in the workspace time zone when Slack gives the reader one this machine does not know', async () => {
    const app = await localApp();
    app.fake.users.set('U1', { id: 'U1', locale: 'en-US', tz: 'Mars/Olympus_Mons' });
    await assessNew(app, 'Acme', G_ANSWERS);
    await app.db.updateTable('deals').set({ close_date: '2027-03-31' }).execute();
    const shown = await app.slack.command('U1', 'show acme');
    expect(textOf(shown.body.blocks)).toContain('Mar 31, 2027');
    expect(textOf((await app.slack.command('U1', 'list')).body.blocks)).toContain('*Acme* · Case G · Fight · assessed today');
  });
});
