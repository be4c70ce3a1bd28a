import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AuthConfigError } from '../../src/mcp/auth/errors.js';
import { startHttpServer, TESLA_PUBLIC_KEY_PATH } from '../../src/mcp/http.js';
import { createTestServer, INITIALIZE, postInitialize, rawRequest, text } from './auth/helpers.js';

const KEY = 'tmcp_test-api-key-0123456789abcdef';

const PUBLIC_PEM = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEtestkeytestkeytestkeytestkeytestkey
-----END PUBLIC KEY-----
`;

async function withServer(
  fn: (h: Awaited<ReturnType<typeof startHttpServer>>) => Promise<void>,
  extra = {},
) {
  const http = await startHttpServer({
    createMcpServer: createTestServer,
    auth: {},
    port: 0,
    ...extra,
  });
  try {
    await fn(http);
  } finally {
    await http.close();
  }
}

test('no auth on loopback: stateful sessions through the SDK client, and /health', async () => {
  await withServer(async (http) => {
    assert.match(http.mcpUrl, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const transport = new StreamableHTTPClientTransport(new URL(http.mcpUrl));
    const client = new Client({ name: 't', version: '0' });
    await client.connect(transport);
    assert.ok(transport.sessionId, 'the server assigned a session id');
    assert.equal(text(await client.callTool({ name: 'echo', arguments: { text: 'a' } })), 'a');
    assert.equal(text(await client.callTool({ name: 'whoami', arguments: {} })), 'anonymous');
    await transport.terminateSession();
    await client.close();
    const health = await fetch(`${http.url}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');
  });
});

test('requests without a session, or with an unknown one, are refused', async () => {
  await withServer(async (http) => {
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const none = await rawRequest(http.mcpUrl, { method: 'POST', headers, body: list });
    assert.equal(none.status, 400);
    const unknown = await rawRequest(http.mcpUrl, {
      method: 'POST',
      headers: { ...headers, 'mcp-session-id': 'not-a-session' },
      body: list,
    });
    assert.equal(unknown.status, 404);
    const init = await postInitialize(http.mcpUrl);
    assert.equal(init.status, 200);
    assert.ok(init.headers['mcp-session-id']);
  });
});

test('Host and Origin headers are checked against DNS rebinding', async () => {
  await withServer(async (http) => {
    const port = new URL(http.url).port;
    const ok = await postInitialize(http.mcpUrl, undefined, { host: `localhost:${port}` });
    assert.equal(ok.status, 200);
    const badHost = await postInitialize(http.mcpUrl, undefined, { host: `evil.example:${port}` });
    assert.equal(badHost.status, 403);
    const wrongPort = await postInitialize(http.mcpUrl, undefined, { host: '127.0.0.1:1' });
    assert.equal(wrongPort.status, 403);
    const healthBadHost = await rawRequest(`${http.url}/health`, {
      headers: { host: 'evil.example' },
    });
    assert.equal(healthBadHost.status, 403);
    const badOrigin = await postInitialize(http.mcpUrl, undefined, {
      origin: `http://evil.example:${port}`,
    });
    assert.equal(badOrigin.status, 403);
    assert.match(badOrigin.body, /Origin/);
    const goodOrigin = await postInitialize(http.mcpUrl, undefined, {
      origin: `http://localhost:${port}`,
    });
    assert.equal(goodOrigin.status, 200);
  });
});

test('a public URL adds its host; the body size is limited', async () => {
  await withServer(
    async (http) => {
      assert.equal(http.mcpUrl, 'https://tesla.example.com/mcp');
      const local = `http://127.0.0.1:${(http.server.address() as { port: number }).port}/mcp`;
      const proxied = await postInitialize(local, KEY, { host: 'tesla.example.com' });
      assert.equal(proxied.status, 200);
      const big = JSON.stringify({
        ...INITIALIZE,
        params: { ...INITIALIZE.params, pad: 'x'.repeat(2048) },
      });
      const res = await rawRequest(local, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${KEY}`,
        },
        body: big,
      });
      assert.equal(res.status, 413);
    },
    { publicUrl: 'https://tesla.example.com', maxBodyBytes: 1024, auth: { apiKey: KEY } },
  );
});

test('serves the Tesla public key when given one', async () => {
  await withServer(
    async (http) => {
      const res = await fetch(`${http.url}${TESLA_PUBLIC_KEY_PATH}`);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), PUBLIC_PEM);
    },
    { publicKeyPem: PUBLIC_PEM },
  );
  await withServer(async (http) => {
    assert.equal((await fetch(`${http.url}${TESLA_PUBLIC_KEY_PATH}`)).status, 404);
  });
});

test('refuses unsafe configurations before listening', async () => {
  const base = { createMcpServer: createTestServer, port: 0 };
  const refuse = (o: Parameters<typeof startHttpServer>[0]) =>
    assert.rejects(startHttpServer(o), AuthConfigError);
  await refuse({ ...base, auth: {}, host: '0.0.0.0' });
  await refuse({ ...base, auth: {}, publicUrl: 'https://tesla.example.com' });
  await refuse({
    ...base,
    auth: { apiKey: 'k'.repeat(32) },
    publicUrl: 'http://tesla.example.com',
  });
  await refuse({
    ...base,
    auth: { apiKey: 'k'.repeat(32) },
    publicUrl: 'https://tesla.example.com/sub/mcp',
  });
  await refuse({
    ...base,
    auth: { apiKey: 'k'.repeat(32) },
    publicUrl: 'https://tesla.example.com/sub?x=1',
  });
  await refuse({
    ...base,
    auth: { oauth: { client: { clientId: 'c', clientSecret: 's'.repeat(20) } } },
    host: '0.0.0.0',
  });
  await refuse({
    ...base,
    auth: {},
    publicKeyPem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
  });
});
