// Runs in a worker thread (see checkpointer.ts). Plain JavaScript, so that it loads the same way under the app,
// the tests and the benchmarks, whatever TypeScript loader started them.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 5000');
// A passive checkpoint copies what it can without waiting for, or blocking, the app's own connection.
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
