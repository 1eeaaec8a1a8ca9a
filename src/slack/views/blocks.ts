import type { Block, KnownBlock, PlainTextOption, Button } from '@slack/types';
import { LIMITS } from '../../content/schema.js';

export type AnyBlock = KnownBlock | Block;

/**
 * The text one message carries at most. Slack refuses a message with much more than 12,000 characters of text in all
 * its blocks (msg_blocks_too_long), whatever each block's own limit allows.
 */
export const MESSAGE_TEXT = 10_000;
/**
 * The same for a modal. Slack documents no total for one, but refuses a view too large (view_too_large): kept within
 * the 40,000 characters it allows a message's text.
 */
export const MODAL_TEXT = 30_000;

/** The characters of text in blocks: what counts against MESSAGE_TEXT. */
export function textLength(blocks: AnyBlock[]): number {
  let n = 0;
  for (const b of blocks as { text?: { text: string }; elements?: { text?: string | { text: string } }[] }[]) {
    n += b.text?.text.length ?? 0;
    for (const e of b.elements ?? []) n += typeof e.text === 'string' ? e.text.length : (e.text?.text.length ?? 0);
  }
  return n;
}

/** Blocks in order, split into as few messages as MESSAGE_TEXT allows. */
export function messagesOf(blocks: AnyBlock[]): AnyBlock[][] {
  const messages: AnyBlock[][] = [[]];
  let size = 0;
  for (const block of blocks) {
    const n = textLength([block]);
    if (messages.at(-1)!.length && size + n > MESSAGE_TEXT) {
      messages.push([]);
      size = 0;
    }
    messages.at(-1)!.push(block);
    size += n;
  }
  return messages;
}

/** Whether cutting `text` at `i` would split an emoji or other astral character in two. */
const splitsPair = (text: string, i: number) => i > 0 && /[\uD800-\uDBFF]/.test(text[i - 1]!);

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The cut nearest to `i`, at or before it (or after it, `later`), that splits no character as a reader sees it: an
 * emoji with its skin tone or the people joined in it, a flag, a Thai letter with its vowel and tone marks. Only an
 * absurdly long cluster, with no such cut in reach, is cut between code points.
 */
function readableCut(text: string, i: number, later = false): number {
  let before = 0;
  for (const { index } of graphemes.segment(text)) {
    if (index >= i) return later || index === i ? index : before || (splitsPair(text, i) ? i - 1 : i);
    before = index;
  }
  return later ? text.length : before || (splitsPair(text, i) ? i - 1 : i);
}

/** The start of `text` within `max` characters, cut neither inside a character as read nor inside an escape such as `&amp;`. */
export function prefix(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = readableCut(text, max);
  const amp = text.lastIndexOf('&', cut - 1);
  const entity = amp >= 0 ? /^&(amp|lt|gt);/.exec(text.slice(amp)) : null;
  if (entity && amp + entity[0].length > cut) cut = amp;
  return text.slice(0, cut);
}

/** Cuts text to Slack's limit with an ellipsis, so user-typed text never breaks a view. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${prefix(text, max - 1)}…`;
}

/** Like clip, but keeps the end as well: long deal names that differ only in their last words stay told apart. */
export function clipMiddle(text: string, max: number, tail = 24): string {
  if (text.length <= max) return text;
  // Never inside a character as read (see readableCut).
  const head = readableCut(text, max - 1 - tail);
  const from = readableCut(text, text.length - tail, true);
  return `${text.slice(0, head)}…${text.slice(from)}`;
}

/** Escapes the three characters Slack treats as markup in user-typed text. */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const plain = (text: string, max: number = LIMITS.button) => ({ type: 'plain_text' as const, text: clip(text, max), emoji: true });

export const section = (text: string): AnyBlock => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, LIMITS.section) } });

export const header = (text: string): AnyBlock => ({ type: 'header', text: plain(text, LIMITS.header) });

export const context = (text: string): AnyBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, LIMITS.section) }] });

export const divider = (): AnyBlock => ({ type: 'divider' });

export const option = (text: string, value: string): PlainTextOption => ({ text: plain(text, LIMITS.option), value });

export const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  text: plain(text, LIMITS.button),
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});

export const actions = (blockId: string, elements: Button[]): AnyBlock => ({ type: 'actions', block_id: blockId, elements });

/** Cuts text into pieces of at most `max` characters, at a line break or space where there is one, never inside an escape or an emoji. */
function pieces(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = Math.max(rest.lastIndexOf('\n', max), rest.lastIndexOf(' ', max));
    if (cut <= 0) cut = max;
    const amp = rest.lastIndexOf('&', cut - 1);
    if (amp > 0 && rest.indexOf(';', amp) >= cut) cut = amp;
    // Nor inside a character as read.
    cut = readableCut(rest, cut) || cut;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[ \n]/, '');
  }
  return [...out, rest];
}

/** Lines joined into as few sections as Slack's text limit allows, a line too long for one cut into pieces, so nothing is cut short. */
export function sectionsOf(lines: string[], separator = '\n'): AnyBlock[] {
  const texts: string[] = [];
  for (const piece of lines.flatMap((line) => pieces(line, LIMITS.section))) {
    const last = texts.length - 1;
    if (last >= 0 && texts[last]!.length + separator.length + piece.length <= LIMITS.section) texts[last] += `${separator}${piece}`;
    else texts.push(piece);
  }
  return texts.map(section);
}
