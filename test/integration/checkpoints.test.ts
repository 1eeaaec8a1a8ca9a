import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_INTERVAL_MS, startCheckpointer } from '../../src/db/checkpointer.js';
import { applyPragmas, checkpointInBackground, createDb } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { tempDbPath, until } from '../support/local.js';
import { ROOT } from '../support/processes.js';

describe('a new database file', () => {
  it('and the folder made for it, and its log files, are readable by their owner alone', async () => {
    const file = path.join(path.dirname(tempDbPath()), 'new-folder', 'deals.sqlite');
    const db = createDb(file);
    await migrateToLatest(db);
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    expect([mode(path.dirname(file)), mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o700, 0o600, 0o600, 0o600]);
    await db.destroy();
  });
});

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

  it('keeps the log to its limit under writes that never pause, where checkpoints that never catch up would let it grow', async () => {
    const db = await busyWriter();
    let largest = 0;
    // 4,000 commits of a 4 KB row: about 50 MB of log through one allowed 500 pages (2 MB).
    await db.writePaced(4_000, (i) => {
      if (i % 100 === 0) largest = Math.max(largest, fs.statSync(`${db.file}-wal`).size);
    });
    db.close();
    expect(largest).toBeLessThan(10_000_000);
  });

  it('does not hold up writes while a reader, such as a backup, keeps the log from being copied out', async () => {
    const db = await busyWriter();
    // Past the log's limit first, then a reader that stays on its snapshot while writes go on.
    await db.writePaced(1_000);
    const backup = new SQLite(db.file, { readonly: true });
    backup.exec('begin');
    backup.prepare('select count(*) from filler').get();
    const slowest = await db.writePaced(1_000);
    backup.exec('commit');
    backup.close();
    db.close();
    // A checkpoint waiting on the reader would hold each write for its whole wait, and fail some after 5 s.
    expect(slowest).toBeLessThan(500);
  });

  it('does not hold up writes while a reader is on the latest snapshot and the app has been idle for a while', async () => {
    const db = await busyWriter();
    // Past the log's limit in one commit, so no restart can come between it and the reader. The whole log can be
    // copied out, but the reader keeps it from starting over: a restart would wait for it in vain.
    db.writeInOneCommit(1_000);
    const backup = new SQLite(db.file, { readonly: true });
    backup.exec('begin');
    backup.prepare('select count(*) from filler').get();
    await new Promise((r) => setTimeout(r, 300));
    const slowest = await db.writePaced(20);
    backup.exec('commit');
    backup.close();
    db.close();
    // A restart waiting for the reader would hold the writer each tick, and fail a write after its 500 ms wait.
    expect(slowest).toBeLessThan(250);
  });

  it('runs a transaction that reads before it writes while another connection wants the write lock', async () => {
    const file = tempDbPath();
    const db = createDb(file);
    await sql`create table filler (x text)`.execute(db);
    // Another connection, as the checkpointer's restart or a second instance of the bot would be: asked to, it takes
    // the write lock and holds it for a moment.
    const other = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const db = new (require('better-sqlite3'))(workerData.file);
       db.pragma('busy_timeout = 5000');
       parentPort.postMessage('ready');
       parentPort.once('message', () => {
         db.exec('begin immediate');
         parentPort.postMessage('locked');
         setTimeout(() => { db.exec('commit'); db.close(); parentPort.close(); }, 200);
       });`,
      { eval: true, workerData: { file } },
    );
    // Ready before the transaction starts: the wait below is then the lock's alone, not the worker's start-up.
    await once(other, 'message');
    await db.transaction().execute(async (trx) => {
      await sql`select count(*) from filler`.execute(trx);
      other.postMessage('lock');
      // A transaction that took the lock at its start keeps the other connection waiting; one that had only read by
      // now would fail at its first write with SQLITE_BUSY, without waiting.
      await Promise.race([once(other, 'message'), new Promise((r) => setTimeout(r, 300))]);
      await sql`insert into filler values ('x')`.execute(trx);
    });
    await once(other, 'exit');
    expect((await sql<{ n: number }>`select count(*) as n from filler`.execute(db)).rows[0]!.n).toBe(1);
    await db.destroy();
  });

  it('reports a checkpointer that cannot run, so its connection can go back to checkpointing on commit', async () => {
    const notADatabase = path.dirname(tempDbPath());
    const failed = await new Promise((resolve) => startCheckpointer(notADatabase, resolve, { intervalMs: 10 }));
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

/**
 * A connection set up as the app's, with its checkpointer at a small scale (a tick every 20 ms, a log of 500 pages)
 * and running. `writePaced` commits 4 KB rows, two a millisecond at most, as a busy app would, and returns the
 * slowest commit in ms; `writeInOneCommit` writes such rows in one transaction.
 */
async function busyWriter() {
  const file = tempDbPath();
  const sqlite = new SQLite(file);
  applyPragmas(sqlite);
  sqlite.exec('create table filler (x text)');
  const checkpointer = startCheckpointer(file, (err) => expect.fail(String(err)), { intervalMs: 20, restartAfterPages: 500 });
  const insert = sqlite.prepare('insert into filler values (?)');
  const write = () => insert.run('x'.repeat(4_000));
  // Once a checkpoint has copied rows into the main file, the worker is running.
  for (let i = 0; i < 5; i++) write();
  await until(() => fs.statSync(file).size > 16_384, 5_000, 'the first checkpoint');
  return {
    file,
    async writePaced(commits: number, after: (i: number) => void = () => {}) {
      let slowest = 0;
      for (let i = 0; i < commits; i++) {
        const start = performance.now();
        write();
        slowest = Math.max(slowest, performance.now() - start);
        after(i);
        if (i % 2) await new Promise((r) => setTimeout(r, 1));
      }
      return slowest;
    },
    writeInOneCommit: sqlite.transaction((rows: number) => {
      for (let i = 0; i < rows; i++) write();
    }),
    close() {
      checkpointer.stop();
      sqlite.close();
    },
  };
}
