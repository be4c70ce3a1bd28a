/**
 * Shared fixtures for the HTTP transport and auth tests: a tiny MCP server with two test tools, a
 * temp folder, and an SDK `OAuthClientProvider` for the operator's pre-registered static client
 * that follows the authorize redirect programmatically.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { z } from 'zod';

export const STATIC_CLIENT = {
  clientId: 'tesla-mcp-test-client',
  clientSecret: 'test-secret-0123456789abcdef',
};

export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

/** A fresh MCP server with `echo` and `whoami` (which reports the caller's auth client id). */
export function createTestServer(): McpServer {
  const server = new McpServer({ name: 'test', version: '0.0.0' });
  server.registerTool(
    'echo',
    { description: 'echo', inputSchema: { text: z.string().describe('text') } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool('whoami', { description: 'who' }, async (extra) => ({
    content: [{ type: 'text', text: extra.authInfo?.clientId ?? 'anonymous' }],
  }));
  return server;
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-http-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The SDK's client-side OAuth hooks, for a pre-registered confidential client. */
export class StaticClientProvider implements OAuthClientProvider {
  savedTokens: OAuthTokens | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;
  lastState = '';
  info: OAuthClientInformationMixed;

  constructor(clientId: string, clientSecret: string) {
    this.info = { client_id: clientId, client_secret: clientSecret };
  }
  get redirectUrl(): string {
    return REDIRECT_URI;
  }
  get clientMetadata(): OAuthClientMetadata {
    return { redirect_uris: [REDIRECT_URI], client_name: 'test' };
  }
  state(): string {
    this.lastState = randomBytes(8).toString('hex');
    return this.lastState;
  }
  clientInformation(): OAuthClientInformationMixed {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.info = info;
  }
  tokens(): OAuthTokens | undefined {
    return this.savedTokens;
  }
  saveTokens(tokens: OAuthTokens): void {
    this.savedTokens = tokens;
  }
  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string): void {
    this.verifier = v;
  }
  codeVerifier(): string {
    return this.verifier;
  }
}

/** Follows `/authorize` without a browser; returns the redirect's query parameters. */
export async function followAuthorize(url: URL | string): Promise<URLSearchParams> {
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || location === null) {
    throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
  }
  return new URL(location).searchParams;
}

/**
 * The full OAuth flow through the SDK: connect (401), discovery, authorize redirect followed
 * programmatically, `finishAuth(code)`, reconnect. Returns the connected client.
 */
export async function connectWithOAuth(mcpUrl: string, provider: StaticClientProvider) {
  const first = new Client({ name: 'test-client', version: '0.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  await first.connect(transport).then(
    () => {
      throw new Error('expected the first connect to need authorization');
    },
    (err: unknown) => {
      if (!(err instanceof UnauthorizedError)) throw err;
    },
  );
  if (!provider.authorizationUrl) throw new Error('no authorization URL');
  const params = await followAuthorize(provider.authorizationUrl);
  const code = params.get('code');
  if (!code) throw new Error(`no code: ${params.toString()}`);
  await transport.finishAuth(code);
  return { client: await connectWithTokens(mcpUrl, provider), redirectParams: params };
}

export async function connectWithTokens(mcpUrl: string, provider: OAuthClientProvider) {
  const client = new Client({ name: 'test-client', version: '0.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider }),
  );
  return client;
}

/** The first text item of a tool result. */
export function text(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content;
  return content?.[0]?.text ?? '';
}

/** A PKCE verifier and its S256 challenge, computed independently of the server's code. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** `/authorize` URL for the static client, with overrides (`undefined` drops a parameter). */
export function authorizeUrl(
  base: string,
  challenge: string,
  overrides: Record<string, string | undefined> = {},
): URL {
  const url = new URL('/authorize', base);
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: STATIC_CLIENT.clientId,
    redirect_uri: REDIRECT_URI,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'st-1',
    ...overrides,
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url;
}

export function basicAuth(
  id = STATIC_CLIENT.clientId,
  secret = STATIC_CLIENT.clientSecret,
): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** POST /token with a form body; `authorization` defaults to the static client's Basic. */
export async function postToken(
  base: string,
  params: Record<string, string>,
  authorization: string | null = basicAuth(),
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (authorization !== null) headers.authorization = authorization;
  const res = await fetch(new URL('/token', base), {
    method: 'POST',
    headers,
    body: new URLSearchParams(params).toString(),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    headers: res.headers,
  };
}

/** Authorize + code exchange without the SDK: returns the token response body. */
export async function rawTokens(
  base: string,
): Promise<{ access_token: string; refresh_token: string }> {
  const { verifier, challenge } = pkce();
  const code = (await followAuthorize(authorizeUrl(base, challenge))).get('code');
  if (!code) throw new Error('no code');
  const res = await postToken(base, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: REDIRECT_URI,
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { access_token: string; refresh_token: string };
}

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw', version: '0' },
  },
};

/** A request through `node:http`, so the Host header can be anything. */
export function rawRequest(
  url: string,
  o: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: o.method ?? 'GET',
        headers: o.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** POST initialize to `/mcp` with a bearer (or none). */
export function postInitialize(
  mcpUrl: string,
  bearer?: string,
  extra: Record<string, string> = {},
) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...extra,
  };
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
  return rawRequest(mcpUrl, { method: 'POST', headers, body: JSON.stringify(INITIALIZE) });
}

/** The server's bound loopback address (not its public URL). */
export function localUrl(h: { server: { address(): unknown } }): string {
  return `http://127.0.0.1:${(h.server.address() as { port: number }).port}`;
}
