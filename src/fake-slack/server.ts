import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SocketModeLink } from './socket-mode.js';

/** One Web API call (or response_url post) as the fake received it, with JSON arguments decoded. */
export interface RecordedCall {
  method: string;
  args: Record<string, any>;
  at: number;
}

/** A scripted failure for the next `times` calls of a method. */
export interface Fault {
  status?: 429 | 500 | 503;
  /** Seconds for the Retry-After header of a 429. */
  retryAfter?: number;
  /** Hold the answer this long (to simulate a slow or timed-out Slack). */
  delayMs?: number;
  /** Answer 200 with ok:false and this error code. */
  error?: string;
  /** The call takes effect before the fault: Slack did the work, but its answer is slow or lost. */
  landed?: boolean;
  /** The call takes effect only after `delayMs`, even if the caller has given up waiting by then. */
  landsLate?: boolean;
  /** The call is answered with the fault at once but takes effect this long after it arrived, as a Slack under strain may store a post it failed. */
  landsAfterMs?: number;
  /** The connection is cut with no answer, as a network blip would. */
  drop?: boolean;
  times: number;
}

export interface FakeUser {
  id: string;
  tz?: string;
  locale?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_bot?: boolean;
  deleted?: boolean;
}

export interface FakeSlackOptions {
  /** When set, chat.postMessage answers 429 to a second message in the same channel within this many ms. */
  channelIntervalMs?: number;
  /** When set, chat.postMessage answers 429 to bursts above this many messages per second across the workspace. */
  burstPerSecond?: number;
  /** The clock that stamps messages (ms), for tests that run the sender on a clock of their own. */
  now?: () => number;
}

/**
 * A local stand-in for Slack's Web API: records every call and can answer 429, 500, errors or slowly.
 * Used by the integration tests, the benchmarks and `npm run demo`.
 */
export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly users = new Map<string, FakeUser>();
  /** Channels the bot is not a member of: posting there answers not_in_channel. */
  readonly notInChannel = new Set<string>();
  /** Messages Slack accepted, by the channel they landed in (a DM to U123 lands in D123). */
  readonly delivered: { channel: string; ts: string; text: string; metadata?: { event_type: string; event_payload: Record<string, unknown> } }[] = [];
  private readonly faults = new Map<string, Fault[]>();
  private readonly lastPost = new Map<string, number>();
  private readonly recentPosts: number[] = [];
  /** How many chat.postMessage calls were answered 429 by the built-in limits. */
  rateLimited = 0;
  /** The Socket Mode connection apps.connections.open hands out, for an app started with an app token. */
  readonly socketMode = new SocketModeLink();
  /** Called with every recorded call as it arrives (benchmarks time calls with it). */
  readonly listeners = new Set<(call: RecordedCall) => void>();
  private server?: http.Server;
  private counter = 0;
  url = '';

  constructor(private readonly options: FakeSlackOptions = {}) {}

  /** Base URL for `slackApiUrl` (ends with /api/). */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A response_url the app can post to; posts are recorded as method `response_url`. */
  responseUrl(id: string): string {
    return `${this.url}/response/${id}`;
  }

  fail(method: string, fault: Fault): void {
    const list = this.faults.get(method) ?? [];
    list.push({ ...fault });
    this.faults.set(method, list);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  clear(): void {
    this.calls.length = 0;
    this.faults.clear();
  }

  /** Resolves once a recorded call matches, or rejects after the timeout. */
  async waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs = 3000): Promise<RecordedCall> {
    const start = Date.now();
    for (;;) {
      const found = this.calls.find(predicate);
      if (found) return found;
      if (Date.now() - start > timeoutMs) throw new Error(`fake Slack: no matching call within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async start(port = 0): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => this.socketMode.upgrade(req, socket, head));
    // Node's own default: clients keep a connection for the hinted time minus a second, so a shorter one disables reuse.
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.socketMode.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '/';
    const method = url.startsWith('/response/') ? 'response_url' : url.replace(/^\/api\//, '').split('?')[0]!;
    const args = decode(body, req.headers['content-type'] ?? '');
    const call = { method, args, at: Date.now() };
    this.calls.push(call);
    for (const listener of this.listeners) listener(call);

    const fault = this.takeFault(method);
    const answer = fault?.landed ? this.answer(method, args) : undefined;
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    const late = fault?.landsLate ? this.answer(method, args) : undefined;
    if (fault?.landsAfterMs !== undefined) setTimeout(() => this.answer(method, args), fault.landsAfterMs).unref();
    if (res.destroyed) return;
    if (fault?.drop) return void req.socket.destroy();
    if (fault?.status) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.status === 429) headers['retry-after'] = String(fault.retryAfter ?? 1);
      res.writeHead(fault.status, headers).end(JSON.stringify({ ok: false, error: fault.status === 429 ? 'ratelimited' : 'internal_error' }));
      return;
    }
    if (fault?.error) return this.json(res, { ok: false, error: fault.error });
    if (method === 'chat.postMessage' && this.limited(String(args.channel))) {
      this.rateLimited++;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"ok":false,"error":"ratelimited"}');
      return;
    }
    this.json(res, answer ?? late ?? this.answer(method, args));
  }

  /** Slack's limits for posting: about one message per second per channel, and short bursts workspace-wide. */
  private limited(channel: string): boolean {
    const now = Date.now();
    if (this.options.burstPerSecond) {
      while (this.recentPosts.length && now - this.recentPosts[0]! >= 1000) this.recentPosts.shift();
      if (this.recentPosts.length >= this.options.burstPerSecond) return true;
    }
    if (this.options.channelIntervalMs) {
      const last = this.lastPost.get(channel);
      if (last !== undefined && now - last < this.options.channelIntervalMs) return true;
      this.lastPost.set(channel, now);
    }
    if (this.options.burstPerSecond) this.recentPosts.push(now);
    return false;
  }

  private takeFault(method: string): Fault | undefined {
    const list = this.faults.get(method);
    const fault = list?.[0];
    if (!fault) return undefined;
    fault.times -= 1;
    if (fault.times <= 0) list!.shift();
    return fault;
  }

  private answer(method: string, args: Record<string, any>): Record<string, unknown> {
    const id = ++this.counter;
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'deal-coach' };
      case 'apps.connections.open':
        return { ok: true, url: `${this.url.replace(/^http/, 'ws')}/link/?ticket=${id}` };
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish':
        return { ok: true, view: { id: args.view_id ?? `V${id}`, ...args.view } };
      case 'chat.postMessage': {
        const channel = String(args.channel);
        if (this.notInChannel.has(channel)) return { ok: false, error: 'not_in_channel' };
        const user = this.users.get(channel);
        if (user?.deleted) return { ok: false, error: 'account_inactive' };
        const landed = /^[UW]/.test(channel) ? `D${channel.slice(1)}` : channel;
        const ts = `${Math.floor((this.options.now ?? Date.now)() / 1000)}.${String(id).padStart(6, '0')}`;
        this.delivered.push({ channel: landed, ts, text: String(args.text ?? ''), metadata: args.metadata });
        return { ok: true, channel: landed, ts };
      }
      case 'chat.delete': {
        const at = this.delivered.findIndex((m) => m.channel === args.channel && m.ts === args.ts);
        if (at < 0) return { ok: false, error: 'message_not_found' };
        this.delivered.splice(at, 1);
        return { ok: true, channel: args.channel, ts: args.ts };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users).slice(1)}` } };
      case 'conversations.history': {
        // Newest first within [oldest, latest], a page of `limit` at a time, as Slack pages it.
        const [oldest, latest] = [Number(args.oldest ?? 0), args.latest ? Number(args.latest) : Infinity];
        const inWindow = this.delivered.filter((m) => m.channel === args.channel && Number(m.ts) >= oldest && Number(m.ts) <= latest).reverse();
        const [from, limit] = [Number(args.cursor ?? 0), Number(args.limit ?? 100)];
        const more = from + limit < inWindow.length;
        return {
          ok: true,
          messages: inWindow.slice(from, from + limit).map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(m.metadata ? { metadata: m.metadata } : {}) })),
          has_more: more,
          ...(more ? { response_metadata: { next_cursor: String(from + limit) } } : {}),
        };
      }
      case 'conversations.info': {
        const channel = String(args.channel);
        if (!/^[CG]/.test(channel)) return { ok: false, error: 'channel_not_found' };
        return { ok: true, channel: { id: channel, is_member: !this.notInChannel.has(channel), is_archived: false } };
      }
      case 'users.info': {
        const user = this.users.get(String(args.user));
        if (!user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { name: user.id.toLowerCase(), tz: 'UTC', locale: 'en-US', is_admin: false, is_owner: false, ...user } };
      }
      default:
        return { ok: true };
    }
  }

  private json(res: http.ServerResponse, payload: unknown): void {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
  }
}

function decode(body: string, contentType: string): Record<string, any> {
  if (!body) return {};
  if (contentType.includes('application/json')) return JSON.parse(body) as Record<string, any>;
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
