import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Sent } from './simulator.js';

/** Slack gives up on an envelope the app has not acknowledged within 3 seconds. */
const ACK_TIMEOUT_MS = 3_000;

/**
 * Slack's side of Socket Mode: the WebSocket that apps.connections.open points the app to, and the envelopes Slack
 * sends down it (slash commands, interactions, events), each resolved with the app's acknowledgement.
 */
export class SocketModeLink {
  private readonly server = new WebSocketServer({ noServer: true });
  private socket?: WebSocket;
  private readonly waiting = new Map<string, (ack: { payload?: unknown }) => void>();
  /** How many times the app has connected. */
  connections = 0;

  /** Takes over an HTTP upgrade request on the fake's server. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(req, socket, head, (ws) => {
      this.connections++;
      this.socket = ws;
      ws.on('message', (data) => {
        const ack = JSON.parse(String(data)) as { envelope_id: string; payload?: unknown };
        this.waiting.get(ack.envelope_id)?.(ack);
        this.waiting.delete(ack.envelope_id);
      });
      // The app counts itself connected once Slack says hello.
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-slack' }, connection_info: { app_id: 'A1' } }));
    });
  }

  /** Resolves once the app holds an open connection. */
  async connected(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.socket?.readyState !== 1) {
      if (Date.now() > deadline) throw new Error(`fake Slack: the app did not connect over Socket Mode within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Sends one envelope and resolves with the app's acknowledgement as a Sent: its payload (a response_action, a
   * message) or null. Rejects if the app does not acknowledge in time, as Slack would count it failed.
   */
  send(type: 'slash_commands' | 'interactive' | 'events_api', payload: object, retry?: { attempt: number; reason: string }): Promise<Sent> {
    const socket = this.socket;
    if (socket?.readyState !== 1) return Promise.reject(new Error('fake Slack: no Socket Mode connection'));
    const envelopeId = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(envelopeId);
        reject(new Error(`fake Slack: no acknowledgement of a ${type} envelope within ${ACK_TIMEOUT_MS} ms`));
      }, ACK_TIMEOUT_MS);
      this.waiting.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve({ status: 200, body: ack.payload ?? null });
      });
      const envelope = {
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api' ? { retry_attempt: retry?.attempt ?? 0, retry_reason: retry?.reason ?? '' } : {}),
      };
      socket.send(JSON.stringify(envelope));
    });
  }

  /** Asks the app to reconnect, as Slack does every few hours and before its servers restart. */
  refresh(): void {
    this.socket?.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'fake-slack' } }));
  }

  /** Drops the app's connection, as Slack does when it goes away. */
  close(): void {
    for (const client of this.server.clients) client.terminate();
  }
}
