/**
 * The server behind a reverse proxy under a path prefix, configured from the README's nginx
 * block (between `<!-- BEGIN NGINX -->` and `<!-- END NGINX -->`): the test proxy below applies
 * nginx's location rules (exact `=` matches first, then the longest prefix; `proxy_pass` with a
 * URI replaces the matched prefix, without one passes the path unchanged; `Host $http_host`).
 * The SDK client completes the OAuth flow through it. Also: HTTPS with `tls`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startHttpServer } from '../../src/mcp/http.js';
import { missingOpenssl, selfSignedCert } from '../helpers/tls-cert.js';
import {
  connectWithOAuth,
  createTestServer,
  rawRequest,
  STATIC_CLIENT,
  StaticClientProvider,
  text,
  withTempDir,
} from './auth/helpers.js';

interface Location {
  exact: boolean;
  path: string;
  /** `proxy_pass` target origin, and its URI part (`undefined` when it has none). */
  origin: string;
  uri: string | undefined;
}

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** The README's nginx `location` blocks. */
function nginxLocations(): Location[] {
  const block = /<!-- BEGIN NGINX -->\s*```nginx\n([\s\S]*?)```\s*<!-- END NGINX -->/.exec(README);
  assert.ok(block?.[1], 'README has the nginx block');
  const out: Location[] = [];
  for (const m of block[1].matchAll(/location\s+(=\s+)?(\S+)\s*\{([^}]*)\}/g)) {
    const body = m[3] ?? '';
    const pass = /proxy_pass\s+(https?:\/\/[^/;\s]+)(\/[^;\s]*)?;/.exec(body);
    assert.ok(pass?.[1], `location ${m[2]} has proxy_pass`);
    assert.match(body, /proxy_set_header Host \$http_host;/, `location ${m[2]} forwards Host`);
    out.push({ exact: Boolean(m[1]), path: m[2] ?? '', origin: pass[1], uri: pass[2] });
  }
  return out;
}

/** nginx's choice: an exact match, else the longest matching prefix. */
function route(locations: Location[], path: string): Location | undefined {
  const exact = locations.find((l) => l.exact && l.path === path);
  if (exact) return exact;
  return locations
    .filter((l) => !l.exact && path.startsWith(l.path))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

async function startProxy(locations: Location[], upstreamPort: () => number): Promise<Server> {
  const server = createServer((req, res) => {
    const raw = req.url ?? '/';
    const [path = '/', query] = raw.split(/\?(.*)/s, 2);
    const loc = route(locations, path);
    if (!loc) {
      res.writeHead(404).end('nginx: no location');
      return;
    }
    const target = loc.uri === undefined ? path : loc.uri + path.slice(loc.path.length);
    const upstream = new URL(loc.origin.replace(':8752', `:${upstreamPort()}`));
    const fwd = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: `${target}${query !== undefined ? `?${query}` : ''}`,
        // Headers that contradict --public-url: the issuer and resource must not follow them.
        headers: {
          ...req.headers,
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'evil.example',
        },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    fwd.on('error', () => res.writeHead(502).end());
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

test('behind the README nginx blocks under /tesla: metadata at the host root, OAuth, tools', async () => {
  const locations = nginxLocations();
  assert.ok(locations.length >= 3);
  let mcpPort = 0;
  const proxy = await startProxy(locations, () => mcpPort);
  const front = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  await withTempDir(async (dir) => {
    const http = await startHttpServer({
      createMcpServer: createTestServer,
      auth: { oauth: { client: STATIC_CLIENT, statePath: join(dir, 'oauth-state.json') } },
      port: 0,
      publicUrl: `${front}/tesla`,
      publicKeyPem: '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n',
    });
    mcpPort = (http.server.address() as AddressInfo).port;
    try {
      assert.equal(http.url, `${front}/tesla`);
      assert.equal(http.mcpUrl, `${front}/tesla/mcp`);

      const unauth = await fetch(`${front}/tesla/mcp`, { method: 'POST' });
      assert.equal(unauth.status, 401);
      assert.match(
        unauth.headers.get('www-authenticate') ?? '',
        new RegExp(`resource_metadata="${front}/\\.well-known/oauth-protected-resource/tesla/mcp"`),
      );
      const prm = (await (
        await fetch(`${front}/.well-known/oauth-protected-resource/tesla/mcp`)
      ).json()) as Record<string, unknown>;
      assert.equal(prm.resource, `${front}/tesla/mcp`);
      assert.deepEqual(prm.authorization_servers, [`${front}/tesla`]);
      const as = (await (
        await fetch(`${front}/.well-known/oauth-authorization-server/tesla`)
      ).json()) as Record<string, unknown>;
      assert.equal(as.issuer, `${front}/tesla`);
      assert.equal(as.token_endpoint, `${front}/tesla/token`);
      assert.equal(as.authorization_endpoint, `${front}/tesla/authorize`);
      const key = await fetch(`${front}/.well-known/appspecific/com.tesla.3p.public-key.pem`);
      assert.equal(key.status, 200);
      assert.match(await key.text(), /BEGIN PUBLIC KEY/);

      const provider = new StaticClientProvider(STATIC_CLIENT.clientId, STATIC_CLIENT.clientSecret);
      const { client, redirectParams } = await connectWithOAuth(`${front}/tesla/mcp`, provider);
      assert.equal(redirectParams.get('iss'), `${front}/tesla`);
      assert.equal(text(await client.callTool({ name: 'echo', arguments: { text: 'hi' } })), 'hi');
      await client.close();

      // Reaching the server directly by another name is refused with the --public-url to set.
      const direct = await rawRequest(`http://127.0.0.1:${mcpPort}/mcp`, {
        method: 'POST',
        headers: { host: 'nas.lan:8752' },
      });
      assert.equal(direct.status, 403);
      assert.match(
        (JSON.parse(direct.body) as { error_description: string }).error_description,
        /"nas\.lan:8752" not allowed.*--public-url https:\/\/nas\.lan:8752\/tesla/,
      );
    } finally {
      await http.close();
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});

test('a busy port names the flag to change', async () => {
  const first = await startHttpServer({ createMcpServer: createTestServer, auth: {}, port: 0 });
  try {
    const port = (first.server.address() as AddressInfo).port;
    await assert.rejects(
      startHttpServer({ createMcpServer: createTestServer, auth: {}, port }),
      new RegExp(`port ${port} is already in use on 127\\.0\\.0\\.1: pass another --port`),
    );
  } finally {
    await first.close();
  }
});

test('HTTPS with a self-signed certificate (tls option)', { skip: missingOpenssl() }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-tls-'));
  try {
    const { cert, key } = selfSignedCert(dir);
    const http = await startHttpServer({
      createMcpServer: createTestServer,
      auth: {},
      port: 0,
      tls: { cert, key },
    });
    try {
      assert.match(http.mcpUrl, /^https:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const body = await new Promise<string>((resolve, reject) => {
        httpsRequest(`${http.url}/health`, { ca: cert }, (res) => {
          let s = '';
          res.on('data', (d: Buffer) => {
            s += d.toString();
          });
          res.on('end', () => resolve(s));
        })
          .on('error', reject)
          .end();
      });
      assert.equal((JSON.parse(body) as { status: string }).status, 'ok');
      // Plain HTTP to the TLS port gets no MCP answer.
      await assert.rejects(fetch(`${http.url.replace('https:', 'http:')}/health`));
    } finally {
      await http.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
