import { Migrator, sql } from 'kysely';
import { migrations } from '../../migrations/index.js';
import { BUSY_TIMEOUT_MS, type Db } from './create-db.js';

/** How long start-up waits for another instance's migrations (they hold the write lock while they run). */
const MIGRATION_WAIT_MS = 30_000;

/** Brings the database to the latest schema, all pending migrations in one transaction; any failure is fatal. */
export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  await sql.raw(`pragma busy_timeout = ${MIGRATION_WAIT_MS}`).execute(db);
  const { error, results } = await migrator.migrateToLatest().finally(() => sql.raw(`pragma busy_timeout = ${BUSY_TIMEOUT_MS}`).execute(db));
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const what = failed ? `migration ${failed.migrationName} failed` : 'migrations failed';
    throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
