import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { TokenStore } from '../../src/fleet/token-store.js';
import { tempDir } from '../helpers/fleet-mock.js';

const CHILD = new URL('./refresh-child.ts', import.meta.url).pathname;

/**
 * A loopback token endpoint whose refresh tokens are single-use, as Tesla's are: each grant
 * rotates it, and a spent one is refused with 400 `invalid_grant`.
 */
async function fakeTokenEndpoint() {
  let valid = 'refresh-0';
  let generation = 0;
  let grants = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      grants++;
      const form = new URLSearchParams(body);
      const ok = form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === valid;
      // Answer a little later, as a real endpoint does, so overlapping grants overlap.
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        if (!ok) {
          res.statusCode = 400;
          res.end(JSON.stringify({ error: 'invalid_grant' }));
          return;
        }
        generation++;
        valid = `refresh-${generation}`;
        res.end(
          JSON.stringify({
            access_token: `access-${generation}`,
            refresh_token: valid,
            expires_in: 28800,
          }),
        );
      }, 50);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth2/v3/token`,
    get grants() {
      return grants;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function start(args: string[]): {
  child: ChildProcess;
  lines: string[];
  next: () => Promise<string>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  let buf = '';
  child.stdout?.on('data', (c: Buffer) => {
    buf += c.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const l = lines.shift();
      if (l !== undefined) return resolve(l);
      waiters.push(resolve);
      child.once('exit', () => reject(new Error('child exited without a line')));
    });
  return { child, lines, next };
}

/** Six processes, one expired token, one stale lock: exactly one refresh, all six get it. */
async function round(stale: (lockPath: string, tokenFile: string, url: string) => Promise<void>) {
  const { dir, cleanup } = await tempDir();
  const endpoint = await fakeTokenEndpoint();
  const children: ChildProcess[] = [];
  try {
    const tokenFile = join(dir, 'tokens.json');
    await new TokenStore(tokenFile).write({
      access_token: 'access-0',
      refresh_token: 'refresh-0',
      expires_at: Math.floor(Date.now() / 1000) - 60,
    });
    await stale(`${tokenFile}.lock`, tokenFile, endpoint.url);
    const procs = Array.from({ length: 6 }, () => start([tokenFile, endpoint.url]));
    for (const p of procs) children.push(p.child);
    for (const p of procs) assert.equal(await p.next(), 'ready');
    for (const p of procs) p.child.stdin?.write('go\n');
    const results = await Promise.all(
      procs.map(async (p) => JSON.parse(await p.next()) as { token?: string; error?: string }),
    );
    assert.deepEqual(
      results.map((r) => r.token ?? r.error),
      Array(6).fill('access-1'),
      'all six processes get the one new access token',
    );
    assert.equal(endpoint.grants, 1, 'exactly one refresh reached the token endpoint');
    assert.equal((await new TokenStore(tokenFile).read())?.refresh_token, 'refresh-1');
  } finally {
    for (const c of children) if (c.exitCode === null && c.pid) process.kill(c.pid, 'SIGKILL');
    await endpoint.close();
    await cleanup();
  }
}

test('a lock left by a process killed while holding it: one refresh across six processes', async () => {
  await round(async (_lock, tokenFile, url) => {
    const crashed = start([tokenFile, url, 'crash']);
    assert.equal(await crashed.next(), 'locked');
    await once(crashed.child, 'exit');
  });
});

test('a lock whose lease ran out (a holder on another machine): one refresh across six processes', async () => {
  await round(async (lock) => {
    // An owner this machine cannot check (another host), last renewed two minutes ago.
    writeFileSync(
      lock,
      JSON.stringify({ pid: 1, host: 'elsewhere', id: 'a1b2c3d4e5f60718', lease_ms: 30_000 }),
    );
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
  });
});

test('a stale lock in the old format (a bare pid): one refresh across six processes', async () => {
  await round(async (lock) => {
    writeFileSync(lock, '99999');
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
  });
});
