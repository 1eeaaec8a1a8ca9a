// A worker thread does not inherit the TypeScript loader its app runs under: this registers it, then loads the
// worker named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
