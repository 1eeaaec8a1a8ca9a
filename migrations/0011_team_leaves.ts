import type { Kysely } from 'kysely';

// Frozen in time. A report who leaves a manager's team is remembered, so that the manager cannot simply add them back:
// only the report can rejoin (`/deal team join`), which makes leaving mean something.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('team_leaves')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('manager_id', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('left_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_leaves_pk', ['team_id', 'manager_id', 'report_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('team_leaves').execute();
}
