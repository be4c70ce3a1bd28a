/**
 * The Redis client is loaded only when Redis is configured (`--redis` / `TESLA_MCP_REDIS_URL`):
 * `dist/cli.js` is copied without `dist/redis-client.js`, so loading the chunk fails. A default
 * `serve` (stdio, with a command key, so the file store is in use) answers initialize,
 * `tools/list` and `get_billing_summary`, and a default `proxy` answers `/health`: neither
 * loaded it. With `TESLA_MCP_REDIS_URL` the same copy fails on the missing chunk, which shows
 * the check can fail.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { PrivateKey } from '../../src/signing/keys.js';
import { CLI, cliArgs } from '../helpers/built-cli.js';
import { freePort } from '../helpers/redis-server.js';

describe('without Redis, dist/redis-client.js is never loaded', () => {
  let dir: string;
  let cli: string;
  let env: Record<string, string>;

  before(() => {
    cliArgs(); // dist/ up to date
    dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-chunk-'));
    const dist = join(dir, 'dist');
    mkdirSync(dist);
    cli = join(dist, 'cli.js');
    copyFileSync(CLI, cli);
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    const config = join(dir, 'config');
    mkdirSync(config);
    writeFileSync(join(config, 'private-key.pem'), PrivateKey.generate().toPem('pkcs8'), {
      mode: 0o600,
    });
    env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      TESLA_MCP_CONFIG_DIR: config,
      TESLA_ACCESS_TOKEN: 'not-a-real-token',
      TESLA_FLEET_API_URL: 'http://127.0.0.1:9',
    };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('serve over stdio: initialize, tools/list, get_billing_summary', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'serve'],
      cwd: dir,
      env,
      stderr: 'pipe',
    });
    let err = '';
    transport.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const client = new Client({ name: 'chunk-test', version: '0' });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      assert.ok(
        tools.some((t) => t.name === 'get_billing_summary'),
        err,
      );
      const r = (await client.callTool({ name: 'get_billing_summary', arguments: {} })) as {
        isError?: boolean;
        structuredContent?: { scope?: string };
      };
      assert.equal(r.isError, undefined, err);
      assert.match(r.structuredContent?.scope ?? '', /^all instances sharing file /, err);
    } finally {
      await client.close();
    }
  });

  test('proxy: /health', async () => {
    const child = spawn(
      process.execPath,
      [
        cli,
        'proxy',
        '--port',
        '0',
        '--key-file',
        join(env.TESLA_MCP_CONFIG_DIR ?? '', 'private-key.pem'),
      ],
      { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let out = '';
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m?.[1]) resolve(m[1]);
        });
        exited.then((code) => reject(new Error(`proxy exited with ${code}: ${out}`)));
      });
      const res = await fetch(`${url}/health`);
      assert.equal(res.status, 200);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    }
  });

  test('with TESLA_MCP_REDIS_URL the same copy fails on the missing chunk', async () => {
    const child = spawn(process.execPath, [cli, 'serve'], {
      cwd: dir,
      env: { ...env, TESLA_MCP_REDIS_URL: `redis://127.0.0.1:${await freePort()}` },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let out = '';
    child.stderr.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    assert.notEqual(code, 0);
    assert.match(out, /redis-client\.js/);
  });
});
