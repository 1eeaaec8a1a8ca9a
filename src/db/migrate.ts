import { Migrator } from 'kysely';
import { migrations } from '../../migrations/index.js';
import type { Db } from './create-db.js';

/** Brings the database to the latest schema; any failed migration is fatal. */
export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const what = failed ? `migration ${failed.migrationName} failed` : 'migrations failed';
    throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
