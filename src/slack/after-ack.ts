import { within } from './within.js';
import type { Logger } from '@slack/bolt';

/**
 * Work a listener goes on with after its acknowledgement (putting refused notes back, telling managers of a change),
 * kept track of so that a stop lets it finish: Bolt stops taking requests, but does not wait for its listeners.
 */
export interface AfterAck {
  run(what: string, work: () => Promise<unknown>): void;
  /** Waits for the work started so far, for at most `waitMs`; returns how many pieces did not finish. */
  settled(waitMs: number): Promise<number>;
}

export function createAfterAck(logger: Logger): AfterAck {
  const pending = new Set<Promise<unknown>>();
  return {
    run(what, work) {
      const done: Promise<unknown> = work()
        .catch((err) => logger.error(`${what} failed`, err))
        .finally(() => pending.delete(done));
      pending.add(done);
    },
    async settled(waitMs) {
      if (pending.size) await within(Promise.allSettled([...pending]), waitMs);
      return pending.size;
    },
  };
}
