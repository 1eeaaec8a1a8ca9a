import { z } from 'zod';
import { mentionedUsers } from './mentions.js';

const CLOSE_STATUSES = ['won', 'lost', 'dropped'] as const;

export const dealCommandSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('help') }),
  z.object({ kind: z.literal('unknown'), word: z.string() }),
  z.object({ kind: z.literal('assess'), name: z.string().nullable() }),
  z.object({ kind: z.literal('list'), user: z.string().nullable() }),
  z.object({ kind: z.literal('team'), action: z.enum(['list', 'add', 'remove', 'leave', 'usage']), users: z.array(z.string()) }),
  z.object({ kind: z.literal('settings') }),
  z.object({ kind: z.literal('admin_failures') }),
  z.object({ kind: z.literal('show'), name: z.string().nullable() }),
  z.object({ kind: z.literal('close'), name: z.string().nullable(), status: z.enum(CLOSE_STATUSES).nullable(), reason: z.string().nullable() }),
]);

export type DealCommand = z.infer<typeof dealCommandSchema>;

/** Deal names may be typed with quotes; they are not part of the name. */
const unquote = (s: string) => s.trim().replace(/^["'“”‘’「」]+|["'“”‘’「」]+$/g, '').trim();
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
      return { kind: 'list', user: mentionedUsers(remainder)[0] ?? null };
    case 'team': {
      const [verb = '', ...others] = rest;
      const users = mentionedUsers(others.join(' '));
      const action = verb === '' ? 'list' : (['add', 'remove', 'leave'] as const).find((a) => a === verb.toLowerCase()) ?? 'usage';
      return { kind: 'team', action, users };
    }
    case 'settings':
      return { kind: 'settings' };
    case 'admin':
      return rest[0]?.toLowerCase() === 'failures' ? { kind: 'admin_failures' } : { kind: 'unknown', word: first };
    case 'show':
      return { kind: 'show', name: orNull(unquote(remainder)) };
    case 'close': {
      // The status is the first of won/lost/dropped that follows at least one word of the name.
      const at = rest.findIndex((w, i) => i > 0 && (CLOSE_STATUSES as readonly string[]).includes(w.toLowerCase()));
      if (at < 0) return { kind: 'close', name: orNull(unquote(remainder)), status: null, reason: null };
      return {
        kind: 'close',
        name: orNull(unquote(rest.slice(0, at).join(' '))),
        status: rest[at]!.toLowerCase() as (typeof CLOSE_STATUSES)[number],
        reason: orNull(rest.slice(at + 1).join(' ').trim()),
      };
    }
    default:
      return { kind: 'unknown', word: first };
  }
}
