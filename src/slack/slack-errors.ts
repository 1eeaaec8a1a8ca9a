import { ErrorCode } from '@slack/web-api';
import type { LocaleContent } from '../content/schema.js';

/** Slack's answers when the bot cannot post in a channel: it is not a member, or the channel is archived or gone. */
export const CHANNEL_REFUSALS: ReadonlySet<string> = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

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

/**
 * What to tell a user whose modal did not open: Slack refused it, or Slack may have opened it without saying so
 * (a timeout, a 5xx), when the form may well be on their screen.
 */
export function modalNotOpened(c: LocaleContent, err: unknown): string {
  const fromSlack = String((err as { code?: unknown }).code ?? '').startsWith('slack_webapi_');
  return fromSlack && mayHaveLanded(err) ? c.messages.errors.modal_unsure : c.messages.errors.modal_failed;
}
