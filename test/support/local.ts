import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel, type Logger } from '@slack/bolt';
import { afterEach, expect } from 'vitest';
import { startLocalApp, type LocalApp } from '../../src/fake-slack/local-app.js';
import type { FakeSlack } from '../../src/fake-slack/server.js';
import type { ResultDmTiming } from '../../src/slack/result-dms.js';

/** A fresh temporary folder per test file for SQLite files. */
export function tempDbPath(name = 'deal-coach.sqlite'): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'deal-coach-')), name);
}

const running: LocalApp[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.stop();
});

/** Starts the real app against a fake Slack; stopped after each test. */
export async function localApp(options: { databasePath?: string; fake?: FakeSlack; now?: () => Date; resultDms?: ResultDmTiming; logLevel?: 'warn' } = {}): Promise<LocalApp> {
  const app = await startLocalApp({ ...options, databasePath: options.databasePath ?? tempDbPath() });
  running.push(app);
  return app;
}

const handled = new WeakMap<LocalApp, Set<string>>();

/**
 * Sends an event and waits until the app's listeners are done with it: Bolt answers an event before it handles it,
 * so without this a test would read the database too early, and a check that nothing changed could not fail.
 */
export async function handleEvent(app: LocalApp, event: Record<string, unknown>): Promise<void> {
  let done = handled.get(app);
  if (!done) {
    const seen = new Set<string>();
    handled.set(app, (done = seen));
    app.app.use(async ({ body, next }) => {
      await next();
      const id = (body as { event_id?: string }).event_id;
      if (id) seen.add(id);
    });
  }
  const eventId = `Ev${randomUUID()}`;
  expect((await app.slack.event(event, { eventId })).status).toBe(200);
  await until(() => done.has(eventId), 2_000, `the ${String(event.type)} event handled`);
}

/** The view of the most recent views.open call. */
export function lastOpenedView(fake: FakeSlack): any {
  const calls = fake.callsTo('views.open');
  return calls[calls.length - 1]?.args.view;
}

export const G_ANSWERS = {
  budget: 'possible',
  authority: 'influencer',
  need: 'must_have',
  timing: 'this_quarter',
  relationship: 'trust',
  competitors: 'ahead',
  time_on_deal: 'm3_6',
  tried_all: 'yes',
};

export const H_ANSWERS = { ...G_ANSWERS, budget: 'confirmed', authority: 'decider_committed' };

/** SPIN notes left empty, for assessments saved straight through the repository. */
export const NO_NOTES = { situation: null, problem: null, implication: null, need_payoff: null, next_step: null };

/** A Bolt logger for jobs run outside the app: silent, or collecting its error messages into `errors`. */
export function testLogger(errors?: string[]): Logger {
  const none = () => undefined;
  return { debug: none, info: none, warn: none, error: (m: string) => void errors?.push(m), setLevel: none, getLevel: () => LogLevel.ERROR, setName: none };
}

/** Waits until `check` holds, polling; fails the test, saying what it waited for, after `timeoutMs`. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Text of every block in a view or message, flattened for assertions. */
export function textOf(blocks: any[]): string {
  return JSON.stringify(blocks);
}

type Seller = Pick<LocalApp, 'fake' | 'slack'>;

/**
 * `/deal assess <name>` through its first two steps: a new deal of that name, or with `reassess` the open deal the
 * name preselects; `details` fills in step 1's customer, value, currency and close date. Returns the notes step's view.
 */
export async function toNotesStep(app: Seller, name: string, answers: Record<string, string>, options: { user?: string; reassess?: boolean; details?: Record<string, string> } = {}) {
  const user = options.user ?? 'U1';
  // Its own trigger finds its own modal, so that several sellers can assess at once.
  const triggerId = `trigger-${randomUUID()}`;
  await app.slack.command(user, `assess ${name}`, { triggerId });
  const step1 = (await app.fake.waitFor((c) => c.method === 'views.open' && c.args.trigger_id === triggerId)).args.view;
  const axes = await app.slack.submit(user, step1, { ...(options.reassess ? {} : { new_name: name, deal_pick: null }), ...options.details });
  return (await app.slack.submit(user, axes.body.view, answers)).body.view;
}

/** Runs the whole three-step flow for a new deal. */
export async function assessNew(app: Seller, name: string, answers: Record<string, string>, notes: Record<string, string> = {}, user = 'U1') {
  return app.slack.submit(user, await toNotesStep(app, name, answers, { user }), notes);
}

