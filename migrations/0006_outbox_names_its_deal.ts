import type { Kysely } from 'kysely';

// Frozen in time. A nudge about a deal is planned, then sent when Slack lets it: after a backlog or an outage that can
// be hours later. The deal it is about is recorded with it, so that one closed or worked on meanwhile is not nudged.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('deal_id', 'integer', (c) => c.references('deals.id')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('deal_id').execute();
}
