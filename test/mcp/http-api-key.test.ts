import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startHttpServer } from '../../src/mcp/http.js';
import {
  createTestServer,
  postInitialize,
  rawRequest,
  rawTokens,
  STATIC_CLIENT,
  text,
  withTempDir,
} from './auth/helpers.js';

const KEY = 'tmcp_test-api-key-0123456789abcdef';

test('API-key mode: the right key works through the SDK client; wrong or missing is 401', async () => {
  const http = await startHttpServer({
    createMcpServer: createTestServer,
    auth: { apiKey: KEY },
    port: 0,
  });
  try {
    const client = new Client({ name: 't', version: '0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(http.mcpUrl), {
        requestInit: { headers: { Authorization: `Bearer ${KEY}` } },
      }),
    );
    assert.equal(text(await client.callTool({ name: 'echo', arguments: { text: 'k' } })), 'k');
    assert.equal(text(await client.callTool({ name: 'whoami', arguments: {} })), 'api-key');
    await client.close();

    const missing = await postInitialize(http.mcpUrl);
    assert.equal(missing.status, 401);
    assert.match(String(missing.headers['www-authenticate']), /^Bearer realm="tesla-mcp"/);
    const wrong = await postInitialize(http.mcpUrl, `${KEY}x`);
    assert.equal(wrong.status, 401);
    assert.match(String(wrong.headers['www-authenticate']), /error="invalid_token"/);
    assert.ok(!wrong.body.includes(KEY), 'the key is not echoed');
    const prefix = await postInitialize(http.mcpUrl, KEY.slice(0, -1));
    assert.equal(prefix.status, 401);
    const basic = await postInitialize(http.mcpUrl, undefined, { authorization: `Basic ${KEY}` });
    assert.equal(basic.status, 401);
    // No OAuth endpoints in API-key mode.
    assert.equal((await fetch(`${http.url}/.well-known/oauth-authorization-server`)).status, 404);
  } finally {
    await http.close();
  }
});

test('with both modes, a session opened with the API key is not usable with an OAuth token', async () => {
  await withTempDir(async (dir) => {
    const http = await startHttpServer({
      createMcpServer: createTestServer,
      auth: { apiKey: KEY, oauth: { client: STATIC_CLIENT, statePath: join(dir, 'state.json') } },
      port: 0,
    });
    try {
      const init = await postInitialize(http.mcpUrl, KEY);
      assert.equal(init.status, 200);
      const sid = String(init.headers['mcp-session-id']);
      const tokens = await rawTokens(http.url);
      const ok = await postInitialize(http.mcpUrl, tokens.access_token);
      assert.equal(ok.status, 200, 'the OAuth token itself is valid');
      const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      const headers = {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sid,
        'mcp-protocol-version': '2025-06-18',
      };
      const own = await rawRequest(http.mcpUrl, {
        method: 'POST',
        headers: { ...headers, authorization: `Bearer ${KEY}` },
        body: list,
      });
      assert.equal(own.status, 200);
      const other = await rawRequest(http.mcpUrl, {
        method: 'POST',
        headers: { ...headers, authorization: `Bearer ${tokens.access_token}` },
        body: list,
      });
      assert.equal(other.status, 404);
    } finally {
      await http.close();
    }
  });
});
