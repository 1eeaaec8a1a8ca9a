import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { threadId } from 'node:worker_threads';
import { ErrorCode, LogLevel } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../src/fake-slack/server.js';
import { ThreadWebClient } from '../../src/slack/web-client-thread/client.js';
import { ROOT } from '../support/processes.js';

const open: { fake: FakeSlack; client: ThreadWebClient }[] = [];
afterEach(async () => {
  for (const { fake, client } of open.splice(0)) {
    await client.close();
    await fake.stop();
  }
});

async function setUp(timeout = 5_000) {
  const fake = new FakeSlack();
  await fake.start();
  const client = new ThreadWebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout, logLevel: LogLevel.ERROR });
  open.push({ fake, client });
  return { fake, client };
}

describe('the Web API client on a worker thread', () => {
  it('makes the call from another thread and hands back Slack’s answer', async () => {
    const { fake, client } = await setUp();
    const res = await client.chat.postMessage({ channel: 'U1', text: 'hello', metadata: { event_type: 'e', event_payload: { key: 'k' } } });
    expect(res.ok).toBe(true);
    expect(res.ts).toMatch(/^\d+\.\d+$/);
    expect(fake.callsTo('chat.postMessage').map((c) => c.args)).toEqual([expect.objectContaining({ channel: 'U1', text: 'hello' })]);
    // The worker holds the connection: this thread's id is not the one the call came from.
    expect(client.workerThreadId).not.toBe(threadId);
    expect(client.workerThreadId).toBeGreaterThan(0);
  });

  it('rejects with the fields callers read: a 429’s wait, a 500’s status, Slack’s own error', async () => {
    const { fake, client } = await setUp();
    fake.fail('chat.postMessage', { status: 429, retryAfter: 7, times: 1 });
    await expect(client.chat.postMessage({ channel: 'U1', text: 'a' })).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    fake.fail('chat.postMessage', { status: 500, times: 1 });
    await expect(client.chat.postMessage({ channel: 'U1', text: 'b' })).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });
    fake.fail('chat.postMessage', { error: 'channel_not_found', times: 1 });
    await expect(client.chat.postMessage({ channel: 'U1', text: 'c' })).rejects.toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'channel_not_found' } });
    await expect(client.chat.postMessage({ channel: 'U1', text: 'd' })).resolves.toMatchObject({ ok: true });
  });

  it('fails a call in flight as a lost connection when closed, and starts a new worker for the next call', async () => {
    const { fake, client } = await setUp();
    fake.fail('chat.postMessage', { delayMs: 3_000, times: 1 });
    const inFlight = client.chat.postMessage({ channel: 'U1', text: 'slow' });
    await fake.waitFor((c) => c.method === 'chat.postMessage');
    const first = client.workerThreadId;
    await client.close();
    await expect(inFlight).rejects.toMatchObject({ code: ErrorCode.RequestError });
    await expect(client.chat.postMessage({ channel: 'U1', text: 'again' })).resolves.toMatchObject({ ok: true });
    expect(client.workerThreadId).not.toBe(first);
  });

  it('refuses an argument that cannot cross to the worker, and keeps serving the next call', async () => {
    const { fake, client } = await setUp();
    await expect(client.apiCall('chat.postMessage', { channel: 'U1', text: 'x', callback: () => 1 })).rejects.toMatchObject({ name: 'DataCloneError' });
    await expect(client.chat.postMessage({ channel: 'U1', text: 'y' })).resolves.toMatchObject({ ok: true });
    expect(fake.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual(['y']);
  });

  it('times out as the client it stands for would', async () => {
    const { fake, client } = await setUp(300);
    fake.fail('chat.postMessage', { delayMs: 1_500, times: 1 });
    await expect(client.chat.postMessage({ channel: 'U1', text: 'slow' })).rejects.toMatchObject({ code: ErrorCode.RequestError });
  });

  it('never keeps the process alive once idle, a refused call included', async () => {
    // Killed after 20 s if the worker held the process open.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/idle-thread-client.ts')], { timeout: 20_000 });
    expect(stdout.trim()).toBe('calls: 1');
  });
});
