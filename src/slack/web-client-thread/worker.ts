import { parentPort, workerData } from 'node:worker_threads';
import { WebClient } from '@slack/web-api';
import { serializeError, type Call, type Reply, type ThreadClientOptions } from './messages.js';

const { token, options } = workerData as { token: string; options: ThreadClientOptions };
const client = new WebClient(token, options);

parentPort!.on('message', ({ id, method, options }: Call) => {
  client.apiCall(method, options).then(
    (result) => parentPort!.postMessage({ id, result } satisfies Reply),
    (err: unknown) => parentPort!.postMessage({ id, error: serializeError(err) } satisfies Reply),
  );
});
