/**
 * `tesla-mcp serve --http --tls-cert F --tls-key F` as a home-network user runs it (no nginx):
 * the built CLI in a child process on a free loopback port, with a self-signed certificate, and a
 * real HTTPS client that trusts only that certificate (undici, as the MCP SDK's client transport
 * `fetch`) doing initialize, tools/list and a tool call. Also: a client that does not trust the
 * certificate and plain HTTP to the same port get no MCP answer.
 *
 * @module
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Agent, fetch as undiciFetch } from 'undici';
import { cliArgs, ROOT } from '../helpers/built-cli.js';
import { missingOpenssl, selfSignedCert, type TestCert } from '../helpers/tls-cert.js';

const VIN = '5YJ3E1EA1PF000001';

describe('serve --http over TLS (--tls-cert, --tls-key)', { skip: missingOpenssl() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-serve-tls-'));
  let cert: TestCert;
  let child: ChildProcess | undefined;
  let out = '';
  let url: URL;

  before(async () => {
    cert = selfSignedCert(dir);
    child = spawn(
      process.execPath,
      cliArgs(
        'serve',
        '--http',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--simulator',
        '--tls-cert',
        cert.certFile,
        '--tls-key',
        cert.keyFile,
      ),
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: dir, TESLA_MCP_CONFIG_DIR: dir },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const started = child;
    url = await new Promise<URL>((resolve, reject) => {
      const collect = (d: Buffer) => {
        out += d.toString();
        const m = /^MCP URL: (\S+)$/m.exec(out);
        if (m?.[1]) resolve(new URL(m[1]));
      };
      started.stdout?.on('data', collect);
      started.stderr?.on('data', collect);
      started.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
    });
  });

  after(async () => {
    const c = child;
    if (c?.pid !== undefined && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((resolve) => c.once('exit', resolve));
      process.kill(c.pid, 'SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints an https:// MCP URL on the port it bound', () => {
    assert.equal(url.protocol, 'https:', out);
    assert.equal(url.hostname, '127.0.0.1');
    assert.ok(Number(url.port) > 0, out);
    assert.equal(url.pathname, '/mcp');
  });

  it('an HTTPS client trusting the certificate initializes, lists tools and calls one', async () => {
    const dispatcher = new Agent({ connect: { ca: cert.cert } });
    try {
      const transport = new StreamableHTTPClientTransport(url, {
        fetch: (input, init) =>
          undiciFetch(input, { ...(init as object), dispatcher }) as unknown as Promise<Response>,
      });
      const client = new Client({ name: 'serve-tls-test', version: '0' });
      await client.connect(transport);
      try {
        assert.equal(client.getServerVersion()?.name, 'tesla-mcp');
        const { tools } = await client.listTools();
        assert.ok(tools.some((t) => t.name === 'vehicle_data'));
        const r = (await client.callTool({ name: 'vehicle_data', arguments: { vin: VIN } })) as {
          isError?: boolean;
          structuredContent?: Record<string, unknown>;
        };
        assert.equal(r.isError, undefined);
        assert.equal(r.structuredContent?.simulated, true);
      } finally {
        await client.close();
      }
    } finally {
      await dispatcher.close();
    }
  });

  it('a client that does not trust the certificate, and plain HTTP, get no MCP answer', async () => {
    const init = {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    };
    const untrusting = new Agent();
    try {
      await assert.rejects(undiciFetch(url, { ...init, dispatcher: untrusting }), (err: Error) => {
        const cause = (err as { cause?: { code?: string } }).cause;
        assert.match(cause?.code ?? '', /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/, String(cause?.code));
        return true;
      });
    } finally {
      await untrusting.close();
    }
    const plain = new URL(url);
    plain.protocol = 'http:';
    await assert.rejects(undiciFetch(plain, init));
  });
});
