import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What `work` gives within `ms`, else undefined, so that a reply inside Slack's 3 seconds does not wait longer. The
 * work goes on, and whatever it records still lands, for the next time.
 */
export const within = <T>(work: Promise<T>, ms: number): Promise<T | undefined> => Promise.race([work, sleep(ms, undefined, { ref: false })]);
