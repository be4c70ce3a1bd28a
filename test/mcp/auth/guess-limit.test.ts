import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { GuessLimiter, peerOf } from '../../../src/mcp/auth/guess-limit.js';
import { startHttpServer } from '../../../src/mcp/http.js';
import {
  basicAuth,
  createTestServer,
  postInitialize,
  postToken,
  rawTokens,
  STATIC_CLIENT,
  withTempDir,
} from './helpers.js';

const KEY = 'tmcp_test-api-key-0123456789abcdef';
const MIN = 60_000;

test('limiter: the 10th failure within 5 minutes blocks for at least 60 s; it then counts anew', () => {
  let t = 1_000_000;
  const g = new GuessLimiter({ now: () => t });
  for (let i = 0; i < 9; i++) {
    g.fail('a');
    t += 20_000; // 9 failures over 3 minutes
  }
  assert.equal(g.retryAfter('a'), undefined, 'nine failures: not blocked');
  g.fail('a');
  const wait = g.retryAfter('a');
  assert.ok(wait !== undefined && wait >= 60, `blocked, Retry-After ${wait}`);
  assert.equal(g.retryAfter('b'), undefined, 'another peer is not affected');
  t += (wait ?? 0) * 1000;
  assert.equal(g.retryAfter('a'), undefined, 'unblocked after Retry-After');
  // The window still holds nine recent failures: one more blocks again.
  g.fail('a');
  assert.ok((g.retryAfter('a') ?? 0) >= 60);
  // Failures spread wider than the window never block.
  const h = new GuessLimiter({ now: () => t });
  for (let i = 0; i < 30; i++) {
    h.fail('c');
    t += 34_000; // ten failures span 306 s
  }
  assert.equal(h.retryAfter('c'), undefined);
});

test('limiter: memory stays bounded by maxPeers', () => {
  const g = new GuessLimiter({ maxPeers: 100, now: () => 0 });
  for (let i = 0; i < 1000; i++) for (let j = 0; j < 10; j++) g.fail(`p${i}`);
  assert.ok(g.retryAfter('p999') !== undefined, 'the newest peer is still remembered');
  assert.equal(g.retryAfter('p0'), undefined, 'the oldest were forgotten');
});

test('peer: socket address; X-Forwarded-For only with --trust-proxy, its last entry; IPv6 by /64', () => {
  const req = (remoteAddress: string, xff?: string) =>
    ({
      socket: { remoteAddress },
      headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
    }) as unknown as IncomingMessage;
  assert.equal(peerOf(req('127.0.0.1', '9.9.9.9'), false), '127.0.0.1');
  assert.equal(peerOf(req('::ffff:10.0.0.2'), false), '10.0.0.2');
  assert.equal(peerOf(req('127.0.0.1', '6.6.6.6, 203.0.113.7'), true), '203.0.113.7');
  assert.equal(peerOf(req('127.0.0.1', '203.0.113.7:4711'), true), '203.0.113.7');
  assert.equal(peerOf(req('127.0.0.1', 'garbage'), true), '127.0.0.1');
  assert.equal(peerOf(req('127.0.0.1'), true), '127.0.0.1');
  assert.equal(peerOf(req('2001:db8:1:2:3:4:5:6'), false), '2001:db8:1:2::/64');
  assert.equal(peerOf(req('2001:db8:1:2::99'), false), '2001:db8:1:2::/64');
  assert.equal(peerOf(req('127.0.0.1', '[2001:db8::1]:443'), true), '2001:db8:0:0::/64');
});

test('/mcp: after 10 wrong API keys that peer gets 429 with Retry-After >= 60 s, even with the right key', async () => {
  let t = Date.parse('2026-03-01T12:00:00Z');
  const http = await startHttpServer({
    createMcpServer: createTestServer,
    auth: { apiKey: KEY },
    port: 0,
    now: () => t,
  });
  try {
    for (let i = 0; i < 10; i++) {
      assert.equal((await postInitialize(http.mcpUrl, `${KEY}-wrong-${i}`)).status, 401);
    }
    const blocked = await postInitialize(http.mcpUrl, KEY);
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers['retry-after']) >= 60, String(blocked.headers['retry-after']));
    assert.match(blocked.body, /too many failed API keys/);
    // No header at all is not a guess and is answered as before.
    assert.equal((await postInitialize(http.mcpUrl)).status, 401);
    t += 5 * MIN + 1000;
    assert.equal((await postInitialize(http.mcpUrl, KEY)).status, 200, 'allowed again later');
  } finally {
    await http.close();
  }
});

test('/mcp with --trust-proxy: peers are told apart by X-Forwarded-For; without it they share one address', async () => {
  for (const trustProxy of [true, false]) {
    const http = await startHttpServer({
      createMcpServer: createTestServer,
      auth: { apiKey: KEY },
      port: 0,
      trustProxy,
      now: () => 0,
    });
    try {
      const from = (ip: string) => ({ 'x-forwarded-for': `1.2.3.4, ${ip}` });
      for (let i = 0; i < 10; i++) await postInitialize(http.mcpUrl, 'wrong', from('198.51.100.1'));
      assert.equal((await postInitialize(http.mcpUrl, KEY, from('198.51.100.1'))).status, 429);
      const other = await postInitialize(http.mcpUrl, KEY, from('198.51.100.2'));
      assert.equal(other.status, trustProxy ? 200 : 429, `trustProxy=${trustProxy}`);
    } finally {
      await http.close();
    }
  }
});

test('/token: after 10 wrong client secrets, 429 with Retry-After >= 60 s; an OAuth token still works', async () => {
  await withTempDir(async (dir) => {
    let t = Date.parse('2026-03-01T12:00:00Z');
    const http = await startHttpServer({
      createMcpServer: createTestServer,
      auth: { apiKey: KEY, oauth: { client: STATIC_CLIENT, statePath: join(dir, 's.json') } },
      port: 0,
      now: () => t,
    });
    try {
      const tokens = await rawTokens(http.url);
      const refresh = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token };
      for (let i = 0; i < 10; i++) {
        const r = await postToken(http.url, refresh, basicAuth(STATIC_CLIENT.clientId, `bad-${i}`));
        assert.equal(r.status, 401);
      }
      const blocked = await postToken(http.url, refresh);
      assert.equal(blocked.status, 429, 'even the right secret is not checked now');
      assert.ok(Number(blocked.headers.get('retry-after')) >= 60);
      assert.equal(blocked.body.error, 'temporarily_unavailable');
      // The API key is not compared while blocked; an issued access token still opens sessions.
      assert.equal((await postInitialize(http.mcpUrl, KEY)).status, 429);
      assert.equal((await postInitialize(http.mcpUrl, tokens.access_token)).status, 200);
      t += 5 * MIN + 1000;
      const later = await postToken(http.url, refresh);
      assert.equal(later.status, 200, JSON.stringify(later.body));
    } finally {
      await http.close();
    }
  });
});
