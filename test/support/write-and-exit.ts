// Writes 50 rows to the database file given on the command line, closes it and exits at once, as the app does
// on SIGTERM: nothing after the close gets to run, the checkpoint worker included.
import { sql } from 'kysely';
import { CHECKPOINT_INTERVAL_MS } from '../../src/db/checkpointer.js';
import { createDb } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const db = createDb(process.argv[2]!);
await migrateToLatest(db);
await sql`create table filler (x text)`.execute(db);
// Long enough for the checkpoint worker to have opened the log too, as it has in a running app.
await new Promise((r) => setTimeout(r, 3 * CHECKPOINT_INTERVAL_MS));
for (let i = 0; i < 50; i++) await sql`insert into filler values (${String(i)})`.execute(db);
await db.destroy();
process.exit(0);
