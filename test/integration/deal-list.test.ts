import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/coaching/answers.js';
import { createDb } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { saveAssessment } from '../../src/db/repositories/assessments.js';
import { closeDeal, findOpenDealByName, listOpenDeals } from '../../src/db/repositories/deals.js';
import { G_ANSWERS, NO_NOTES, tempDbPath } from '../support/local.js';


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
