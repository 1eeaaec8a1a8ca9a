import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_INTERVAL_MS, startCheckpointer } from '../../src/db/checkpointer.js';
import { applyPragmas, checkpointInBackground, createDb } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { tempDbPath, until } from '../support/local.js';
import { ROOT } from '../support/processes.js';

describe('background checkpoints', () => {
  it('copies committed writes into the database file while the app holds it open, without SQLite checkpointing on commit', async () => {
    const file = tempDbPath();
    const db = createDb(file);
    await migrateToLatest(db);
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
    expect(rows[0]!.wal_autocheckpoint).toBe(0);
    await sql`create table filler (x text)`.execute(db);
    for (let i = 0; i < 200; i++) await sql`insert into filler values (${'x'.repeat(2_000)})`.execute(db);
    // 200 rows of 2 KB: the main file holds them only once a checkpoint has copied them out of the WAL.
    await until(() => fs.statSync(file).size > 400_000, 5_000, 'the rows to reach the main file');
    await db.destroy();
  });

  it('leaves everything in the database file itself when the process exits right after closing it', () => {
    const file = tempDbPath();
    execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/write-and-exit.ts'), file]);
    // A copy of the main file only, as an operator would take once the bot has stopped.
    const copy = tempDbPath('copy.sqlite');
    fs.copyFileSync(file, copy);
    const reopened = new SQLite(copy, { readonly: true });
    expect(reopened.prepare('select count(*) as n from filler').get()).toEqual({ n: 50 });
    reopened.close();
  });

  it('closes with the log emptied and gone, even when the worker is in the middle of a checkpoint', async () => {
    for (let round = 0; round < 3; round++) {
      const file = tempDbPath();
      const db = createDb(file);
      await sql`create table filler (x text)`.execute(db);
      // 20 MB in one commit: the worker's next checkpoint takes a while, and the close below lands during it.
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < 5_000; i++) await sql`insert into filler values (${'x'.repeat(4_000)})`.execute(trx);
      });
      await new Promise((r) => setTimeout(r, CHECKPOINT_INTERVAL_MS + round * 10));
      await db.destroy();
      expect(fs.existsSync(`${file}-wal`)).toBe(false);
    }
  });

  it('reports a checkpointer that cannot run, so its connection can go back to checkpointing on commit', async () => {
    const notADatabase = path.dirname(tempDbPath());
    const failed = await new Promise((resolve) => startCheckpointer(notADatabase, resolve, 10));
    expect(failed).toMatchObject({ code: 'SQLITE_CANTOPEN' });
  });

  it('turns SQLite’s own checkpoints back on for a connection whose checkpointer failed', async () => {
    const sqlite = new SQLite(tempDbPath());
    applyPragmas(sqlite);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    checkpointInBackground(sqlite, path.dirname(tempDbPath()));
    await until(() => sqlite.pragma('wal_autocheckpoint', { simple: true }) === 1000, 5_000, 'SQLite checkpointing on commit again');
    sqlite.close();
  });
});
