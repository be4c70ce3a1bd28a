/**
 * The README's first command: `npm start` (after `npm ci`, which builds dist/) serves MCP over
 * HTTP on the simulated fleet, prints the `claude mcp add` line, and that URL drives a car.
 * Run with `--port 0` so the test never collides with a server already on 8752.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const root = join(import.meta.dirname, '..', '..');
const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' }).status === 0;
const built = existsSync(join(root, 'dist', 'cli.js'));

type Result = { isError?: boolean; structuredContent?: Record<string, unknown> };

describe('npm start', {
  skip: !npm || !built ? 'needs npm and a built dist/ (npm ci builds it)' : false,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-start-'));
  let child: ChildProcess | undefined;
  after(() => {
    // npm runs the server as a grandchild: end the whole process group.
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the claude mcp add line; its URL lists tools and drives a simulated car', async () => {
    child = spawn('npm', ['start', '--silent', '--', '--port', '0'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: dir, TESLA_MCP_CONFIG_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child?.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^claude mcp add --transport http tesla (http:\/\/127\.0\.0\.1:\d+\/mcp)$/m.exec(
          out,
        );
        if (m?.[1]) resolve(m[1]);
      });
      child?.on('exit', (code) => reject(new Error(`npm start exited ${code}: ${out}`)));
    });
    const client = new Client({ name: 'npm-start-test', version: '0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    try {
      const { tools } = await client.listTools();
      assert.ok(tools.length > 20);
      const vin = '5YJ3E1EA1PF000001';
      const set = (await client.callTool({
        name: 'set_charge_limit',
        arguments: { vin, percent: 66 },
      })) as Result;
      assert.equal(set.isError, undefined, JSON.stringify(set));
      assert.equal(set.structuredContent?.simulated, true);
      const data = (await client.callTool({ name: 'vehicle_data', arguments: { vin } })) as Result;
      assert.match(JSON.stringify(data.structuredContent), /"charge_limit_soc":66/);
    } finally {
      await client.close();
    }
  });
});
