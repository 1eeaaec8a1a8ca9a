// Runs in a worker thread (see checkpointer.ts). Plain JavaScript, so that it loads the same way under the app,
// the tests and the benchmarks, whatever TypeScript loader started them.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const { STARTING, OPEN, DONE } = workerData.states;
const state = new Int32Array(workerData.state);

/** Tells a close waiting in the app's thread that this connection is gone (or never came). */
function done() {
  Atomics.store(state, 0, DONE);
  Atomics.notify(state, 0);
}

function run() {
  // Stopped before this thread got going: no connection is opened at all.
  if (Atomics.compareExchange(state, 0, STARTING, OPEN) !== STARTING) return parentPort.close();
  let db;
  try {
    // Never waits for a lock (better-sqlite3 would wait 5 s): a restart (see below) waits while holding the app's
    // writes back, and one that waits for a reader that stays, as a backup does, would hold them again every tick.
    // A restart that finds the writer or a reader busy is tried again at a later tick.
    db = new SQLite(workerData.file, { timeout: 0 });
  } catch (err) {
    done();
    throw err;
  }
  const finish = () => {
    clearInterval(timer);
    db.close();
    done();
    parentPort.close();
  };
  // A passive checkpoint copies what it can without waiting for, or blocking, the app's own connection. But SQLite
  // starts the log over only when a writer finds it fully copied, which writes that never pause never allow. So,
  // once the log is past its limit, a restarting checkpoint holds the writer (for its last fsyncs, a few ms) so
  // that the next write starts the log over; not while a reader (a backup, say) holds frames back, as it could not
  // succeed. A second passive pass first copies what came in during the first, leaving the restart less.
  const timer = setInterval(() => {
    try {
      const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
      if (log > workerData.restartAfterPages && checkpointed === log) {
        db.pragma('wal_checkpoint(PASSIVE)');
        db.pragma('wal_checkpoint(RESTART)');
      }
    } catch (err) {
      finish();
      throw err;
    }
  }, workerData.intervalMs);
  parentPort.once('message', finish);
}

run();
