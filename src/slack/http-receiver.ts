import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import querystring from 'node:querystring';
import { HTTPModuleFunctions as httpFunc, HTTPResponseAck, verifySlackRequest, type App, type Receiver } from '@slack/bolt';
import getRawBody from 'raw-body';

/** Where Slack posts commands, interactions and events (Bolt's default). */
const EVENTS_PATH = '/slack/events';
/** Bolt's own: a listener that has not acked after this long is logged, and Slack has given up by then. */
const UNACKED_AFTER_MS = 3_001;
/**
 * The largest body read before its signature is checked. Slack's largest, a submitted modal of 100 blocks, is some
 * tens of kB; past this an unsigned sender could hold the process's memory.
 */
const MAX_BODY_BYTES = 1024 * 1024;

type Fields = Record<string, unknown>;
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A form body's fields. An interaction is one `payload` field holding the whole view (5 to 30 kB once encoded):
 * that one is decoded natively. Node's querystring parser walks the body character by character in JavaScript,
 * and Bolt's HTTPReceiver runs it twice per request, which came to a tenth of the CPU of a request.
 */
export function formFields(raw: string): Fields {
  if (raw.startsWith('payload=') && !raw.includes('&')) {
    try {
      return { payload: decodeURIComponent(raw.slice('payload='.length).replace(/\+/g, ' ')) };
    } catch {
      // A malformed escape: querystring's parser is lenient about those, as Bolt is.
    }
  }
  return querystring.parse(raw);
}

/** The body Bolt's listeners expect: an interaction's payload or a command's fields from a form, else JSON. */
export function slackBody(raw: string, contentType: string | undefined, fields?: Fields): Fields {
  if (contentType !== 'application/x-www-form-urlencoded') return JSON.parse(raw) as Fields;
  const form = fields ?? formFields(raw);
  return typeof form.payload === 'string' ? (JSON.parse(form.payload) as Fields) : form;
}

/**
 * Bolt's HTTPReceiver for one endpoint and a few GET routes, parsing each body once (see formFields). Signature
 * checks, acks (with their 3-second watch) and error answers are Bolt's own functions.
 */
export class SlackHttpReceiver implements Receiver {
  private app?: App;
  private server?: Server;
  private readonly routes: Map<string, RouteHandler>;

  constructor(private readonly options: { signingSecret: string; routes?: Record<string, RouteHandler> }) {
    this.routes = new Map(Object.entries(options.routes ?? {}));
  }

  init(app: App): void {
    this.app = app;
  }

  async start(at: number | { port: number; host?: string }): Promise<Server> {
    const { port, host } = typeof at === 'number' ? { port: at, host: undefined } : at;
    const server = http.createServer((req, res) => this.route(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path === EVENTS_PATH && req.method === 'POST') {
      return void this.handle(req, res).catch((err) => {
        this.app?.logger.error('a request from Slack failed outside any listener', err);
        if (!res.headersSent) httpFunc.buildNoBodyResponse(res, 500);
      });
    }
    const handler = req.method === 'GET' ? this.routes.get(path!) : undefined;
    if (handler) return handler(req, res);
    httpFunc.buildNoBodyResponse(res, 404);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const logger = this.app!.logger;
    const contentType = req.headers['content-type'];
    let raw: string;
    let fields: Fields | undefined;
    try {
      raw = (await getRawBody(req, { limit: MAX_BODY_BYTES })).toString();
      if (contentType === 'application/x-www-form-urlencoded') fields = formFields(raw);
    } catch (err) {
      logger.warn(`Failed to read the request body: ${(err as Error).message}`);
      // raw-body gives 413 for a body over the limit (it stops reading there), 400 for one cut short.
      const status = (err as { status?: number }).status === 413 ? 413 : 400;
      return httpFunc.buildNoBodyResponse(res, status);
    }
    // Slack checks a certificate with an unsigned ssl_check, as Bolt's receiver allows.
    if (fields?.ssl_check === '1') return httpFunc.buildSSLCheckResponse(res);
    try {
      // Bolt's getHeader throws on a missing header, which is refused like a wrong signature.
      const headers = { 'x-slack-signature': httpFunc.getHeader(req, 'x-slack-signature'), 'x-slack-request-timestamp': Number.parseInt(httpFunc.getHeader(req, 'x-slack-request-timestamp'), 10) };
      verifySlackRequest({ signingSecret: this.options.signingSecret, body: raw, headers });
    } catch (err) {
      logger.warn(`Failed to verify the request: ${(err as Error).message}`);
      return httpFunc.buildNoBodyResponse(res, 401);
    }
    let body: Fields;
    try {
      body = slackBody(raw, contentType, fields);
    } catch (err) {
      logger.warn(`Malformed request body: ${(err as Error).message}`);
      return httpFunc.buildNoBodyResponse(res, 400);
    }
    if (body.type === 'url_verification') return httpFunc.buildUrlVerificationResponse(res, body);

    const ack = new HTTPResponseAck({
      logger,
      processBeforeResponse: false,
      unhandledRequestHandler: httpFunc.defaultUnhandledRequestHandler,
      unhandledRequestTimeoutMillis: UNACKED_AFTER_MS,
      httpRequest: req,
      httpRequestBody: body,
      httpResponse: res,
    });
    try {
      await this.app!.processEvent({
        body,
        ack: ack.bind(),
        retryNum: httpFunc.extractRetryNumFromHTTPRequest(req),
        retryReason: httpFunc.extractRetryReasonFromHTTPRequest(req),
        customProperties: {},
      });
    } catch (error) {
      const answered = await httpFunc.defaultProcessEventErrorHandler({ error: error as Error, logger, request: req, response: res, storedResponse: ack.storedResponse });
      if (answered) ack.ack();
    }
  }
}
