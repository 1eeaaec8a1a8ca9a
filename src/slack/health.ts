import http from 'node:http';
import { sql } from 'kysely';
import type { Db } from '../db/create-db.js';

/** Answers GET /healthz: 200 while the database answers, 503 when it does not. */
export function answerHealth(db: Db, res: http.ServerResponse): void {
  sql`select 1`.execute(db).then(
    () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
    () => res.writeHead(503, { 'content-type': 'text/plain' }).end('database unavailable'),
  );
}

/**
 * Serves the health check on `port` in Socket Mode, where nothing else listens for HTTP. (Bolt would serve it on a
 * server of its own, whose failure to listen, on a port already in use say, it leaves uncaught.)
 */
export async function serveHealth(db: Db, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/healthz') return answerHealth(db, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
