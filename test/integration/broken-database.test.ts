import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { G_ANSWERS, assessNew, localApp, tempDbPath } from '../support/local.js';

/** Tables taken away under the running app (a bad restore, a hand-edited file): every read of them fails. */
function breakTables(file: string, tables: string[]) {
  const other = new SQLite(file);
  for (const table of tables) other.exec(`alter table ${table} rename to ${table}_gone`);
  other.close();
}

const WENT_WRONG = 'Something went wrong on my side';

describe('a database that fails to read', () => {
  it('answers every surface with a plain "something went wrong", in the default language, never silence', async () => {
    const file = tempDbPath();
    const app = await localApp({ databasePath: file });
    await assessNew(app, 'Acme', G_ANSWERS);
    const [deal, assessment] = [await app.db.selectFrom('deals').select('id').executeTakeFirstOrThrow(), await app.db.selectFrom('assessments').select('id').executeTakeFirstOrThrow()];
    const opened = (callbackId: string) => app.fake.waitFor((c) => c.method === 'views.open' && c.args.view.callback_id === callbackId).then((c) => c.args.view);
    await app.slack.click('U1', 'deal_close', String(deal.id));
    const closeModal = await opened('close_deal');
    await app.slack.click('U1', 'deal_share', String(assessment.id));
    const shareModal = await opened('share_result');
    breakTables(file, ['deals', 'user_settings']);
    app.fake.clear();

    // U2 has no remembered settings either: the answers come in the default language.
    const list = await app.slack.command('U2', 'list');
    expect(list.body.text).toContain(WENT_WRONG);

    // The Home tab's button has no response_url: the user is told by DM.
    await app.slack.click('U2', 'home_assess', 'new', 'home');
    const dm = await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U2');
    expect(dm.args.text).toContain(WENT_WRONG);

    // A button on a message answers in place.
    await app.slack.click('U2', 'deal_reassess', String(deal.id));
    const inPlace = await app.fake.waitFor((c) => c.method === 'response_url');
    expect(inPlace.args.text).toContain(WENT_WRONG);
    expect(app.fake.callsTo('views.open')).toHaveLength(0);

    // Modals already open keep what was typed and say so in a field error.
    const close = await app.slack.submit('U1', closeModal, { status: 'won' });
    expect(close.body).toEqual({ response_action: 'errors', errors: { status: expect.stringContaining(WENT_WRONG) } });
    const share = await app.slack.submit('U1', shareModal, { channel: 'C_SALES' });
    expect(share.body).toEqual({ response_action: 'errors', errors: { channel: expect.stringContaining(WENT_WRONG) } });
  });
});
