import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { G_ANSWERS, assessNew, localApp, tempDbPath, testLogger, toNotesStep } from '../support/local.js';

/** Another connection to the same file (a second instance of the bot, an operator's sqlite3 shell) holding the write lock. */
function holdWriteLock(file: string) {
  const other = new SQLite(file);
  other.exec('begin immediate');
  return () => {
    other.exec('rollback');
    other.close();
  };
}

describe('the database locked by another process', () => {
  it('shows the result at once, puts the notes back with "try again" when the save meets the lock, keeps answering others, and saves once the lock is gone', async () => {
    const file = tempDbPath();
    const app = await localApp({ databasePath: file });
    const notes = await toNotesStep(app, 'Acme', G_ANSWERS);

    const release = holdWriteLock(file);
    const start = Date.now();
    const shown = await app.slack.submit('U1', notes, { problem: 'Late deliveries' });
    expect(shown.body.response_action).toBe('update');
    // Waiting out the lock blocks every request the app is serving: it gives up well inside the 3 seconds.
    expect(Date.now() - start).toBeLessThan(2000);
    const back = (await app.fake.waitFor((c) => c.method === 'views.update', 5000)).args.view;
    expect(back.blocks[0].text.text).toBe(':warning: Your assessment of *Acme* was not saved. Something went wrong on my side. Nothing you saved was lost; please try again in a minute.');
    expect(back.blocks.find((b: { block_id?: string }) => b.block_id === 'problem').element.initial_value).toBe('Late deliveries');
    // Reading needs no write lock: the same user is still answered meanwhile.
    const help = await app.slack.command('U1', 'help');
    expect(help.body.text).toContain('/deal assess');
    release();

    const saved = await app.slack.submit('U1', back, { problem: 'Late deliveries' });
    expect(JSON.stringify(saved.body.view.blocks)).toContain('Case G');
    expect(await app.db.selectFrom('assessments').select('problem').execute()).toEqual([{ problem: 'Late deliveries' }]);
    expect(await app.db.selectFrom('deals').select('name').execute()).toEqual([{ name: 'Acme' }]);
  });

  it('keeps the Close deal modal open with a field error, then closes the deal once the lock is gone', async () => {
    const file = tempDbPath();
    const app = await localApp({ databasePath: file });
    await assessNew(app, 'Acme', G_ANSWERS);
    const { id } = await app.db.selectFrom('deals').select('id').executeTakeFirstOrThrow();
    app.fake.clear();
    await app.slack.click('U1', 'deal_close', String(id));
    const modal = (await app.fake.waitFor((c) => c.method === 'views.open')).args.view;

    const release = holdWriteLock(file);
    const refused = await app.slack.submit('U1', modal, { status: 'won' });
    expect(refused.status).toBe(200);
    expect(refused.body).toEqual({ response_action: 'errors', errors: { status: expect.stringContaining('please try again') } });
    release();

    await app.slack.submit('U1', modal, { status: 'won' });
    expect(await app.db.selectFrom('deals').select('status').executeTakeFirstOrThrow()).toEqual({ status: 'won' });
  });

  it('logs a scheduled run that cannot take its lease and runs at the next tick, without stopping the bot', async () => {
    const file = tempDbPath();
    const app = await localApp({ databasePath: file });
    const errors: string[] = [];
    const logger = testLogger(errors);
    const release = holdWriteLock(file);
    const scheduler = startScheduler({ db: app.db, content: app.deps.content, client: app.deps.fastClient, logger, now: () => new Date() }, { tickSeconds: 3600, leaseSeconds: 30 });
    try {
      expect(await scheduler.tick()).toBe(false);
      expect(errors).toContain('scheduled jobs could not run');
      release();
      expect(await scheduler.tick()).toBe(true);
      expect((await app.db.selectFrom('job_leases').select('name').execute()).map((r) => r.name)).toEqual(['scheduled-jobs']);
    } finally {
      await scheduler.stop();
    }
  });
});
