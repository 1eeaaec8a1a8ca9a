import { parentPort, workerData } from 'node:worker_threads';
import { WebClient } from '@slack/web-api';
import type { Call, Reply, ThreadClientOptions } from './messages.js';
import { serializeError } from './messages.js';

const { token, slackApiUrl, timeout, maxRequestConcurrency, logLevel } = workerData.options as ThreadClientOptions;
// Retrying is left to the caller, as with the app's other plain clients: it knows whether a call may have landed.
const client = new WebClient(token, { ...(slackApiUrl ? { slackApiUrl } : {}), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout, maxRequestConcurrency, logLevel });

parentPort!.on('message', ({ id, method, options }: Call) => {
  client.apiCall(method, options).then(
    (result) => parentPort!.postMessage({ id, result } satisfies Reply),
    (err: unknown) => parentPort!.postMessage({ id, error: serializeError(err) } satisfies Reply),
  );
});
