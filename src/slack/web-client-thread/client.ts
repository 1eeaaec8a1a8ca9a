import { Worker } from 'node:worker_threads';
import { ErrorCode, WebClient, type WebAPICallResult } from '@slack/web-api';
import { deserializeError, type Call, type Reply, type ThreadClientOptions } from './messages.js';

type Waiting = { resolve: (result: WebAPICallResult) => void; reject: (err: Error) => void };

/**
 * A Web API client whose calls run on a worker thread: encoding the request, the HTTP exchange and reading the answer
 * cost the app's thread only the handing over. For background calls (result DMs), whose work would otherwise come
 * between the requests that thread acknowledges. The worker starts with the first call, and again after one dies.
 */
export class ThreadWebClient extends WebClient {
  readonly #options: ThreadClientOptions;
  readonly #waiting = new Map<number, Waiting>();
  #worker?: Worker;
  #nextId = 0;

  /** As a WebClient is made, with the options that can cross to a thread. */
  constructor(token: string, options: ThreadClientOptions = {}) {
    super(token, options);
    this.#options = options;
  }

  override apiCall(method: string, options: Record<string, unknown> = {}): Promise<WebAPICallResult> {
    const id = ++this.#nextId;
    const worker = this.#started();
    return new Promise((resolve, reject) => {
      try {
        worker.postMessage({ id, method, options } satisfies Call);
      } catch (err) {
        // An argument that cannot be copied to another thread (a function, say): the call never left.
        return reject(err);
      }
      this.#waiting.set(id, { resolve, reject });
      worker.ref();
    });
  }

  /** The thread the calls run on, once started. */
  get workerThreadId(): number | undefined {
    return this.#worker?.threadId;
  }

  /** Stops the worker; calls still waiting fail as a dropped connection would (they may have landed). */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
    this.#failAll('the Web API worker was stopped');
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), {
      workerData: { token: this.token, options: this.#options },
      // Plain JavaScript: the worker needs none of the TypeScript loader the app may run under.
      execArgv: [],
    });
    worker.on('message', ({ id, ...reply }: Reply) => {
      const waiting = this.#waiting.get(id);
      this.#waiting.delete(id);
      if ('error' in reply) waiting?.reject(deserializeError(reply.error));
      else waiting?.resolve(reply.result);
      if (this.#waiting.size === 0) worker.unref();
    });
    const lost = (why: string) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#failAll(why);
    };
    worker.on('error', (err) => lost(`the Web API worker failed: ${err.message}`));
    worker.on('exit', (code) => lost(`the Web API worker exited (${code})`));
    // An idle worker never keeps the process alive: each call holds it (ref) until its answer. After the listeners,
    // as adding a 'message' listener holds the worker again.
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #failAll(why: string): void {
    for (const { reject } of this.#waiting.values()) reject(Object.assign(new Error(why), { code: ErrorCode.RequestError }));
    this.#waiting.clear();
  }
}
