import { Worker } from 'node:worker_threads';

/** How often the worker copies the write-ahead log back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 250;
/**
 * Log size, in pages, past which the worker holds the writer for a moment so that the log starts over (about 16 MB
 * in 4 KB pages). Without it, a log written to without pause grows as long as the writes go on.
 */
export const RESTART_AFTER_PAGES = 4_096;
/** Longest a close waits for the worker to finish a checkpoint it is in the middle of. */
const STOP_WAIT_MS = 5_000;
/** Where the worker's connection is, in memory shared with it; the worker gets these numbers with its data. */
const STATES = { STARTING: 0, OPEN: 1, DONE: 2 } as const;
const { STARTING, OPEN, DONE } = STATES;

export interface Checkpointer {
  /** Stops the worker and returns once its connection is closed, so that the caller's is the last one. */
  stop(): void;
}

/**
 * Checkpoints a WAL database from a worker thread with its own connection. A checkpoint ends in fsyncs that take
 * milliseconds on most disks; run by SQLite itself, it would stall whichever request's commit crossed the threshold.
 * The connection this serves turns SQLite's own checkpoints off (`wal_autocheckpoint = 0`, see applyPragmas);
 * `onFailure` runs if the worker dies, so that the caller can turn them back on.
 */
export function startCheckpointer(file: string, onFailure: (err: unknown) => void, options: { intervalMs?: number; restartAfterPages?: number } = {}): Checkpointer {
  const { intervalMs = CHECKPOINT_INTERVAL_MS, restartAfterPages = RESTART_AFTER_PAGES } = options;
  // STARTING until the worker opens its connection; DONE once it has closed it, or is never to open it.
  const state = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), {
    workerData: { file, intervalMs, restartAfterPages, state: state.buffer, states: STATES },
    // Plain JavaScript: the worker needs none of the TypeScript loader the app may run under.
    execArgv: [],
  });
  worker.on('error', onFailure);
  // Never what keeps the process alive.
  worker.unref();
  return {
    stop: () => {
      // Only the last connection to close empties the log and deletes it. Waiting here for the worker's (closing is
      // synchronous in better-sqlite3) makes that ours, so a stopped app leaves one complete file behind. A worker
      // that never opened its connection, or has closed it (failures included), is not waited for.
      if (Atomics.compareExchange(state, 0, STARTING, DONE) === STARTING) return;
      worker.postMessage('stop');
      Atomics.wait(state, 0, OPEN, STOP_WAIT_MS);
    },
  };
}
