import { sql, type Kysely } from 'kysely';

// Frozen in time. A digest whose team changed while Slack held it up, and which may already be in Slack, is marked
// stale rather than deleted: the sender keeps it if it finds it posted, and otherwise withdraws it, to be planned again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('outbox')
    .addColumn('stale', 'integer', (c) => c.notNull().defaultTo(0).check(sql`stale in (0, 1)`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('stale').execute();
}
