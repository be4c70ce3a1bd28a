/**
 * `npm run bench -- sessions` runs this in a child process: an in-process `serve --http`
 * (loopback, no auth, the default toolsets as `serve` offers them, so every tool is registered)
 * receives N `initialize` requests, each followed by `notifications/initialized` and then:
 * - `delete`: `DELETE /mcp` (a client that ends its session);
 * - `expire`: nothing, but the server's clock moves past the idle limit before every 100th
 *   session, so the idle sessions expire and are closed by that `initialize` (none is refused);
 * - `keep`: nothing (a client that reconnects without ending the old one): sessions pile up to
 *   the cap of 100, then `initialize` gets 503.
 * Prints RSS and heap at the start and every 1,000 (or N/4) sessions, each before and after a
 * forced GC, so growth of live objects (heap used after GC) shows apart from the heap's and the
 * allocator's headroom (RSS); then the sessions held and how many `initialize` were refused.
 * Usage: node --import tsx --expose-gc bench/session-memory.ts [N=4000] [delete|expire|keep]
 */
import { request } from 'node:http';
import { createToolDeps, notLoggedInFleet } from '../src/mcp/deps.js';
import { startHttpServer } from '../src/mcp/http.js';
import { createServer } from '../src/mcp/server.js';
import { INITIALIZE } from './harness.js';

const N = Number(process.argv[2] ?? 4000);
const mode = process.argv[3] ?? 'delete';
const every = Math.max(1, Math.min(1000, Math.floor(N / 4)));
const deps = createToolDeps({
  fleet: notLoggedInFleet(),
  vehicle: () => {
    throw new Error('unused');
  },
});
const IDLE_MS = 30 * 60_000;
let clock = Date.now();
const http = await startHttpServer({
  createMcpServer: () => createServer({}, deps),
  auth: {},
  port: 0,
  sessionIdleMs: IDLE_MS,
  now: () => clock,
});
const port = (http.server.address() as { port: number }).port;
const INIT = JSON.stringify(INITIALIZE);
const INITIALIZED = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });

function send(
  body: string | undefined,
  sid?: string,
  method = 'POST',
): Promise<{ status: number; sid: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/mcp',
        method,
        agent: false,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(sid ? { 'mcp-session-id': sid } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const h = res.headers['mcp-session-id'];
          resolve({ status: res.statusCode ?? 0, sid: typeof h === 'string' ? h : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const mb = (n: number) => Math.round(n / 1024 / 1024);
const gc = (globalThis as { gc?: () => void }).gc;
async function collect(): Promise<void> {
  gc?.();
  await new Promise((r) => setTimeout(r, 50));
  gc?.();
}
const rows: string[] = [];
async function sample(label: string): Promise<void> {
  const before = process.memoryUsage();
  await collect();
  const after = process.memoryUsage();
  rows.push(
    [
      label,
      mb(before.rss),
      mb(before.heapUsed),
      mb(after.rss),
      mb(after.heapUsed),
      mb(after.heapTotal),
      http.sessionCount(),
    ].join('\t'),
  );
}

async function session(): Promise<boolean> {
  const r = await send(INIT);
  if (r.status !== 200) return false;
  await send(INITIALIZED, r.sid);
  if (mode === 'delete') await send(undefined, r.sid, 'DELETE');
  return true;
}

// Warm up (code loaded and compiled, caches filled) before the baseline.
for (let i = 0; i < 20; i++) await session();
if (mode === 'expire') clock += IDLE_MS;
await session();
await sample('baseline');
let refused = 0;
for (let i = 1; i <= N; i++) {
  // Every 100th initialize finds the 100 sessions before it idle past the limit (moving the
  // clock after it instead would let the 100th find all 100 slots live, and be refused).
  if (mode === 'expire' && i % 100 === 0) clock += IDLE_MS;
  if (!(await session())) refused++;
  if (i % every === 0) await sample(String(i));
}
console.log(
  `sessions\trss MB\theap used MB\tafter GC: rss MB\theap used MB\theap total MB\tsessions held\n${rows.join('\n')}\nrefused (503): ${refused}`,
);
await http.close();
