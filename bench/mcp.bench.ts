/**
 * MCP server figures: `tools/list` size for the default toolsets (≤ 36,000 bytes, with
 * `enable_toolsets`) and for all tools (≤ 72,000 bytes; test/mcp/toolsets.test.ts asserts both); time from process start to an answered `tools/list` over stdio
 * for the bundle `dist/cli.js` (median, ≤ 400 ms) and its idle RSS (≤ 100 MB).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createToolDeps, notLoggedInFleet } from '../src/mcp/deps.js';
import { createServer, parseToolsets } from '../src/mcp/server.js';
import { median, stdioStart, table } from './harness.js';

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
    for (let i = 0; i < 7; i++)
      runs.push(
        await stdioStart(bundle, [], {
          PATH: process.env.PATH ?? '',
          HOME: dir,
          TESLA_MCP_CONFIG_DIR: dir,
        }),
      );
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
