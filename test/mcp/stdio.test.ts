import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI, cliArgs, ROOT } from '../helpers/built-cli.js';

describe('stdio', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-stdio-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts without credentials, lists tools, and every Fleet call says how to log in', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: cliArgs('serve', '--toolsets', 'vehicle,energy', '--read-only'),
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        TESLA_MCP_CONFIG_DIR: dir,
        TESLA_PROXY_URL: 'https://localhost:4443',
      },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const client = new Client({ name: 'stdio-test', version: '0' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    assert.ok(names.includes('vehicle_data') && names.includes('live_status'));
    assert.ok(!names.includes('door_lock'), 'security is not selected');
    assert.ok(
      tools.every((t) => t.annotations?.readOnlyHint === true),
      'read-only',
    );
    const r = (await client.callTool({ name: 'list_vehicles', arguments: {} })) as {
      isError?: boolean;
      content: { text: string }[];
    };
    assert.equal(r.isError, true);
    // The human's hint is the command line that started this server (node dist/cli.js here).
    assert.ok(
      (r.content[0]?.text ?? '').includes(`for a human at a terminal: \`node ${CLI} login\``),
      r.content[0]?.text,
    );
    assert.match(r.content[0]?.text ?? '', /not logged in.*call get_login_link/);
    await client.close();
    assert.match(stderr, /commands are now signed in-process/);
    assert.equal(stderr.match(/TESLA_PROXY_URL/g)?.length, 1, 'one line');
  });

  it('rejects an unknown toolset with exit code 2', () => {
    const r = spawnSync(process.execPath, cliArgs('serve', '--toolsets', 'cars'), {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', TESLA_MCP_CONFIG_DIR: dir },
      input: '',
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown toolset cars/);
  });
});
