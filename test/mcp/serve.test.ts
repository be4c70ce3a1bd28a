import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { authModes, reachability } from '../../src/cli/serve.js';
import { parseServeArgs } from '../../src/cli/serve-options.js';
import { cliArgs } from '../helpers/built-cli.js';

const root = join(import.meta.dirname, '..', '..');

describe('serve arguments', () => {
  it('flags win over environment; defaults from the README', () => {
    const d = parseServeArgs([], {});
    assert.deepEqual(
      [d.http, d.host, d.port, d.simulator, d.readOnly, d.apiKey],
      [false, '127.0.0.1', 8752, false, false, undefined],
    );
    const env = {
      TESLA_MCP_TRANSPORT: 'streamable-http',
      TESLA_MCP_PORT: '9000',
      TESLA_MCP_TOOLSETS: 'energy',
      TESLA_MCP_READ_ONLY: '1',
      MCP_BASE_URL: 'https://tesla.example.com',
    };
    const e = parseServeArgs([], env);
    assert.deepEqual(
      [e.http, e.port, e.toolsets, e.readOnly, e.publicUrl],
      [true, 9000, 'energy', true, 'https://tesla.example.com'],
    );
    const f = parseServeArgs(
      ['--port=0', '--toolsets', 'all', '--confirm', 'deny', '--api-key'],
      env,
    );
    assert.deepEqual([f.port, f.toolsets, f.confirm, f.apiKey], [0, 'all', 'deny', true]);
    assert.equal(parseServeArgs(['--api-key', 'k'.repeat(20)], {}).apiKey, 'k'.repeat(20));
    assert.equal(parseServeArgs([], {}).trustProxy, false);
    assert.equal(parseServeArgs(['--trust-proxy'], {}).trustProxy, true);
    assert.equal(parseServeArgs([], { TESLA_MCP_TRUST_PROXY: '1' }).trustProxy, true);
    assert.throws(() => parseServeArgs(['--port', 'x'], {}), /--port/);
    assert.throws(() => parseServeArgs(['--bogus'], {}), /unknown option --bogus/);
    assert.throws(
      () => parseServeArgs([], { TESLA_MCP_TRANSPORT: 'sse' }),
      /stdio or streamable-http/,
    );
  });
});

describe("serve: the Python server's names, auth modes, reachability", () => {
  it('TESLA_MCP_PORT_APIKEY is the port unless TESLA_MCP_PORT is set, with a note', () => {
    const a = parseServeArgs([], { TESLA_MCP_PORT_APIKEY: '8753' });
    assert.equal(a.port, 8753);
    assert.match(a.notes.join('\n'), /TESLA_MCP_PORT_APIKEY=8753 used as the port/);
    const b = parseServeArgs([], { TESLA_MCP_PORT_APIKEY: '8753', TESLA_MCP_PORT: '9000' });
    assert.equal(b.port, 9000);
    assert.match(b.notes.join('\n'), /TESLA_MCP_PORT_APIKEY is ignored/);
    assert.deepEqual(parseServeArgs([], {}).notes, []);
  });
  it('TLS flags over TESLA_MCP_TLS_CERT/KEY; one without the other is refused', () => {
    const env = { TESLA_MCP_TLS_CERT: 'env-cert.pem', TESLA_MCP_TLS_KEY: 'env-key.pem' };
    assert.deepEqual(
      [parseServeArgs([], env).tlsCert, parseServeArgs([], env).tlsKey],
      ['env-cert.pem', 'env-key.pem'],
    );
    assert.equal(parseServeArgs(['--tls-cert', 'c.pem'], env).tlsCert, 'c.pem');
    assert.throws(() => parseServeArgs(['--tls-cert', 'c.pem'], {}), /both --tls-cert/);
  });
  it('start-up names the auth modes; a wildcard bind prints the URLs other machines use', () => {
    assert.equal(authModes({}), 'none (loopback only)');
    assert.equal(
      authModes({ oauth: { client: { clientId: 'cid' } }, apiKey: 'k' }),
      'OAuth 2.1 (static client cid) + API key (Authorization: Bearer)',
    );
    assert.equal(
      reachability(
        { host: '127.0.0.1', publicUrl: undefined, tlsCert: undefined },
        'http://127.0.0.1:1/mcp',
      ),
      '',
    );
    const r = reachability(
      { host: '192.168.7.9', publicUrl: undefined, tlsCert: 'c.pem' },
      'https://192.168.7.9:8752/mcp',
    );
    assert.match(r, /From other machines use:\n {2}https:\/\/192\.168\.7\.9:8752\/mcp\n/);
    assert.match(r, /--public-url https:\/\/NAME/);
    assert.equal(
      reachability({ host: '0.0.0.0', publicUrl: 'https://x.example', tlsCert: undefined }, ''),
      '',
    );
  });
});

describe('serve --http on the real Fleet API', () => {
  it('refuses to start without auth unless --no-auth on loopback', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-serve-'));
    const r = spawnSync(process.execPath, cliArgs('serve', '--http', '--port', '0'), {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: dir, TESLA_MCP_CONFIG_DIR: dir },
    });
    rmSync(dir, { recursive: true, force: true });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /refusing to serve the real Fleet API over HTTP without auth/);
  });
});

describe('serve --http --simulator (what npm start runs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-serve-'));
  let child: ChildProcess | undefined;
  after(() => {
    child?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the MCP URL and the claude mcp add line, and the URL drives a simulated car', async () => {
    child = spawn(
      process.execPath,
      cliArgs('serve', '--http', '--host', '127.0.0.1', '--port', '0', '--simulator'),
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: dir, TESLA_MCP_CONFIG_DIR: dir },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const line = await new Promise<string>((resolve, reject) => {
      child?.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^claude mcp add --transport http tesla (http:\/\/127\.0\.0\.1:\d+\/mcp)$/m.exec(
          out,
        );
        if (m?.[1]) resolve(m[1]);
      });
      child?.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    assert.match(out, new RegExp(`MCP URL: ${line.replace(/[.]/g, '\\.')}`));
    const client = new Client({ name: 'serve-test', version: '0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(line)));
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === 'door_lock'));
    const r = (await client.callTool({
      name: 'vehicle_data',
      arguments: { vin: '5YJ3E1EA1PF000001' },
    })) as {
      isError?: boolean;
      structuredContent?: Record<string, unknown>;
    };
    assert.equal(r.isError, undefined);
    assert.equal(r.structuredContent?.simulated, true);
    await client.close();
  });
});
