/**
 * The simulated Fleet API over real HTTP, on `node:http` bound to 127.0.0.1 only: the same calls
 * `SimFleet.handle` answers in process, with Tesla's JSON bodies, statuses and `Retry-After`;
 * plus the status page at `/`, its JSON at `/sim/status.json`, and `/status` ("ok").
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimFleet } from './fleet.js';
import { errorBody, type SimResponse } from './routes.js';
import { STATUS_JSON_PATH, statusJson, statusPage } from './status-page.js';

const MAX_BODY = 1_000_000;
export const LOOPBACK = '127.0.0.1';

export interface SimServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

function send(res: ServerResponse, r: SimResponse): void {
  const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  res.writeHead(r.status, {
    'content-type':
      typeof r.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...r.headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function onRequest(fleet: SimFleet, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  const method = req.method ?? 'GET';
  if (method === 'GET' && url.pathname === '/') {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
    });
    res.end(statusPage());
    return;
  }
  if (method === 'GET' && url.pathname === STATUS_JSON_PATH) {
    send(res, { status: 200, body: statusJson(fleet) });
    return;
  }
  if (method === 'GET' && url.pathname === '/status') {
    send(res, { status: 200, body: 'ok' });
    return;
  }
  const raw = await readBody(req);
  if (raw === undefined) {
    send(res, { status: 413, body: { ...errorBody('payload too large'), simulated: true } });
    return;
  }
  let body: unknown = null;
  if (raw.trim() !== '') {
    try {
      body = JSON.parse(raw);
    } catch {
      send(res, { status: 400, body: { ...errorBody('invalid JSON body'), simulated: true } });
      return;
    }
  }
  const r = fleet.handle({
    method,
    path: url.pathname,
    query: url.searchParams,
    body,
    authorization: req.headers.authorization,
  });
  if (r.drop) {
    req.socket.destroy();
    return;
  }
  send(res, r);
}

/** Serves `fleet` on 127.0.0.1:`port` (0 picks a free port). */
export async function serveFleet(fleet: SimFleet, port = 0): Promise<SimServer> {
  const server = createServer((req, res) => {
    onRequest(fleet, req, res).catch(() => {
      if (!res.headersSent) send(res, { status: 500, body: errorBody('internal simulator error') });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  const url = `http://${LOOPBACK}:${actual}`;
  fleet.baseUrl = url;
  return {
    url,
    port: actual,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
