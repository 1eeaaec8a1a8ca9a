import { sql, type Kysely } from 'kysely';

// Frozen in time. Reassessing prefills "Time on this deal" moved on from when its answer was first given (the first
// of the latest run of assessments that all gave it). The deal keeps that moment, set by the trigger that records its
// latest case, so that a deal reassessed thousands of times is read in one row, not by scanning its history. Runs
// are told by id, the order the assessments were added in, whatever their clocks said.
// In SQLite an UPDATE's expressions see the row as it was, so `deals.last_assessment_id` below is the one before.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deals').addColumn('time_on_deal_since', 'text').execute();
  await sql`
    update deals set time_on_deal_since = (
      select min(a.created_at) from assessments a, assessments latest
      where latest.id = deals.last_assessment_id and a.deal_id = deals.id and a.time_on_deal = latest.time_on_deal
        and a.id > coalesce((select max(b.id) from assessments b where b.deal_id = deals.id and b.time_on_deal <> latest.time_on_deal), 0)
    )
  `.execute(db);
  await sql`drop trigger assessments_touch_deal`.execute(db);
  await sql`
    create trigger assessments_touch_deal after insert on assessments
    begin
      update deals
      set updated_at = new.created_at, last_case_code = new.case_code, last_assessment_id = new.id, last_assessed_at = new.created_at,
        last_too_early = new.too_early,
        time_on_deal_since = case
          when (select a.time_on_deal from assessments a where a.id = deals.last_assessment_id) = new.time_on_deal then coalesce(time_on_deal_since, new.created_at)
          else new.created_at
        end
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
      set updated_at = new.created_at, last_case_code = new.case_code, last_assessment_id = new.id, last_assessed_at = new.created_at,
        last_too_early = new.too_early
      where id = new.deal_id;
    end
  `.execute(db);
  await db.schema.alterTable('deals').dropColumn('time_on_deal_since').execute();
}
