import http from 'node:http';
import { SlackSimulator } from '../../../src/fake-slack/simulator.js';

/**
 * The simulator sending through node:http on kept-alive sockets. Over fetch, the latency benchmark's sellers cost
 * about 2.7 ms of CPU per assessment flow, more than the bare app they drive; over node:http, about 1.9 ms. On a
 * 2-core machine shared with the app under test, a costlier load generator is the bottleneck, and the queue it
 * builds hides the app's own.
 */
export class KeepAliveSimulator extends SlackSimulator {
  private readonly agent = new http.Agent({ keepAlive: true });

  /** Closes the kept-alive sockets, so that an app under test can stop without waiting for them to time out. */
  close(): void {
    this.agent.destroy();
  }

  protected override send(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request(url, { method: 'POST', agent: this.agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });
  }
}
