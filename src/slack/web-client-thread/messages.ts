import type { LogLevel, WebAPICallResult } from '@slack/web-api';

/** What the worker's client is made with: plain data, as nothing else crosses to a worker. */
export interface ThreadClientOptions {
  token: string;
  slackApiUrl?: string;
  timeout: number;
  maxRequestConcurrency: number;
  logLevel: LogLevel;
}

export type Call = { id: number; method: string; options: Record<string, unknown> };
export type Reply = { id: number; result: WebAPICallResult } | { id: number; error: SerializedError };

/** A Web API error as data: its message and the fields callers read (code, data, retryAfter, statusCode). */
export type SerializedError = { message: string; fields: Record<string, unknown> };

const ERROR_FIELDS = ['code', 'data', 'retryAfter', 'statusCode', 'statusMessage'] as const;

export function serializeError(err: unknown): SerializedError {
  const source = (err ?? {}) as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const field of ERROR_FIELDS) if (source[field] !== undefined) fields[field] = source[field];
  return { message: err instanceof Error ? err.message : String(err), fields };
}

export const deserializeError = ({ message, fields }: SerializedError): Error => Object.assign(new Error(message), fields);
