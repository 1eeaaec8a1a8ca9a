import { sql, type Kysely } from 'kysely';

// Frozen in time: enum lists are copied here on purpose, so later code changes never rewrite history.
const list = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('deals')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 80`))
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('customer', 'text')
    .addColumn('value_minor', 'integer', (c) => c.check(sql`value_minor >= 0`))
    .addColumn('currency', 'text', (c) => c.check(sql`length(currency) = 3`))
    .addColumn('close_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in (${list(['open', 'won', 'lost', 'dropped'])})`))
    .addColumn('close_reason', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One open deal per name and owner; closed deals may share the name of a new one.
  await db.schema
    .createIndex('deals_open_name_unique')
    .on('deals')
    .columns(['team_id', 'owner_id', 'name_key'])
    .unique()
    .where(sql.ref('status'), '=', 'open')
    .execute();
  await db.schema.createIndex('deals_owner_status').on('deals').columns(['team_id', 'owner_id', 'status']).execute();

  await db.schema
    .createTable('assessments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('deal_id', 'integer', (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('assessor_id', 'text', (c) => c.notNull())
    .addColumn('submission_key', 'text', (c) => c.notNull().unique())
    .addColumn('budget', 'text', (c) => c.notNull().check(sql`budget in (${list(['none', 'unknown', 'possible', 'confirmed'])})`))
    .addColumn('authority', 'text', (c) =>
      c.notNull().check(sql`authority in (${list(['no_access', 'influencer', 'decider_engaged', 'decider_committed'])})`),
    )
    .addColumn('need', 'text', (c) => c.notNull().check(sql`need in (${list(['no_need', 'nice_to_have', 'must_have'])})`))
    .addColumn('timing', 'text', (c) =>
      c.notNull().check(sql`timing in (${list(['no_timeline', 'someday', 'this_year', 'this_quarter'])})`),
    )
    .addColumn('relationship', 'text', (c) =>
      c.notNull().check(sql`relationship in (${list(['unknown_to_them', 'some_sympathy', 'trust', 'support'])})`),
    )
    .addColumn('competitors', 'text', (c) => c.notNull().check(sql`competitors in (${list(['behind', 'even', 'ahead', 'none'])})`))
    .addColumn('time_on_deal', 'text', (c) =>
      c.notNull().check(sql`time_on_deal in (${list(['under_1m', 'm1_3', 'm3_6', 'over_6m'])})`),
    )
    .addColumn('tried_all', 'text', (c) => c.notNull().check(sql`tried_all in (${list(['yes', 'not_yet'])})`))
    .addColumn('capability_level', 'text', (c) => c.notNull().check(sql`capability_level in ('high', 'low')`))
    .addColumn('need_level', 'text', (c) => c.notNull().check(sql`need_level in ('high', 'low')`))
    .addColumn('trust_level', 'text', (c) => c.notNull().check(sql`trust_level in ('high', 'low')`))
    .addColumn('case_code', 'text', (c) => c.notNull().check(sql`case_code in (${list(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'])})`))
    .addColumn('too_early', 'integer', (c) => c.notNull().check(sql`too_early in (0, 1)`))
    .addColumn('situation', 'text')
    .addColumn('problem', 'text')
    .addColumn('implication', 'text')
    .addColumn('need_payoff', 'text')
    .addColumn('next_step', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assessments_deal_created').on('assessments').columns(['deal_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('assessments').execute();
  await db.schema.dropTable('deals').execute();
}
