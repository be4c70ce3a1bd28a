/**
 * The MCP server over Streamable HTTP, on plain `node:http` (no Express: smaller bundle, faster
 * start, and every security check is ours to see): `/mcp` with stateful sessions (needed for
 * elicitation), `/health`, our Tesla public key at its well-known path, the OAuth 2.1 endpoints
 * (`auth/routes.ts`) or API-key checks, Host/Origin checks against DNS rebinding, body limits.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { RequestTooLargeError, readBody, sendJson, sendText } from '../util/http-server.js';
import { isLoopbackHost } from '../util/loopback.js';
import { StateStoreError } from '../vehicle/state-store.js';
import { VERSION } from '../version.js';
import { checkBearer, type HttpAuth, wwwAuthenticate } from './auth/bearer.js';
import { AuthConfigError } from './auth/errors.js';
import { type GuessLimit, GuessLimiter, peerOf } from './auth/guess-limit.js';
import { checkHostHeaders, hostPolicy } from './auth/hosts.js';
import { OAuthServer } from './auth/oauth-server.js';
import { handleOAuthRequest } from './auth/routes.js';
import { OAuthStateStore } from './auth/state.js';
import { endpoints, localPath, MCP_PATH, parsePublicUrl } from './public-url.js';
import { SessionTable } from './sessions.js';

export type { HttpAuth } from './auth/bearer.js';
export { checkAuthConfig } from './auth/policy.js';

export const DEFAULT_HTTP_HOST = '127.0.0.1';
export const DEFAULT_HTTP_PORT = 8752;
export const TESLA_PUBLIC_KEY_PATH = '/.well-known/appspecific/com.tesla.3p.public-key.pem';

export interface HttpServerOptions {
  /** A fresh MCP server per session. */
  createMcpServer: () => McpServer;
  /** Auth; `{}` means none, refused unless the host and public URL are loopback. */
  auth: HttpAuth;
  host?: string;
  port?: number;
  /**
   * The URL clients use (`--public-url` / `MCP_BASE_URL`): an origin, https unless loopback,
   * optionally with a path prefix (`https://example.com/tesla`) behind a reverse proxy.
   */
  publicUrl?: string | undefined;
  /** Serve HTTPS with this certificate and key (PEM text), as `--tls-cert/--tls-key`. */
  tls?: { cert: string; key: string } | undefined;
  /** Served at `TESLA_PUBLIC_KEY_PATH` (a public key PEM; a private key is refused). */
  publicKeyPem?: string | undefined;
  /** Largest `/mcp` request body, bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Sessions held at most (default 100); when all are in use, `initialize` gets 503. */
  maxSessions?: number;
  /** A session idle this long (ms, default 30 minutes) expires and is closed. */
  sessionIdleMs?: number;
  /** Extra `Host` values / origins to accept (e.g. behind a reverse proxy). */
  allowedHosts?: readonly string[];
  allowedOrigins?: readonly string[];
  /**
   * `--trust-proxy`: a reverse proxy sits in front; the peer (for the guessing limit) is the last
   * `X-Forwarded-For` entry instead of the socket address.
   */
  trustProxy?: boolean;
  /**
   * The limit on guessing the API key and the client secret; default one in the process
   * (`--redis`: `SharedGuessLimiter`, one limit for every instance).
   */
  guesses?: GuessLimit;
  /** Clock for token lifetimes, ms (tests). */
  now?: () => number;
  /** Where unexpected errors go (message only; default: one line on stderr). */
  onError?: (err: unknown) => void;
}

export interface HttpServerHandle {
  /** The base URL (public URL with its prefix, else the bound address); the OAuth issuer. */
  url: string;
  /** `url` + `/mcp`: what to give `claude mcp add --transport http`. */
  mcpUrl: string;
  server: Server;
  /** Sessions held now (tests, diagnostics). */
  sessionCount(): number;
  close(): Promise<void>;
}

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null });
}

/** Starts the HTTP server; resolves once it listens. */
export async function startHttpServer(o: HttpServerOptions): Promise<HttpServerHandle> {
  const host = o.host ?? DEFAULT_HTTP_HOST;
  const publicUrl = o.publicUrl === undefined ? undefined : parsePublicUrl(o.publicUrl);
  const hasAuth = o.auth.oauth !== undefined || o.auth.apiKey !== undefined;
  if (!hasAuth && (!isLoopbackHost(host) || (publicUrl && !isLoopbackHost(publicUrl.hostname)))) {
    throw new AuthConfigError(
      'MCP over HTTP without auth is only allowed on a loopback host: configure OAuth (MCP_CLIENT_ID/MCP_CLIENT_SECRET) or an API key (MCP_API_KEY / --api-key)',
    );
  }
  if (o.auth.oauth && !publicUrl && !isLoopbackHost(host)) {
    throw new AuthConfigError(
      'OAuth on a non-loopback host needs --public-url (MCP_BASE_URL): the URL clients use is the issuer and the token audience',
    );
  }
  if (o.publicKeyPem !== undefined && !/-----BEGIN PUBLIC KEY-----/.test(o.publicKeyPem)) {
    throw new AuthConfigError('publicKeyPem must be a PUBLIC KEY PEM; never serve the private key');
  }
  const now = o.now ?? Date.now;
  const store = o.auth.oauth
    ? (o.auth.oauth.state ?? (await OAuthStateStore.open(o.auth.oauth.statePath, now)))
    : undefined;
  const maxBody = o.maxBodyBytes ?? 1024 * 1024;
  const onError =
    o.onError ??
    ((err: unknown) =>
      process.stderr.write(
        `tesla-mcp http: ${err instanceof Error ? err.message : String(err)}\n`,
      ));
  const sessions = new SessionTable({ max: o.maxSessions, idleMs: o.sessionIdleMs, now });
  const sweeper = setInterval(
    () => void sessions.sweep().catch(onError),
    Math.min(sessions.idleMs, 60_000),
  );
  sweeper.unref();
  const guesses = o.guesses ?? new GuessLimiter({ now });

  // Filled in once the port is known (before any request can be answered).
  let ctx!: ReturnType<typeof endpoints> & {
    oauth: OAuthServer | undefined;
    policy: ReturnType<typeof hostPolicy>;
  };

  const handleMcp = async (
    req: IncomingMessage,
    res: ServerResponse,
    principal: string,
    authInfo: unknown,
  ) => {
    const sid = req.headers['mcp-session-id'];
    const sessionId = typeof sid === 'string' ? sid : undefined;
    const existing = sessionId === undefined ? undefined : await sessions.get(sessionId);
    if (sessionId !== undefined && (!existing || existing.principal !== principal)) {
      return jsonRpcError(res, 404, -32001, 'Session not found: start a new session (initialize)');
    }
    if (existing && sessionId !== undefined) sessions.track(sessionId, res);
    (req as IncomingMessage & { auth?: unknown }).auth = authInfo;
    if (req.method === 'GET' || req.method === 'DELETE') {
      if (!existing)
        return jsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
      return existing.transport.handleRequest(req, res);
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'GET, POST, DELETE');
      return jsonRpcError(res, 405, -32000, 'Method not allowed');
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, maxBody)).toString('utf8'));
    } catch (err) {
      if (err instanceof RequestTooLargeError)
        return jsonRpcError(res, 413, -32000, `Payload Too Large: ${err.message}`);
      return jsonRpcError(res, 400, -32700, 'Parse error: the body is not valid JSON');
    }
    if (existing) return existing.transport.handleRequest(req, res, body);
    const isInit = Array.isArray(body)
      ? body.some((m) => isInitializeRequest(m))
      : isInitializeRequest(body);
    if (!isInit)
      return jsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
    const wait = await sessions.reserve();
    if (wait !== undefined) {
      res.setHeader('Retry-After', String(wait));
      return jsonRpcError(
        res,
        503,
        -32000,
        `Service Unavailable: all ${sessions.max} sessions are in use; retry after ${wait} s, or end an unused session (DELETE /mcp)`,
      );
    }
    const mcp = o.createMcpServer();
    let added = false;
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        added = true;
        sessions.add(id, { transport, mcp, principal });
      },
      onsessionclosed: (id) => {
        void sessions.close(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.forget(transport.sessionId);
    };
    try {
      await mcp.connect(transport);
      await transport.handleRequest(req, res, body);
    } finally {
      if (!added) {
        // The initialize was refused: release its server now rather than holding a slot.
        sessions.abandon();
        await transport.close().catch(() => undefined);
        await mcp.close().catch(() => undefined);
      }
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = localPath(url.pathname, ctx.prefix);
    const isMcp = path === MCP_PATH;
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const refused = checkHostHeaders(ctx.policy, req.headers.host, origin, isMcp, ctx.prefix);
    if (refused) return sendJson(res, 403, { error: 'forbidden', error_description: refused });
    if (path === '/health') return sendJson(res, 200, { status: 'ok', version: VERSION });
    if (path === TESLA_PUBLIC_KEY_PATH && o.publicKeyPem !== undefined) {
      return sendText(res, 200, o.publicKeyPem, { 'Content-Type': 'application/x-pem-file' });
    }
    const peer = peerOf(req, o.trustProxy === true);
    if (
      ctx.oauth &&
      (await handleOAuthRequest(
        ctx.oauth,
        MCP_PATH,
        req,
        res,
        url,
        ctx.prefix,
        guesses.forPeer(peer),
      ))
    )
      return;
    if (!isMcp)
      return sendJson(res, 404, {
        error: 'not_found',
        error_description: `the MCP endpoint is ${ctx.mcpUrl}`,
      });
    const wait = await guesses.retryAfter(peer);
    const auth = await checkBearer(
      o.auth,
      ctx.oauth,
      req.headers.authorization,
      wait !== undefined,
    );
    if (!auth.ok) {
      if (auth.limited && wait !== undefined) {
        return sendJson(
          res,
          429,
          {
            error: 'too_many_attempts',
            error_description: `too many failed API keys from this address: retry after ${wait} s`,
          },
          { 'Retry-After': String(wait) },
        );
      }
      if (auth.guess) await guesses.fail(peer);
      return sendJson(
        res,
        401,
        { error: auth.error ?? 'unauthorized', error_description: auth.description },
        {
          'WWW-Authenticate': wwwAuthenticate(auth, ctx.oauth ? ctx.prmUrl : undefined),
        },
      );
    }
    await handleMcp(req, res, auth.principal, auth.authInfo);
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      onError(err);
      if (res.headersSent) res.end();
      else if (err instanceof StateStoreError) {
        // The shared store (`--redis`) did not answer: nothing was decided, the client may retry.
        sendJson(
          res,
          503,
          { error: 'temporarily_unavailable', error_description: `${err.message}` },
          { 'Retry-After': '1', 'Cache-Control': 'no-store' },
        );
      } else sendJson(res, 500, { error: 'server_error', error_description: 'internal error' });
    });
  };
  const server: Server = o.tls
    ? createHttpsServer({ cert: o.tls.cert, key: o.tls.key }, listener)
    : createServer(listener);
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  const wantedPort = o.port ?? DEFAULT_HTTP_PORT;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(listenError(err, host, wantedPort)),
    );
    server.listen(wantedPort, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl =
    host === '0.0.0.0' || host === '::'
      ? '127.0.0.1'
      : host.includes(':') && !host.startsWith('[')
        ? `[${host}]`
        : host;
  const scheme = o.tls ? 'https' : 'http';
  const urls = publicUrl
    ? endpoints(publicUrl.origin, publicUrl.prefix)
    : endpoints(`${scheme}://${hostForUrl}:${port}`, '');
  const { base, mcpUrl } = urls;
  ctx = {
    ...urls,
    oauth:
      o.auth.oauth && store
        ? new OAuthServer({
            client: o.auth.oauth.client,
            issuer: base,
            resource: mcpUrl,
            store,
            now,
            redirectUris: o.auth.oauth.redirectUris,
            ...o.auth.oauth.ttl,
          })
        : undefined,
    policy: hostPolicy({
      bindHost: host,
      port,
      publicUrl: publicUrl ? new URL(publicUrl.origin) : undefined,
      extraHosts: o.allowedHosts,
      extraOrigins: o.allowedOrigins,
    }),
  };

  return {
    url: base,
    mcpUrl,
    server,
    sessionCount: () => sessions.size,
    close: async () => {
      clearInterval(sweeper);
      await sessions.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** A listen failure that names the setting to change. */
function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return new Error(
        `port ${port} is already in use on ${host}: pass another --port (or TESLA_MCP_PORT), or stop the process that holds it`,
      );
    case 'EACCES':
      return new Error(
        `no permission to listen on ${where}: ports below 1024 need privileges; pass --port 8752 (or TESLA_MCP_PORT) and put a reverse proxy or --tls-cert/--tls-key in front`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new Error(
        `${host} is not an address of this machine: pass another --host (or TESLA_MCP_HOST), e.g. 0.0.0.0 for every interface`,
      );
    default:
      return new Error(`cannot listen on ${where} (${err.code ?? err.message})`);
  }
}
