/**
 * MCP server figures: `tools/list` size for the default toolsets (≤ 36,000 bytes, with
 * `enable_toolsets`) and for all tools (≤ 72,000 bytes; test/mcp/toolsets.test.ts asserts both); time from process start to an answered `tools/list` over stdio
 * for the bundle `dist/cli.js` (median, ≤ 400 ms) and its idle RSS (≤ 100 MB).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createToolDeps, notLoggedInFleet } from '../src/mcp/deps.js';
import { createServer, parseToolsets } from '../src/mcp/server.js';
import { INITIALIZE, table } from './harness.js';

async function listBytes(toolsets: string | undefined): Promise<[number, number]> {
  const deps = createToolDeps({
    fleet: notLoggedInFleet(),
    vehicle: () => {
      throw new Error('unused');
    },
  });
  // No toolsets = the operator did not pin them: the default set plus enable_toolsets.
  const server = createServer(toolsets ? { toolsets: parseToolsets(toolsets) } : {}, deps);
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'bench', version: '0' });
  await server.connect(b);
  await client.connect(a);
  const r = await client.listTools();
  await client.close();
  return [r.tools.length, Buffer.byteLength(JSON.stringify(r))];
}

/** Spawns the bundle, asks tools/list, returns ms to the answer and the RSS in MB after it. */
function startupOnce(bundle: string, dir: string): Promise<{ ms: number; rssMb: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bundle], {
      env: { PATH: process.env.PATH ?? '', HOME: dir, TESLA_MCP_CONFIG_DIR: dir },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let i = buf.indexOf('\n');
      while (i >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        i = buf.indexOf('\n');
        const msg = JSON.parse(line) as { id?: number };
        if (msg.id === 1) {
          child.stdin.write(
            `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`,
          );
          child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n`);
        } else if (msg.id === 2) {
          const ms = performance.now() - t0;
          setTimeout(() => {
            let rssMb = Number.NaN;
            const status = `/proc/${child.pid}/status`;
            if (existsSync(status)) {
              const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'));
              if (m) rssMb = Number(m[1]) / 1024;
            }
            child.kill();
            resolve({ ms, rssMb });
          }, 300);
        }
      }
    });
    child.on('error', reject);
    child.stdin.write(`${JSON.stringify(INITIALIZE)}\n`);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function run(): Promise<void> {
  const [dn, db] = await listBytes(undefined);
  const [an, ab] = await listBytes('all');
  const rows: (string | number)[][] = [
    ['tools/list bytes, default toolsets', `${dn} tools, ${db} bytes`, '≤ 36,000 bytes'],
    ['tools/list bytes, all tools', `${an} tools, ${ab} bytes`, '≤ 72,000 bytes'],
  ];
  const bundle = join(import.meta.dirname, '..', 'dist', 'cli.js');
  if (existsSync(bundle)) {
    const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-bench-'));
    const runs: { ms: number; rssMb: number }[] = [];
    for (let i = 0; i < 7; i++) runs.push(await startupOnce(bundle, dir));
    rmSync(dir, { recursive: true, force: true });
    rows.push([
      'start → tools/list answered (stdio, dist/cli.js, median of 7)',
      `${median(runs.map((r) => r.ms)).toFixed(0)} ms`,
      '≤ 400 ms',
    ]);
    rows.push([
      'idle RSS after tools/list (median)',
      `${median(runs.map((r) => r.rssMb)).toFixed(1)} MB`,
      '≤ 100 MB',
    ]);
  } else {
    rows.push(['stdio startup', 'dist/cli.js missing: run npm run build', '']);
  }
  table(['measure', 'value', 'target'], rows);
}
