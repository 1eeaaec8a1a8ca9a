import { z } from 'zod';
import { mentionedUsers } from './mentions.js';

const CLOSE_STATUSES = ['won', 'lost', 'dropped'] as const;

export const dealCommandSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('help') }),
  z.object({ kind: z.literal('unknown'), word: z.string() }),
  z.object({ kind: z.literal('assess'), name: z.string().nullable() }),
  z.object({ kind: z.literal('list'), user: z.string().nullable(), named: z.boolean() }),
  /** `named`: words followed the action, whether or not Slack made mentions of them. */
  z.object({ kind: z.literal('team'), action: z.enum(['list', 'add', 'remove', 'leave', 'join', 'usage']), users: z.array(z.string()), named: z.boolean() }),
  z.object({ kind: z.literal('settings') }),
  z.object({ kind: z.literal('admin_failures') }),
  z.object({ kind: z.literal('show'), name: z.string().nullable() }),
  z.object({
    kind: z.literal('close'),
    /** Every way to read the text as name, status, reason, in order: a name may hold a status word itself. */
    readings: z.array(z.object({ name: z.string(), status: z.enum(CLOSE_STATUSES), reason: z.string().nullable() })),
  }),
]);

export type CloseReading = Extract<DealCommand, { kind: 'close' }>['readings'][number];

export type DealCommand = z.infer<typeof dealCommandSchema>;

/**
 * Text as the user typed it. With should_escape on, Slack sends what it recognised as markup: a typed domain or
 * e-mail as a link (`acme.com` as `<http://acme.com|acme.com>`), a #channel, @group or @here with its name, and a
 * typed &, < and > as entities. A mention with no name (`<@U123>`) is kept as it is: it is who was meant.
 */
function typedText(s: string): string {
  return s
    .replace(/<(?:https?|mailto|tel):[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<(https?:[^|>]*)>/g, '$1')
    .replace(/<(?:mailto|tel):([^|>]*)>/g, '$1')
    .replace(/<#[CG][A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<@[UW][A-Z0-9]+\|([^>]*)>/g, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+\|([^>]*)>/g, '$1')
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
/** A deal name or reason as typed, and quotes around a name are not part of it. */
const unquote = (s: string) => typedText(s).trim().replace(/^["'“”‘’「」]+|["'“”‘’「」]+$/g, '').trim();
const orNull = (s: string) => (s === '' ? null : s);

/** Reads the text after `/deal`. Deal names may contain spaces: `/deal close Acme Corp won budget cut`. */
export function parseDealCommand(text: string): DealCommand {
  const trimmed = text.trim();
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const word = first.toLowerCase();
  const remainder = rest.join(' ');
  switch (word) {
    case '':
    case 'help':
      return { kind: 'help' };
    case 'assess':
      return { kind: 'assess', name: orNull(unquote(remainder)) };
    case 'list':
      return { kind: 'list', user: mentionedUsers(remainder)[0] ?? null, named: remainder.trim() !== '' };
    case 'team': {
      const [verb = '', ...others] = rest;
      const users = mentionedUsers(others.join(' '));
      const action = verb === '' ? 'list' : (['add', 'remove', 'leave', 'join'] as const).find((a) => a === verb.toLowerCase()) ?? 'usage';
      return { kind: 'team', action, users, named: others.length > 0 };
    }
    case 'settings':
      return { kind: 'settings' };
    case 'admin':
      return rest[0]?.toLowerCase() === 'failures' ? { kind: 'admin_failures' } : { kind: 'unknown', word: typedText([first, ...rest.slice(0, 1)].join(' ')) };
    case 'show':
      return { kind: 'show', name: orNull(unquote(remainder)) };
    case 'close': {
      // A status is any of won/lost/dropped after at least one word of the name: "Paradise Lost Inc won" reads two ways.
      const readings = rest.flatMap((w, at) => {
        const status = w.toLowerCase();
        if (at === 0 || !(CLOSE_STATUSES as readonly string[]).includes(status)) return [];
        const name = unquote(rest.slice(0, at).join(' '));
        return name ? [{ name, status: status as CloseReading['status'], reason: orNull(typedText(rest.slice(at + 1).join(' ')).trim()) }] : [];
      });
      return { kind: 'close', readings };
    }
    default:
      return { kind: 'unknown', word: typedText(first) };
  }
}
