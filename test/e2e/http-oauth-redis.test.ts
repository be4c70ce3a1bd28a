/**
 * Two `tesla-mcp serve --http --simulator --redis URL` processes, each with its own config folder
 * (so Redis is all they share) and one command key, behind one public URL: a token issued by one
 * is accepted by the other, and a refresh token exchanged on one and replayed on the other
 * revokes the grant on both. The in-process tests (test/mcp/auth/shared-state.test.ts) cover the
 * races; this one checks that `serve` wires the shared OAuth state.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { PrivateKey } from '../../src/signing/keys.js';
import { cliArgs, ROOT } from '../helpers/built-cli.js';
import { freePort, type RedisServer, redisSkip, startRedis } from '../helpers/redis-server.js';
import { postInitialize, postToken, rawTokens, STATIC_CLIENT } from '../mcp/auth/helpers.js';

const PUBLIC_URL = 'http://localhost:8752';

describe('serve --http --redis: OAuth grants across processes', { skip: redisSkip() }, () => {
  const children: ChildProcess[] = [];
  let redis: RedisServer | undefined;
  let dir = '';
  after(async () => {
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      process.kill(child.pid ?? 0, 'SIGTERM');
      await exited;
    }
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const serve = async (name: string, keyFile: string): Promise<string> => {
    const config = join(dir, name);
    await mkdir(config, { recursive: true });
    const port = await freePort();
    const child = spawn(
      process.execPath,
      cliArgs('serve', '--http', '--simulator', '--port', String(port), '--public-url', PUBLIC_URL),
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '',
          HOME: config,
          TESLA_MCP_CONFIG_DIR: config,
          TESLA_PRIVATE_KEY_FILE: keyFile,
          TESLA_MCP_REDIS_URL: redis?.url ?? '',
          MCP_CLIENT_ID: STATIC_CLIENT.clientId,
          MCP_CLIENT_SECRET: STATIC_CLIENT.clientSecret,
        },
      },
    );
    children.push(child);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const collect = (d: Buffer) => {
        out += d.toString();
        if (/^MCP URL: /m.test(out)) resolve();
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      setTimeout(() => reject(new Error(`serve did not start in 30 s: ${out}`)), 30_000).unref();
    });
    return `http://127.0.0.1:${port}`;
  };

  test('a token from one process works on the other; a replay on either revokes it', async () => {
    redis = await startRedis();
    dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-oauth-redis-'));
    const keyFile = join(dir, 'private-key.pem');
    await writeFile(keyFile, PrivateKey.generate().toPem('pkcs8'), { mode: 0o600 });
    const [a, b] = await Promise.all([serve('a', keyFile), serve('b', keyFile)]);
    const t1 = await rawTokens(a);
    assert.equal((await postInitialize(`${b}/mcp`, t1.access_token)).status, 200);
    const r2 = await postToken(b, { grant_type: 'refresh_token', refresh_token: t1.refresh_token });
    assert.equal(r2.status, 200);
    assert.equal((await postInitialize(`${a}/mcp`, String(r2.body.access_token))).status, 200);
    const replay = await postToken(a, {
      grant_type: 'refresh_token',
      refresh_token: t1.refresh_token,
    });
    assert.equal(replay.body.error, 'invalid_grant');
    for (const base of [a, b]) {
      assert.equal((await postInitialize(`${base}/mcp`, String(r2.body.access_token))).status, 401);
    }
  });
});
