import type { Kysely } from 'kysely';

// Frozen in time. Deal names now compare with a run of spaces read as one space, as a command's words are joined:
// keys written before are brought in line, so "Acme  Corp" can be found by `/deal show Acme  Corp` and is seen as
// taken by a new "Acme Corp". Where an owner already has an open deal under the new key, the older key is kept:
// the unique index allows one open deal per name, and both deals stay reachable from the list.
export async function up(db: Kysely<any>): Promise<void> {
  const deals = await db.selectFrom('deals').select(['id', 'team_id', 'owner_id', 'status', 'name_key']).execute();
  for (const deal of deals) {
    const key = String(deal.name_key).replace(/\s+/g, ' ');
    if (key === deal.name_key) continue;
    if (deal.status === 'open') {
      const taken = await db
        .selectFrom('deals')
        .select('id')
        .where('team_id', '=', deal.team_id)
        .where('owner_id', '=', deal.owner_id)
        .where('status', '=', 'open')
        .where('name_key', '=', key)
        .executeTakeFirst();
      if (taken) continue;
    }
    await db.updateTable('deals').set({ name_key: key }).where('id', '=', deal.id).execute();
  }
}
