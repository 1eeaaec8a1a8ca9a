import { Worker } from 'node:worker_threads';

/** How often the worker copies the write-ahead log back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 250;

export interface Checkpointer {
  stop(): void;
}

/**
 * Checkpoints a WAL database from a worker thread with its own connection. A checkpoint ends in fsyncs that take
 * milliseconds on most disks; run by SQLite itself, it would stall whichever request's commit crossed the threshold.
 * The connection this serves turns SQLite's own checkpoints off (`wal_autocheckpoint = 0`, see applyPragmas);
 * `onFailure` runs if the worker dies, so that the caller can turn them back on.
 */
export function startCheckpointer(file: string, onFailure: (err: unknown) => void, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer {
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { file, intervalMs } });
  worker.on('error', onFailure);
  // Never what keeps the process alive.
  worker.unref();
  return { stop: () => worker.postMessage('stop') };
}
