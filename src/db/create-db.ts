import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type SqliteDialectConfig } from 'kysely';
import { startCheckpointer } from './checkpointer.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/**
 * How long a statement waits for a write lock another connection holds. better-sqlite3 waits on the event loop's
 * thread, so every user's request waits with it: long enough for our own checkpointer's restart and another
 * instance's short transactions (tens of ms), short enough that a lock held for long by something else costs a
 * "try again" rather than Slack's 3-second window for everyone.
 */
export const BUSY_TIMEOUT_MS = 500;

/** SQLite's own checkpoint threshold, in pages: what a connection goes back to if its checkpointer fails. */
const AUTOCHECKPOINT_PAGES = 1000;

/**
 * Durability settings shared by the app and the benchmarks that compare against it. Checkpoints are left to a
 * checkpointer (startCheckpointer) so that no request waits on their fsyncs.
 */
export function applyPragmas(sqlite: SQLite.Database): void {
  // First, so that switching a new file to WAL waits for another instance doing the same.
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('wal_autocheckpoint = 0');
}

/** Starts the background checkpointer of a file database; if it fails, SQLite checkpoints on commit again. */
export function checkpointInBackground(sqlite: SQLite.Database, file: string) {
  return startCheckpointer(file, () => sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`));
}

/** Most statements repeat on every request; preparing each once saves the bulk of SQLite's per-query cost. */
const STATEMENT_CACHE_SIZE = 500;

function withStatementCache(sqlite: SQLite.Database, beforeClose: () => void) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      beforeClose();
      sqlite.close();
    },
    prepare: (sqlText: string) => {
      let statement = cache.get(sqlText);
      if (!statement) {
        statement = sqlite.prepare(sqlText);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(sqlText, statement);
      }
      return statement;
    },
  };
}

/**
 * SQLite's plain BEGIN takes the write lock only at the first write, and a transaction that has read by then gets
 * SQLITE_BUSY at once, without waiting, if another connection holds it: the checkpointer restarting the log, or a
 * second instance of the bot. Every transaction here writes, so each takes the lock up front, where SQLite waits.
 */
class WriteTransactions extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * SQLite runs schema changes inside transactions, though Kysely's adapter says otherwise. Saying so makes the
 * migrator run the pending migrations in one (`begin immediate`) transaction: two instances starting on a new file
 * take turns, the second finding nothing left to do, and a crash mid-migration leaves none half done.
 */
class TransactionalDdl extends SqliteAdapter {
  override get supportsTransactionalDdl() {
    return true;
  }
}

class SqliteWriteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }

  override createDriver() {
    return new WriteTransactions(this.config);
  }

  override createAdapter() {
    return new TransactionalDdl();
  }
}

/**
 * Opens (creating if needed) the SQLite file with WAL, foreign keys and a busy timeout. A folder or file it creates
 * is readable by this user alone, since it holds every deal and note; the log files SQLite adds take the file's mode.
 */
export function createDb(file: string): Db {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
    // Made with its mode before SQLite opens it, so that it is never readable by others, even for a moment.
    if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'wx', 0o600));
  }
  const sqlite = new SQLite(file);
  applyPragmas(sqlite);
  // An in-memory database has no write-ahead log to copy back.
  const checkpointer = file === ':memory:' ? undefined : checkpointInBackground(sqlite, file);
  return new Kysely<Database>({ dialect: new SqliteWriteDialect({ database: withStatementCache(sqlite, () => checkpointer?.stop()) }) });
}
