import type { WebAPICallResult, WebClientOptions } from '@slack/web-api';

/**
 * The worker's client options: those that are plain data, as nothing else crosses to a worker (so a log level, not a
 * logger).
 */
export type ThreadClientOptions = Pick<WebClientOptions, 'slackApiUrl' | 'retryConfig' | 'rejectRateLimitedCalls' | 'timeout' | 'maxRequestConcurrency' | 'logLevel' | 'attachOriginalToWebAPIRequestError'>;

export type Call = { id: number; method: string; options: Record<string, unknown> };
export type Reply = { id: number; result: WebAPICallResult } | { id: number; error: SerializedError };

/**
 * A Web API error as data, as worker.mjs sends it back: its message and the fields callers read (code, data,
 * retryAfter, statusCode).
 */
export type SerializedError = { message: string; fields: Record<string, unknown> };

export const deserializeError = ({ message, fields }: SerializedError): Error => Object.assign(new Error(message), fields);
