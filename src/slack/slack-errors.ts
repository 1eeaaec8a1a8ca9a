import { ErrorCode } from '@slack/web-api';

/** Slack errors after which part of the call may have gone through, as Slack's own docs warn. */
const MAYBE_DONE_ERRORS = new Set(['internal_error', 'fatal_error', 'request_timeout', 'service_unavailable']);

/**
 * Whether a failed Web API call may still have done its work: no answer (a timeout, a dropped connection), a 5xx,
 * or an error of Slack's own. A 429 or an error about the call itself means Slack did nothing.
 */
export function mayHaveLanded(err: unknown): boolean {
  const { code, data } = err as { code?: string; data?: { error?: string } };
  if (code === ErrorCode.RateLimitedError) return false;
  if (code === ErrorCode.PlatformError) return MAYBE_DONE_ERRORS.has(data?.error ?? '');
  return true;
}

/** Whether Slack left a call's question open: it asked us to slow down, or may not have answered at all. */
export function noClearAnswer(err: unknown): boolean {
  return (err as { code?: string }).code === ErrorCode.RateLimitedError || mayHaveLanded(err);
}
