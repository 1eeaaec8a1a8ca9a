import http from 'node:http';
import https from 'node:https';
import type { Logger } from '@slack/bolt';
import { ErrorCode, WebClient, type WebAPICallResult } from '@slack/web-api';

type Coded = Error & { code: ErrorCode };
const coded = (message: string, code: ErrorCode, fields: Record<string, unknown> = {}): Coded => Object.assign(new Error(message), { code, ...fields });

/**
 * A WebClient whose calls go straight to the Web API through Node's HTTP client on kept-alive connections, once each,
 * with no retry. WebClient's own HTTP client (axios) spent more per call than our app's whole answer to a seller's
 * step: this is for the calls a seller waits on. Each request is written at once, not after the work already queued.
 * Arguments are sent, and answers and failures come back, as WebClient's do: the same error codes, `data` for Slack's
 * own errors, `retryAfter` for a rate limit, `statusCode` for an HTTP error.
 */
export class DirectWebClient extends WebClient {
  readonly #timeoutMs: number;
  readonly #agent: http.Agent;
  readonly #transport: typeof http | typeof https;
  /** Calls in flight at most (`maxRequestConcurrency`, as WebClient names it); the others wait their turn, in order. */
  readonly #maxInFlight: number;
  #inFlight = 0;
  readonly #queue: (() => void)[] = [];

  constructor(token: string, options: { slackApiUrl?: string; timeout: number; logger?: Logger; maxRequestConcurrency?: number }) {
    super(token, { ...options, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, attachOriginalToWebAPIRequestError: false });
    this.#timeoutMs = options.timeout;
    this.#maxInFlight = options.maxRequestConcurrency ?? Infinity;
    this.#transport = this.slackApiUrl.startsWith('https:') ? https : http;
    this.#agent = new this.#transport.Agent({ keepAlive: true });
  }

  override async apiCall(method: string, options: Record<string, unknown> = {}): Promise<WebAPICallResult> {
    if (this.#inFlight < this.#maxInFlight) this.#inFlight++;
    // A call that ends hands its place to the next one waiting.
    else await new Promise<void>((turn) => this.#queue.push(turn));
    try {
      return await this.#call(method, options);
    } finally {
      const next = this.#queue.shift();
      if (next) next();
      else this.#inFlight--;
    }
  }

  async #call(method: string, options: Record<string, unknown>): Promise<WebAPICallResult> {
    // As WebClient encodes them: a form, with anything but a string, number or boolean as JSON.
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(options)) {
      if (value === undefined || value === null) continue;
      form.append(key, typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value));
    }
    const { status, retryAfter, text } = await this.#post(`${this.slackApiUrl}${method}`, form.toString());
    if (status === 429) {
      const seconds = Number.parseInt(retryAfter ?? '', 10);
      throw coded(`A rate-limit has been reached, you may retry this request in ${seconds} seconds`, ErrorCode.RateLimitedError, { retryAfter: Number.isNaN(seconds) ? 1 : seconds });
    }
    if (status !== 200) throw coded(`An HTTP protocol error occurred: statusCode = ${status}`, ErrorCode.HTTPError, { statusCode: status, body: text });
    let result: WebAPICallResult;
    try {
      result = JSON.parse(text) as WebAPICallResult;
    } catch {
      throw coded('An HTTP protocol error occurred: the answer was not JSON', ErrorCode.HTTPError, { statusCode: status, body: text });
    }
    if (!result.ok) throw coded(`An API error occurred: ${result.error}`, ErrorCode.PlatformError, { data: result });
    return result;
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.#agent.destroy();
  }

  /** One POST; no answer within the timeout, or a connection lost, is a request error: the call may have been done. */
  #post(url: string, body: string): Promise<{ status: number; retryAfter?: string; text: string }> {
    return new Promise((resolve, reject) => {
      const failed = (err: Error) => reject(coded(`A request error occurred: ${err.message}`, ErrorCode.RequestError));
      const req = this.#transport.request(
        url,
        {
          method: 'POST',
          agent: this.#agent,
          timeout: this.#timeoutMs,
          headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], text: Buffer.concat(chunks).toString() }));
          res.on('error', failed);
        },
      );
      // The timeout counts from the last activity on the socket: a slow answer ends the call as no answer would.
      req.on('timeout', () => req.destroy(new Error(`timeout of ${this.#timeoutMs}ms exceeded`)));
      req.on('error', failed);
      req.end(body);
    });
  }
}
