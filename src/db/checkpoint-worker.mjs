// Runs in a worker thread (see checkpointer.ts). Plain JavaScript, so that it loads the same way under the app,
// the tests and the benchmarks, whatever TypeScript loader started them.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const [STARTING, OPEN, DONE] = [0, 1, 2];
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
    db = new SQLite(workerData.file);
    db.pragma('busy_timeout = 5000');
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
  // A passive checkpoint copies what it can without waiting for, or blocking, the app's own connection.
  const timer = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch (err) {
      finish();
      throw err;
    }
  }, workerData.intervalMs);
  parentPort.once('message', finish);
}

run();
