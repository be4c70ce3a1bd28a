/**
 * `--redis` / `TESLA_MCP_REDIS_URL` and `TESLA_MCP_STATE_KEY` at start, as processes (the built
 * CLI): Redis not reachable, or a state key of the wrong format, refuse to start with a message
 * that names what to fix (and never the Redis password); a reachable Redis is used and named.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PrivateKey } from '../../src/signing/keys.js';
import { simulatedCars } from '../../src/sim/fleet.js';
import { startSimulator } from '../../src/sim/index.js';
import { cliArgs } from '../helpers/built-cli.js';
import { startProxyProcess } from '../helpers/proxy-process.js';
import { freePort, redisSkip, startRedis } from '../helpers/redis-server.js';

function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; err: string }>((resolve) => {
    const child = spawn(process.execPath, cliArgs(...args), {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.once('exit', (code) => resolve({ code, err }));
  });
}

describe('shared state flags at start', () => {
  let dir: string;
  let keyFile: string;
  let env: Record<string, string>;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-state-flags-'));
    keyFile = join(dir, 'key.pem');
    await writeFile(keyFile, PrivateKey.generate().toPem('pkcs8'), { mode: 0o600 });
    env = {
      TESLA_MCP_CONFIG_DIR: join(dir, 'config'),
      TESLA_PRIVATE_KEY_FILE: keyFile,
      TESLA_ACCESS_TOKEN: 'x',
      TESLA_FLEET_API_URL: 'http://127.0.0.1:9',
    };
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('Redis not reachable: proxy and serve refuse to start and say how to fix it', async () => {
    const port = await freePort();
    const url = `redis://:s3cret@127.0.0.1:${port}`;
    const proxy = await runCli(
      ['proxy', '--key-file', keyFile, '--port', '0', '--redis', url],
      env,
    );
    assert.equal(proxy.code, 2, proxy.err);
    assert.match(proxy.err, new RegExp(`cannot reach Redis at 127\\.0\\.0\\.1:${port}`));
    assert.match(proxy.err, /start redis-server/);
    const serve = await runCli(['serve'], { ...env, TESLA_MCP_REDIS_URL: url });
    assert.equal(serve.code, 1, serve.err);
    assert.match(serve.err, /cannot reach Redis/);
    for (const r of [proxy, serve]) assert.doesNotMatch(r.err, /s3cret/);
  });

  test('TESLA_MCP_STATE_KEY of another format refuses to start, naming the variable', async () => {
    const bad = { ...env, TESLA_MCP_STATE_KEY: 'not-64-hex' };
    const proxy = await runCli(['proxy', '--key-file', keyFile, '--port', '0'], bad);
    assert.equal(proxy.code, 2, proxy.err);
    assert.match(proxy.err, /TESLA_MCP_STATE_KEY must be 64 hex characters/);
    assert.doesNotMatch(proxy.err, /not-64-hex/);
    const serve = await runCli(['serve'], bad);
    assert.equal(serve.code, 1, serve.err);
    assert.match(serve.err, /TESLA_MCP_STATE_KEY/);
  });

  test('Redis lost mid-run: the proxy answers 503 at once, and nothing reaches the car', {
    skip: redisSkip(),
  }, async () => {
    const redis = await startRedis();
    const sim = await startSimulator({ vehicles: simulatedCars(1) });
    const simKey = join(dir, 'sim-key.pem');
    const key = PrivateKey.generate();
    sim.fleet.pairKey(key.publicKey);
    await writeFile(simKey, key.toPem('pkcs8'), { mode: 0o600 });
    const vin = sim.vins[0] ?? '';
    const p = await startProxyProcess({
      keyFile: simKey,
      configDir: join(dir, 'lost-config'),
      fleetApiUrl: sim.url,
      args: ['--redis', redis.url],
    });
    const post = () =>
      fetch(`${p.url}/api/1/vehicles/${vin}/command/door_lock`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' },
        body: '{}',
      });
    try {
      assert.equal((await post()).status, 200);
      await redis.stop();
      const before = sim.fleet.counter.snapshot().total;
      const res = await post();
      assert.equal(res.status, 503);
      const body = (await res.json()) as { error: string; error_description: string };
      assert.match(body.error, /state store unavailable: the command did not run/);
      assert.match(body.error_description, /nothing was sent.*retry/);
      assert.equal(sim.fleet.counter.snapshot().total, before, 'no Fleet request');
    } finally {
      await p.stop();
      await sim.close();
      await redis.stop();
    }
  });

  test('a reachable Redis is used, and named in the start line', {
    skip: redisSkip(),
  }, async () => {
    const redis = await startRedis();
    try {
      const p = await startProxyProcess({
        keyFile,
        configDir: env.TESLA_MCP_CONFIG_DIR ?? '',
        fleetApiUrl: 'http://127.0.0.1:9',
        args: ['--redis', redis.url],
      });
      assert.match(p.output(), new RegExp(`state: redis 127\\.0\\.0\\.1:${redis.port}`));
      assert.equal((await fetch(`${p.url}/health`)).status, 200);
      assert.equal(await p.stop(), 0);
    } finally {
      await redis.stop();
    }
  });
});
