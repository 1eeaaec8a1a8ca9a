import type { Content } from '../content/load.js';
import type { Reader } from './deps.js';

/** Picks the reader's language and time zone; English and UTC until the person's settings say otherwise. */
export function createReaderFor(deps: { content: Content; now: () => Date }) {
  return async (_teamId: string, _userId: string): Promise<Reader> => ({
    c: deps.content.get('en'),
    f: { locale: 'en', timeZone: 'UTC', now: deps.now() },
  });
}
