/**
 * `npm run bench -- sessions` runs this in a child process: an in-process `serve --http`
 * (loopback, no auth, every toolset) receives N `initialize` requests, each followed by
 * `notifications/initialized` and, with `delete`, by `DELETE /mcp` (a client that ends its
 * session); without it the sessions stay open, as with a client that reconnects without ending
 * the old one. Prints RSS and heap every N/8 and after a forced GC, the sessions held, and how
 * many `initialize` requests were refused (503).
 * Usage: node --import tsx --expose-gc bench/session-memory.ts [N=4000] [delete]
 */
import { request } from 'node:http';
import { createToolDeps, notLoggedInFleet } from '../src/mcp/deps.js';
import { startHttpServer } from '../src/mcp/http.js';
import { createServer, parseToolsets } from '../src/mcp/server.js';

const N = Number(process.argv[2] ?? 4000);
const end = process.argv[3] === 'delete';
const deps = createToolDeps({
  fleet: notLoggedInFleet(),
  vehicle: () => {
    throw new Error('unused');
  },
});
const http = await startHttpServer({
  createMcpServer: () => createServer({ toolsets: parseToolsets('all') }, deps),
  auth: {},
  port: 0,
});
const port = (http.server.address() as { port: number }).port;
const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'b', version: '0' },
  },
});

function post(
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
const rows: string[] = [];
const sample = (label: string) => {
  const m = process.memoryUsage();
  rows.push(
    `${label}\t${mb(m.rss)}\t${mb(m.heapTotal)}\t${mb(m.heapUsed)}\t${mb(m.external)}\t${http.sessionCount()}`,
  );
};
sample('start');
let refused = 0;
for (let i = 1; i <= N; i++) {
  const r = await post(INIT);
  if (r.status !== 200) refused++;
  else {
    await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), r.sid);
    if (end) await post(undefined, r.sid, 'DELETE');
  }
  if (i % (N / 8) === 0) sample(String(i));
}
gc?.();
await new Promise((r) => setTimeout(r, 200));
gc?.();
sample('after gc');
console.log(
  `initializations\trss MB\theap total\theap used\texternal\tsessions\n${rows.join('\n')}\nrefused: ${refused}`,
);
await http.close();
