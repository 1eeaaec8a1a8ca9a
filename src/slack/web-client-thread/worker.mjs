// Runs in a worker thread (see client.ts). Plain JavaScript, as the checkpointer's worker is: it loads the same way
// under the app, the tests and the benchmarks, with none of the TypeScript loader the app may run under.
import { parentPort, workerData } from 'node:worker_threads';
import { WebClient } from '@slack/web-api';

/** The fields of a Web API error that callers read; an Error does not cross to another thread as it is. */
const ERROR_FIELDS = ['code', 'data', 'retryAfter', 'statusCode', 'statusMessage'];

/** A Web API error as data, the SerializedError of messages.ts. */
function serializeError(err) {
  const source = err ?? {};
  const fields = {};
  for (const field of ERROR_FIELDS) if (source[field] !== undefined) fields[field] = source[field];
  return { message: err instanceof Error ? err.message : String(err), fields };
}

const client = new WebClient(workerData.token, workerData.options);

parentPort.on('message', ({ id, method, options }) => {
  client.apiCall(method, options).then(
    (result) => parentPort.postMessage({ id, result }),
    (err) => parentPort.postMessage({ id, error: serializeError(err) }),
  );
});
