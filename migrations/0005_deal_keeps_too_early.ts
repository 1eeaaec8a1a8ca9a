import { sql, type Kysely } from 'kysely';

// Frozen in time. The "close it?" nudge must not contradict an assessment that said it was too early to give up,
// so the deal keeps that flag of its latest assessment, set by the same trigger that records its latest case.
// Its steps run in the migrator's transaction (see src/db/create-db.ts), so a crash cannot leave the column added
// and the trigger gone.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deals').addColumn('last_too_early', 'integer', (c) => c.notNull().defaultTo(0).check(sql`last_too_early in (0, 1)`)).execute();
  await sql`
    update deals set last_too_early = coalesce((select a.too_early from assessments a where a.id = deals.last_assessment_id), 0)
  `.execute(db);
  await sql`drop trigger assessments_touch_deal`.execute(db);
  await sql`
    create trigger assessments_touch_deal after insert on assessments
    begin
      update deals
      set updated_at = new.created_at, last_case_code = new.case_code, last_assessment_id = new.id, last_assessed_at = new.created_at,
        last_too_early = new.too_early
      where id = new.deal_id;
    end
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger assessments_touch_deal`.execute(db);
  await sql`
    create trigger assessments_touch_deal after insert on assessments
    begin
      update deals
      set updated_at = new.created_at, last_case_code = new.case_code, last_assessment_id = new.id, last_assessed_at = new.created_at
      where id = new.deal_id;
    end
  `.execute(db);
  await db.schema.alterTable('deals').dropColumn('last_too_early').execute();
}
