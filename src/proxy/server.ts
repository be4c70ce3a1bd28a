/**
 * `startProxy()`: the HTTP(S) server that serves the contract of Tesla's `tesla-http-proxy`
 * (vehicle-command `pkg/proxy/proxy.go`) with commands signed in-process. Routes, in the Go proxy's order:
 *
 * - `GET /health` → 200 `OK` (no auth);
 * - anything else needs `Authorization: Bearer …` (403 with the Go body otherwise); the caller's
 *   header is what authorizes every Fleet request made for it, and it is never stored or logged;
 * - `/api/1/vehicles/{VIN}/command/{name}` → `command-route.ts`;
 * - `/api/1/vehicles/fleet_telemetry_config` → `telemetry.ts`;
 * - every other path → `forward.ts`.
 *
 * Plain HTTP is allowed on loopback only; any other bind address needs TLS, and the TLS key must
 * not be the command key (`options.ts` checks both).
 *
 * @module
 */

import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Dispatcher as UndiciDispatcher } from 'undici';
import { getCommand } from '../commands/registry.js';
import type { Env } from '../config/paths.js';
import { FleetClient } from '../fleet/client.js';
import { RequestTooLargeError, readBody, sendBody } from '../util/http-server.js';
import { isVin, VIN_LENGTH } from '../util/vin.js';
import { Dispatcher } from '../vehicle/dispatcher.js';
import type { StateStore } from '../vehicle/state-store.js';
import type { CommandKey } from '../vehicle/types.js';
import { VERSION } from '../version.js';
import { type CommandLookup, parseParams, resolveCommand, runCommand } from './command-route.js';
import { forward } from './forward.js';
import { checkListen, type TlsFiles } from './options.js';
import {
  BAD_VIN,
  errorBody,
  internalError,
  METHOD_NOT_ALLOWED,
  MISSING_TOKEN,
  type ProxyAnswer,
} from './responses.js';
import { TELEMETRY_CONFIG_PATH, type TelemetrySigner, telemetryConfig } from './telemetry.js';
import { type Caller, CallerTransport, ScopedTransport } from './transport.js';
import { WAKE_PATH, type WakeCounter, wakeCounter } from './wakes.js';

export const DEFAULT_PROXY_HOST = '127.0.0.1';
export const DEFAULT_PROXY_PORT = 4443;
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Tesla's proxy's pause before resending on the host a 421 named. */
export const MISDIRECTED_DELAY_MS = 1000;
/** Request bodies larger than this are refused (413). */
export const MAX_REQUEST_BYTES = 10_000_000;

export interface ProxyOptions {
  /** Bind address; default 127.0.0.1. Anything but loopback requires `tls`. */
  host?: string;
  /** Port; default 4443 (the Go proxy's is 443); 0 picks a free one. */
  port?: number;
  /** TLS certificate and key (PEM contents). */
  tls?: TlsFiles | undefined;
  /** The command key (signs commands; its public key is enrolled on the cars). */
  key: CommandKey;
  /** Registry lookup: Fleet command name → row with `build(params)`; default the registry. */
  commands?: CommandLookup;
  /** Signs fleet telemetry configs with the command key. */
  signTelemetry?: TelemetrySigner | undefined;
  /** `TESLA_FLEET_API_URL`: the Fleet API base URL for every token (http only for loopback). */
  fleetApiUrl?: string | undefined;
  /** Deadline of each request in ms (`-timeout`); default 10 s. */
  timeoutMs?: number;
  /** Where the session cache lives (`TESLA_SESSION_CACHE`), read through `configPaths(env)`. */
  env?: Env;
  /** `TESLA_DOMAIN`, for the pairing link in "not paired" answers. */
  appDomain?: string | undefined;
  /** Log lines (never a token); default none. */
  log?: (line: string) => void;
  /** Logs one line per request. */
  verbose?: boolean;
  /** An undici dispatcher for Fleet requests (tests: a MockAgent; HA-style CA pinning). */
  upstreamDispatcher?: UndiciDispatcher | undefined;
  /** Pause before retrying on the host a 421 named; default 1000 ms. */
  misdirectedDelayMs?: number;
  /** Passed to the vehicle layer (tests). */
  retryDelayMs?: number;
  /**
   * State shared with other instances (the Redis store of `--redis`); default the file store at
   * the session cache. The caller owns it: `close()` does not close it.
   */
  store?: StateStore | undefined;
}

export interface RunningProxy {
  url: string;
  port: number;
  /** The shared dispatcher (sessions, cache). */
  dispatcher: Dispatcher;
  /** Stops listening, drops idle connections and writes the session cache. */
  close(): Promise<void>;
}

const COMMAND_PATH = /^\/api\/1\/vehicles\/([^/]*)\/command\/([^/]*)$/;

interface Shared {
  o: ProxyOptions;
  dispatcher: Dispatcher;
  scoped: ScopedTransport;
  fleet: FleetClient;
  timeoutMs: number;
  log: (line: string) => void;
  wakes: WakeCounter;
}

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

function send(res: ServerResponse, a: ProxyAnswer): void {
  const headers = a.headers ?? {};
  const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  const type = !hasType && typeof a.body === 'string' ? { 'content-type': 'application/json' } : {};
  sendBody(res, a.status, a.body, type, headers);
}

async function route(s: Shared, req: IncomingMessage, signal: AbortSignal): Promise<ProxyAnswer> {
  const url = new URL(req.url ?? '/', 'http://proxy.invalid');
  const path = url.pathname;
  const method = (req.method ?? 'GET').toUpperCase();
  if (path === '/health') {
    if (method !== 'GET') return METHOD_NOT_ALLOWED();
    return { status: 200, body: 'OK', headers: { 'content-type': 'text/plain; charset=utf-8' } };
  }
  const authorization = req.headers.authorization;
  const token = bearer(authorization);
  if (!token || !authorization) return MISSING_TOKEN();

  let body: Buffer;
  try {
    body = await readBody(req, MAX_REQUEST_BYTES);
  } catch (err) {
    if (err instanceof RequestTooLargeError) return errorBody(413, err.message);
    throw err;
  }
  const ctx: Caller = { fleet: s.fleet, bearer: token };
  const clientIp = req.socket.remoteAddress;
  const timeout = AbortSignal.any([signal, AbortSignal.timeout(s.timeoutMs)]);

  const m = COMMAND_PATH.exec(path);
  if (m) {
    let vin: string;
    let name: string;
    try {
      vin = decodeURIComponent(m[1] ?? '');
      name = decodeURIComponent(m[2] ?? '');
    } catch {
      return errorBody(400, 'invalid percent-encoding in the path');
    }
    if (vin.length !== VIN_LENGTH) return BAD_VIN();
    // Checked before anything is signed or sent: no `..%2F..` in a Fleet path.
    if (!isVin(vin))
      return errorBody(400, 'invalid VIN: expected 17 digits and letters (not I, O, Q)');
    if (method !== 'POST') return METHOD_NOT_ALLOWED();
    const forwardOriginal = () =>
      forward(ctx, {
        method,
        pathAndQuery: `${path}${url.search}`,
        headers: req.headers,
        body,
        clientIp,
        signal: timeout,
      });
    // Legacy cars (the Fleet API answered 422 before) take the original request as it came.
    if (s.dispatcher.vehicle(vin).usesRest && name !== 'wake_up') return forwardOriginal();
    const parsed = parseParams(body);
    if ('answer' in parsed) return parsed.answer;
    const { params } = parsed;
    const resolution = resolveCommand(s.o.commands ?? getCommand, name, params, Date.now());
    if (resolution.kind === 'answer') return resolution.answer;
    if (resolution.kind === 'rest') return forwardOriginal();
    const answer = await runCommand({
      vin,
      name,
      params,
      dispatcher: s.dispatcher,
      scoped: s.scoped,
      caller: new CallerTransport(ctx, { name, body }),
      resolution,
      timeoutMs: s.timeoutMs,
      signal,
    });
    if (resolution.kind === 'wake' && answer.status === 200) s.wakes.count(vin);
    return answer;
  }
  if (path === TELEMETRY_CONFIG_PATH) {
    return telemetryConfig(
      ctx,
      s.o.signTelemetry,
      { headers: req.headers, query: url.search, body, clientIp, signal: timeout },
      s.log,
    );
  }
  const answer = await forward(ctx, {
    method,
    pathAndQuery: `${path}${url.search}`,
    headers: req.headers,
    body,
    clientIp,
    signal: timeout,
  });
  const woke = method === 'POST' ? WAKE_PATH.exec(path) : null;
  if (woke?.[1] && answer.status === 200) s.wakes.count(woke[1]);
  return answer;
}

/**
 * The Fleet client the proxy speaks through: no token of its own (each call carries its
 * caller's), hosts learned from 421s per caller token, and a 421 resent for any method after
 * a pause, as Tesla's proxy does.
 */
function proxyFleet(o: ProxyOptions): FleetClient {
  return new FleetClient({
    baseUrl: o.fleetApiUrl?.replace(/\/+$/, ''),
    dispatcher: o.upstreamDispatcher,
    userAgent: `tesla-mcp-proxy/${VERSION}`,
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    appDomain: o.appDomain,
    misdirected: { resendAll: true, delayMs: o.misdirectedDelayMs ?? MISDIRECTED_DELAY_MS },
  });
}

/** Starts the proxy; resolves once it listens. */
export async function startProxy(o: ProxyOptions): Promise<RunningProxy> {
  const host = o.host ?? DEFAULT_PROXY_HOST;
  checkListen({ host, tls: o.tls, commandKey: o.key.publicKey, fleetApiUrl: o.fleetApiUrl });
  const log = o.log ?? (() => {});
  const scoped = new ScopedTransport();
  const opened = await Dispatcher.open({
    key: o.key,
    transport: scoped,
    appDomain: o.appDomain,
    warn: log,
    ...(o.env ? { env: o.env } : {}),
    ...(o.retryDelayMs !== undefined ? { retryDelayMs: o.retryDelayMs } : {}),
    ...(o.store ? { store: o.store } : {}),
  });
  const s: Shared = {
    o,
    dispatcher: opened,
    scoped,
    fleet: proxyFleet(o),
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    log,
    wakes: wakeCounter(opened.store, o.env ?? process.env, log),
  };
  // Every billable call adds to the counters the instances on this key share (the MCP server's
  // get_billing_summary reports them).
  if (opened.store) s.fleet.billing.share(opened.store);

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const started = Date.now();
    const ac = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    route(s, req, ac.signal)
      .catch((err: unknown) => internalError(err))
      .then((answer) => {
        if (!res.headersSent && !res.destroyed) send(res, answer);
        if (o.verbose) {
          // Method, path (no query: it could carry secrets) and status only.
          const path = (req.url ?? '/').split('?')[0];
          log(`${req.method} ${path} -> ${answer.status} (${Date.now() - started} ms)`);
        }
      });
  };
  const server = o.tls
    ? createHttpsServer({ cert: o.tls.cert, key: o.tls.key }, handler)
    : createHttpServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? DEFAULT_PROXY_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${o.tls ? 'https' : 'http'}://${shown}:${port}`,
    port,
    dispatcher: opened,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await s.wakes.settled();
      await s.fleet.billing.flush();
      await opened.close();
    },
  };
}
