import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { startHttpServer } from '../../src/mcp/http.js';
import { createServer } from '../../src/mcp/server.js';
import { fakeDeps } from '../helpers/fake-deps.js';
import { createTestServer, postInitialize, rawRequest } from './auth/helpers.js';

const MIN = 60_000;
const HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/** A server on an injected clock that remembers every McpServer it created. */
async function withSessions(
  fn: (h: {
    mcpUrl: string;
    advance: (ms: number) => void;
    servers: McpServer[];
    count: () => number;
  }) => Promise<void>,
  extra: { maxSessions?: number } = {},
) {
  let t = Date.parse('2026-03-01T12:00:00Z');
  const servers: McpServer[] = [];
  const http = await startHttpServer({
    createMcpServer: () => {
      const s = createTestServer();
      servers.push(s);
      return s;
    },
    auth: {},
    port: 0,
    now: () => t,
    ...extra,
  });
  try {
    await fn({
      mcpUrl: http.mcpUrl,
      advance: (ms) => {
        t += ms;
      },
      servers,
      count: () => http.sessionCount(),
    });
  } finally {
    await http.close();
  }
}

async function open(mcpUrl: string): Promise<string> {
  const r = await postInitialize(mcpUrl);
  assert.equal(r.status, 200, r.body);
  const sid = String(r.headers['mcp-session-id']);
  const note = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
  await rawRequest(mcpUrl, {
    method: 'POST',
    headers: { ...HEADERS, 'mcp-session-id': sid },
    body: note,
  });
  return sid;
}

function ping(mcpUrl: string, sid: string) {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' });
  return rawRequest(mcpUrl, {
    method: 'POST',
    headers: { ...HEADERS, 'mcp-session-id': sid },
    body,
  });
}

test('a session idle for 30 minutes expires: 404, and its server is closed and dropped', async () => {
  await withSessions(async (h) => {
    const sid = await open(h.mcpUrl);
    assert.equal(h.count(), 1);
    h.advance(29 * MIN);
    assert.equal((await ping(h.mcpUrl, sid)).status, 200, 'still live at 29 minutes');
    h.advance(30 * MIN);
    assert.equal((await ping(h.mcpUrl, sid)).status, 404);
    assert.equal(h.count(), 0, 'the session table no longer holds it');
    assert.equal(h.servers[0]?.isConnected(), false, 'its McpServer was closed');
  });
});

test('all sessions in use: initialize gets 503 with Retry-After, no live session is evicted', async () => {
  await withSessions(
    async (h) => {
      const a = await open(h.mcpUrl);
      const b = await open(h.mcpUrl);
      const full = await postInitialize(h.mcpUrl);
      assert.equal(full.status, 503);
      assert.equal(full.headers['retry-after'], '1800', 'the soonest expiry is 30 minutes away');
      assert.match(full.body, /all 2 sessions are in use/);
      assert.equal(h.servers.length, 2, 'no server was built for the refused initialize');
      assert.equal((await ping(h.mcpUrl, a)).status, 200, 'a is still there');
      h.advance(29 * MIN);
      assert.equal((await ping(h.mcpUrl, a)).status, 200);
      assert.equal((await postInitialize(h.mcpUrl)).headers['retry-after'], '60', 'b goes first');
      h.advance(MIN);
      const c = await open(h.mcpUrl);
      assert.equal(h.count(), 2);
      assert.equal((await ping(h.mcpUrl, b)).status, 404, 'b expired');
      assert.equal(h.servers[1]?.isConnected(), false, "b's server was closed");
      assert.equal((await ping(h.mcpUrl, a)).status, 200);
      assert.equal((await ping(h.mcpUrl, c)).status, 200);
    },
    { maxSessions: 2 },
  );
});

test('DELETE ends a session and releases its server; an open stream keeps a session alive', async () => {
  await withSessions(async (h) => {
    const a = await open(h.mcpUrl);
    const del = await rawRequest(h.mcpUrl, { method: 'DELETE', headers: { 'mcp-session-id': a } });
    assert.equal(del.status, 200);
    assert.equal(h.count(), 0);
    assert.equal(h.servers[0]?.isConnected(), false);

    const b = await open(h.mcpUrl);
    // A standalone SSE stream (GET) held open for an hour: the session is in use, not idle.
    const u = new URL(h.mcpUrl);
    const stream = request({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: 'GET',
      headers: { accept: 'text/event-stream', 'mcp-session-id': b },
    });
    const opened = new Promise<number>((resolve) =>
      stream.on('response', (r) => resolve(r.statusCode ?? 0)),
    );
    stream.on('error', () => {});
    stream.end();
    assert.equal(await opened, 200);
    h.advance(60 * MIN);
    assert.equal((await ping(h.mcpUrl, b)).status, 200, 'not expired while its stream is open');
    stream.destroy();
  });
});

test('idle sessions expire on the sweep alone, with no request coming', async (t) => {
  // Only setInterval is mocked: the sweep runs when told, the clock is the injected one.
  t.mock.timers.enable({ apis: ['setInterval'] });
  let now = Date.parse('2026-03-01T12:00:00Z');
  const closed: boolean[] = [];
  const http = await startHttpServer({
    createMcpServer: () => {
      const s = createTestServer();
      const i = closed.push(false) - 1;
      s.server.onclose = () => {
        closed[i] = true;
      };
      return s;
    },
    auth: {},
    port: 0,
    now: () => now,
  });
  try {
    await open(http.mcpUrl);
    await open(http.mcpUrl);
    now += 29 * MIN;
    t.mock.timers.tick(MIN);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(http.sessionCount(), 2, 'not idle for 30 minutes yet');
    assert.deepEqual(closed, [false, false]);
    now += MIN;
    t.mock.timers.tick(MIN);
    // The sweep's closes settle within a few turns of the event loop (no I/O to wait for).
    for (let turn = 0; turn < 100 && closed.includes(false); turn++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual(closed, [true, true], 'the sweep closed both servers');
    assert.equal(http.sessionCount(), 0, 'and dropped both from the table');
  } finally {
    await http.close();
  }
});

/** `gc()` without `--expose-gc` on the command line (a full, synchronous collection). */
function fullGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

test("serve's sessions, ended or expired, leave nothing behind: table empty, no listener left, every server closed and collected", async () => {
  // The server `serve --http` builds per session (toolsets not pinned, so enable_toolsets is
  // offered), with deps shared by every session as in `serve`.
  const { deps } = fakeDeps();
  let t = Date.parse('2026-03-01T12:00:00Z');
  const refs: WeakRef<McpServer>[] = [];
  const closed: boolean[] = [];
  const http = await startHttpServer({
    createMcpServer: () => {
      const s = createServer({}, deps);
      const i = refs.push(new WeakRef(s)) - 1;
      closed[i] = false;
      s.server.onclose = () => {
        closed[i] = true;
      };
      return s;
    },
    auth: {},
    port: 0,
    now: () => t,
  });
  // Listeners on the emitters every session shares: the process and the HTTP server.
  const listeners = () =>
    [process, http.server].map((e) =>
      Object.fromEntries(e.eventNames().map((n) => [String(n), e.listenerCount(n)])),
    );
  await open(http.mcpUrl).then((sid) =>
    rawRequest(http.mcpUrl, { method: 'DELETE', headers: { 'mcp-session-id': sid } }),
  );
  const before = listeners();
  const N = 12;
  try {
    for (let i = 0; i < N; i++) {
      const sid = await open(http.mcpUrl);
      // Each session turns a toolset on: per-session state, and a tools/list_changed.
      const call = await rawRequest(http.mcpUrl, {
        method: 'POST',
        headers: { ...HEADERS, 'mcp-session-id': sid },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 2,
          method: 'tools/call',
          params: { name: 'enable_toolsets', arguments: { toolsets: ['media'] } },
        }),
      });
      assert.match(call.body, /Turned on media/);
      if (i % 2 === 0) {
        const del = await rawRequest(http.mcpUrl, {
          method: 'DELETE',
          headers: { 'mcp-session-id': sid },
        });
        assert.equal(del.status, 200);
      }
    }
    assert.equal(http.sessionCount(), N / 2, 'the ones not ended are still held');
    t += 31 * MIN;
    // The next initialize closes the expired sessions before it takes a slot.
    const last = await open(http.mcpUrl);
    assert.equal(http.sessionCount(), 1);
    await rawRequest(http.mcpUrl, { method: 'DELETE', headers: { 'mcp-session-id': last } });
    assert.equal(http.sessionCount(), 0, 'the session table is empty');
    assert.deepEqual(
      closed,
      refs.map(() => true),
      'every server was closed',
    );
    assert.deepEqual(listeners(), before, 'no session left a listener on a shared emitter');
  } finally {
    await http.close();
  }
  // Nothing shared (deps, caches, the process) still holds a session's server.
  const gc = fullGc();
  for (let round = 0; round < 3 && refs.some((r) => r.deref() !== undefined); round++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  assert.deepEqual(
    refs.map((r) => r.deref() === undefined),
    refs.map(() => true),
    'every server was collected',
  );
});
