import { sql, type Kysely } from 'kysely';

// Frozen in time. Saving an assessment must also mark its deal as touched and record its latest case; a trigger
// does both inside the INSERT itself, so the common save is one atomic statement. (On PostgreSQL this becomes a
// trigger function with the same body.)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create trigger assessments_touch_deal after insert on assessments
    begin
      update deals
      set updated_at = new.created_at, last_case_code = new.case_code, last_assessment_id = new.id, last_assessed_at = new.created_at
      where id = new.deal_id;
    end
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger assessments_touch_deal`.execute(db);
}
