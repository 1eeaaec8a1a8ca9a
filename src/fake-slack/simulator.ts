import { createHmac, randomUUID } from 'node:crypto';
import type { FakeSlack } from './server.js';
import type { SocketModeLink } from './socket-mode.js';

export interface Sent {
  status: number;
  /** The JSON the app answered with (a view_submission's response_action, a command's message), or null. */
  body: any;
}

/** How to sign a request: defaults are a fresh timestamp and the app's secret. */
export interface RequestOptions {
  timestamp?: number;
  secret?: string;
  headers?: Record<string, string>;
}

type View = { callback_id?: string; private_metadata?: string; blocks?: any[]; [k: string]: unknown };

/** Signs a request body the way Slack does: v0= + hex HMAC-SHA256 over `v0:<timestamp>:<body>`. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Builds view state the way Slack would for these answers, from the element types in the view itself. */
export function stateFor(view: View, answers: Record<string, string | null | undefined>) {
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks ?? []) {
    if (block.type !== 'input') continue;
    const el = block.element;
    const answer = answers[block.block_id];
    let state: Record<string, unknown>;
    switch (el.type) {
      case 'radio_buttons':
      case 'static_select': {
        const value = answer === undefined ? el.initial_option?.value : answer;
        state = { selected_option: value ? { value, text: { type: 'plain_text', text: value } } : null };
        break;
      }
      case 'datepicker':
        state = { selected_date: answer === undefined ? (el.initial_date ?? null) : answer };
        break;
      case 'conversations_select':
        state = { selected_conversation: answer === undefined ? (el.initial_conversation ?? null) : answer };
        break;
      case 'timepicker':
        state = { selected_time: answer === undefined ? (el.initial_time ?? null) : answer };
        break;
      case 'checkboxes': {
        const chosen = answer === undefined ? (el.initial_options ?? []).map((o: { value: string }) => o.value) : answer ? answer.split(',') : [];
        state = { selected_options: chosen.map((value: string) => ({ value })) };
        break;
      }
      case 'multi_users_select':
        state = { selected_users: answer === undefined ? (el.initial_users ?? []) : answer ? answer.split(',') : [] };
        break;
      default:
        state = { value: answer === undefined ? (el.initial_value ?? null) : answer };
    }
    values[block.block_id] = { [el.action_id]: { type: el.type, ...state } };
  }
  return { values };
}

/** How Slack reaches the app: signed HTTP requests, or envelopes over the app's Socket Mode connection. */
interface Transport {
  command(fields: Record<string, string>, extra?: RequestOptions): Promise<Sent>;
  interaction(payload: object): Promise<Sent>;
  event(body: object, retryNum?: number): Promise<Sent>;
}

/**
 * Plays Slack's side of the conversation against the app: signed slash commands, view submissions,
 * button clicks and events, as Slack sends them. Used by the integration tests, benchmarks and demo.
 * Over HTTP by default; `SlackSimulator.overSocketMode` sends the same through a Socket Mode connection.
 */
export class SlackSimulator {
  private readonly transport: Transport;

  constructor(
    private readonly appUrl: string,
    private readonly signingSecret: string,
    private readonly fake: Pick<FakeSlack, 'responseUrl'>,
    readonly teamId = 'T1',
    transport?: Transport,
  ) {
    const form = (fields: Record<string, string>, extra?: RequestOptions) => this.post('/slack/events', new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', extra);
    this.transport = transport ?? {
      command: form,
      interaction: (payload) => form({ payload: JSON.stringify(payload) }),
      event: (body, retryNum) => {
        const headers: Record<string, string> = retryNum ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' } : {};
        return this.post('/slack/events', JSON.stringify(body), 'application/json', { headers });
      },
    };
  }

  /** The same conversation, sent as Socket Mode envelopes to the app connected to `fake`. */
  static overSocketMode(fake: Pick<FakeSlack, 'responseUrl'> & { socketMode: SocketModeLink }, teamId = 'T1'): SlackSimulator {
    const link = fake.socketMode;
    return new SlackSimulator('', '', fake, teamId, {
      command: (fields) => link.send('slash_commands', fields),
      interaction: (payload) => link.send('interactive', payload),
      event: (body, retryNum) => link.send('events_api', body, retryNum ? { attempt: retryNum, reason: 'timeout' } : undefined),
    });
  }

  /** A signed HTTP request to the app (HTTP mode only). */
  async post(path: string, body: string, contentType: string, extra: RequestOptions = {}): Promise<Sent> {
    const timestamp = extra.timestamp ?? Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(extra.secret ?? this.signingSecret, timestamp, body),
      ...extra.headers,
    };
    const { status, text } = await this.send(`${this.appUrl}${path}`, headers, body);
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status, body: parsed };
  }

  /** Sends one POST and reads the answer; a load generator may send through something lighter than fetch. */
  protected async send(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
    const res = await fetch(url, { method: 'POST', headers, body });
    return { status: res.status, text: await res.text() };
  }

  /** `/deal <text>` typed by `user`. */
  command(user: string, text: string, extra?: RequestOptions & { triggerId?: string }): Promise<Sent> {
    return this.transport.command(
      {
        token: 'legacy',
        team_id: this.teamId,
        team_domain: 'acme-sales',
        channel_id: 'C_GENERAL',
        channel_name: 'general',
        user_id: user,
        user_name: user.toLowerCase(),
        command: '/deal',
        text,
        api_app_id: 'A1',
        is_enterprise_install: 'false',
        response_url: this.fake.responseUrl(randomUUID()),
        trigger_id: extra?.triggerId ?? `trigger-${randomUUID()}`,
      },
      extra,
    );
  }

  /** Submits a modal as shown, with `answers` keyed by block id (unanswered inputs keep their initial value). */
  submit(user: string, view: View, answers: Record<string, string | null | undefined>): Promise<Sent> {
    const payload = {
      type: 'view_submission',
      team: { id: this.teamId, domain: 'acme-sales' },
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: this.teamId },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: `trigger-${randomUUID()}`,
      view: { id: 'V1', team_id: this.teamId, type: 'modal', hash: 'h', ...view, state: stateFor(view, answers) },
      response_urls: [],
      is_enterprise_install: false,
    };
    return this.transport.interaction(payload);
  }

  /** Clicks a button; `from: 'home'` clicks it in the App Home tab, which has no response_url. */
  click(user: string, actionId: string, value: string, from: 'message' | 'home' = 'message'): Promise<Sent> {
    const payload = {
      type: 'block_actions',
      team: { id: this.teamId, domain: 'acme-sales' },
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: this.teamId },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: `trigger-${randomUUID()}`,
      container: from === 'home' ? { type: 'view', view_id: 'VHOME' } : { type: 'message', message_ts: '1.1', channel_id: `D${user}`, is_ephemeral: false },
      ...(from === 'home' ? { view: { id: 'VHOME', type: 'home' } } : { channel: { id: `D${user}` }, response_url: this.fake.responseUrl(randomUUID()) }),
      actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: String(Date.now() / 1000) }],
      is_enterprise_install: false,
    };
    return this.transport.interaction(payload);
  }

  /** Delivers an Events API event; `retryNum` adds Slack's retry headers. */
  event(event: Record<string, unknown>, opts: { eventId?: string; retryNum?: number } = {}): Promise<Sent> {
    const body = {
      token: 'legacy',
      team_id: this.teamId,
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: opts.eventId ?? `Ev${randomUUID()}`,
      event_time: Math.floor(Date.now() / 1000),
      event,
    };
    return this.transport.event(body, opts.retryNum);
  }
}
