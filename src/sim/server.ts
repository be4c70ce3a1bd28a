/**
 * The simulated Fleet API over real HTTP, on `node:http` bound to 127.0.0.1 only: the same calls
 * `SimFleet.handle` answers in process, with Tesla's JSON bodies, statuses and `Retry-After`;
 * plus the status page at `/`, its JSON at `/sim/status.json`, and `/status` ("ok").
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  RequestTooLargeError,
  readBody,
  sendBody,
  sendJson,
  sendText,
} from '../util/http-server.js';
import type { SimFleet } from './fleet.js';
import { errorBody, type SimResponse } from './routes.js';
import { STATUS_JSON_PATH, statusJson, statusPage } from './status-page.js';

const MAX_BODY = 1_000_000;
const JSON_TYPE = 'application/json; charset=utf-8';
export const LOOPBACK = '127.0.0.1';

export interface SimServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

function send(res: ServerResponse, r: SimResponse): void {
  const headers = { 'cache-control': 'no-store', ...r.headers };
  if (r.body instanceof Uint8Array) {
    // Binary answers (the charging invoice PDF) carry their own content type.
    res.writeHead(r.status, { 'content-length': r.body.byteLength, ...headers });
    res.end(r.body);
  } else if (typeof r.body === 'string') sendText(res, r.status, r.body, headers);
  else sendJson(res, r.status, r.body, { 'content-type': JSON_TYPE, ...headers });
}

/** The simulator's OAuth token endpoint (the path of Tesla's, `/oauth2/v3/token`). */
export const SIM_TOKEN_PATH = '/oauth2/v3/token';

async function onRequest(fleet: SimFleet, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  const method = req.method ?? 'GET';
  if (method === 'GET' && url.pathname === '/') {
    sendBody(res, 200, statusPage(), {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
    });
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
  let raw: string;
  try {
    raw = (await readBody(req, MAX_BODY)).toString('utf8');
  } catch (err) {
    if (!(err instanceof RequestTooLargeError)) throw err;
    send(res, { status: 413, body: { ...errorBody('payload too large'), simulated: true } });
    return;
  }
  // Tesla's token endpoint takes a form body (RFC 6749 §4.4); the Fleet API takes JSON.
  if (method === 'POST' && url.pathname === SIM_TOKEN_PATH) {
    send(res, fleet.issuePartnerToken(new URLSearchParams(raw)));
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
