import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ErrorCode, WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack, type Fault } from '../../src/fake-slack/server.js';
import { DirectWebClient } from '../../src/slack/direct-web-client.js';
import { ROOT } from '../support/processes.js';

const open: { fake: FakeSlack; direct: DirectWebClient }[] = [];
afterEach(async () => {
  for (const { fake, direct } of open.splice(0)) {
    direct.close();
    await fake.stop();
  }
});

/** The client under test and WebClient as the app would set it up for the same calls, against one fake Slack. */
async function setUp(timeout = 2_000) {
  const fake = new FakeSlack();
  await fake.start();
  const direct = new DirectWebClient('xoxb-test', { slackApiUrl: fake.apiUrl, timeout });
  const web = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, timeout, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  open.push({ fake, direct });
  return { fake, direct, web };
}

/** What a caller reads of an answer or a failure. */
const outcome = (call: Promise<unknown>) =>
  call.then(
    (res) => ({ ok: (res as { ok: boolean }).ok, ts: typeof (res as { ts?: unknown }).ts }),
    (err) => ({ code: err.code, retryAfter: err.retryAfter, statusCode: err.statusCode, error: err.data?.error }),
  );

describe('the direct Web API client', () => {
  it('sends the arguments as WebClient does, objects and all, and hands back Slack’s answer', async () => {
    const { fake, direct, web } = await setUp();
    const args = { channel: 'U1', text: 'hello & <you>', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'é 😀' } }], metadata: { event_type: 'e', event_payload: { key: 'k' } }, unfurl_links: false };
    expect(await outcome(direct.chat.postMessage(args))).toEqual(await outcome(web.chat.postMessage(args)));
    const [viaDirect, viaWeb] = fake.callsTo('chat.postMessage').map((c) => c.args);
    expect(viaDirect).toEqual(viaWeb);
    expect(viaDirect).toMatchObject({ text: 'hello & <you>', blocks: args.blocks, metadata: args.metadata });
  });

  const faults: [string, Fault][] = [
    ['a 429', { status: 429, retryAfter: 7, times: 1 }],
    ['a 500', { status: 500, times: 1 }],
    ['Slack’s own error', { error: 'channel_not_found', times: 1 }],
    ['no answer in time', { delayMs: 1_000, times: 1 }],
  ];
  for (const [name, fault] of faults) {
    it(`fails on ${name} with the code and fields WebClient gives`, async () => {
      const { fake, direct, web } = await setUp(400);
      fake.fail('views.open', fault);
      const mine = await outcome(direct.views.open({ trigger_id: 't', view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } }));
      fake.fail('views.open', fault);
      const theirs = await outcome(web.views.open({ trigger_id: 't', view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } }));
      expect(mine).toEqual(theirs);
      expect(mine).toHaveProperty('code', expect.stringMatching(/^slack_webapi_/));
    });
  }

  it('fails as a lost connection when nothing answers, and never carries the token in its error', async () => {
    const { fake, direct } = await setUp();
    await fake.stop();
    const err = await direct.users.info({ user: 'U1' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.RequestError });
    expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).not.toContain('xoxb-test');
  });

  it('has at most `maxRequestConcurrency` calls in flight, each next one started as another returns', async () => {
    const { fake } = await setUp();
    const limited = new DirectWebClient('xoxb-test', { slackApiUrl: fake.apiUrl, timeout: 5_000, maxRequestConcurrency: 2 });
    fake.fail('chat.postMessage', { delayMs: 300, times: 6 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, (_, i) => limited.chat.postMessage({ channel: 'U1', text: String(i) })));
    const arrivals = fake.callsTo('chat.postMessage').map((c) => c.at - started);
    expect(fake.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual(['0', '1', '2', '3', '4', '5']);
    for (let i = 2; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 2]!).toBeGreaterThanOrEqual(280);
    limited.close();
  });

  it('never keeps the process alive once idle, with its connections still open', async () => {
    const { fake } = await setUp();
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/idle-direct-client.ts')], { timeout: 20_000, env: { ...process.env, API_URL: fake.apiUrl } });
    expect(stdout.trim()).toBe('refused: slack_webapi_platform_error');
    expect(fake.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'users.info']);
    // The fake keeps an idle connection for 5 s: a process held by its connection would end only then.
    expect(Date.now() - started).toBeLessThan(4_500);
  });
});
