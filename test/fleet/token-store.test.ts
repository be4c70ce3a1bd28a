import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TokenStore } from '../../src/fleet/token-store.js';
import { acquireLock } from '../../src/util/file-lock.js';
import { tempDir } from '../helpers/fleet-mock.js';

test('write is 0600 and read round-trips; remove reports whether there was a file', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const store = new TokenStore(join(dir, 'sub', 'tokens.json'));
    assert.equal(await store.read(), undefined);
    await store.write({ access_token: 'a', refresh_token: 'r', expires_at: 1 });
    assert.equal(statSync(store.path).mode & 0o777, 0o600);
    const t = await store.read();
    assert.equal(t?.access_token, 'a');
    assert.equal(t?.refresh_token, 'r');
    assert.equal(typeof t?.updated_at, 'string');
    assert.equal(await store.remove(), true);
    assert.equal(await store.remove(), false);
  } finally {
    await cleanup();
  }
});

test('a corrupt token file gives an error that says to log in again', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'tokens.json');
    writeFileSync(path, '{"access_tok');
    await assert.rejects(new TokenStore(path).read(), /not valid JSON: run `tesla-mcp login`/);
  } finally {
    await cleanup();
  }
});

test('a writer killed mid-way leaves the old file or the new one, never a torn one', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'tokens.json');
    const store = new TokenStore(path);
    await store.write({ access_token: 'gen-0', refresh_token: 'x'.repeat(2000) });
    // A child process rewrites the file in a tight loop (large bodies, so a kill often lands
    // mid-write); it is killed with SIGKILL, a crash with no cleanup.
    const script = `
      import { TokenStore } from ${JSON.stringify(new URL('../../src/fleet/token-store.ts', import.meta.url).href)};
      const s = new TokenStore(${JSON.stringify(path)});
      for (let i = 1; ; i++) {
        await s.write({ access_token: 'gen-' + i, refresh_token: String(i).repeat(200000) });
        if (i === 3) process.stdout.write('go\\n');
      }`;
    for (let round = 0; round < 3; round++) {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, 5 + round * 7));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as {
        access_token: string;
        refresh_token: string;
      };
      const gen = Number(parsed.access_token.slice(4));
      assert.ok(gen >= 3, 'a completed write is visible');
      assert.equal(parsed.refresh_token, String(gen).repeat(200000), 'the file is whole');
      assert.equal((await store.read())?.access_token, parsed.access_token);
    }
    // Leftover temp files (from the kills) never replace the real file.
    assert.ok(readdirSync(dir).includes('tokens.json'));
  } finally {
    await cleanup();
  }
});

test('temp copies of interrupted writes go once 10 minutes old, only under the lock', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'tokens.json');
    const store = new TokenStore(path);
    await store.write({ access_token: 'a', refresh_token: 'r' });
    const old = join(dir, '.tokens.json.0123456789ab.tmp');
    const fresh = join(dir, '.tokens.json.ba9876543210.tmp');
    const unrelated = join(dir, '.sessions.json.0123456789ab.tmp');
    for (const f of [old, fresh, unrelated]) writeFileSync(f, '{"refresh_token":"copy"}');
    const eleven = new Date(Date.now() - 11 * 60_000);
    for (const f of [old, unrelated]) utimesSync(f, eleven, eleven);

    // Another process holds the lock: nothing is swept, the caller gives up.
    const other = await acquireLock(`${path}.lock`);
    await assert.rejects(
      store.withLock(async () => {}, { timeoutMs: 50 }),
      /locked/,
    );
    assert.ok(existsSync(old));
    await other.release();

    await store.withLock(async () => {});
    assert.equal(existsSync(old), false, 'the old copy is removed');
    assert.ok(existsSync(fresh), 'a fresh one may be a live writer: kept');
    assert.ok(existsSync(unrelated), "another file's temp is not touched");
  } finally {
    await cleanup();
  }
});

test('logout removes the token file and every temp copy, waiting for the lock', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'tokens.json');
    const store = new TokenStore(path);
    await store.write({ access_token: 'a', refresh_token: 'r' });
    const fresh = join(dir, '.tokens.json.ba9876543210.tmp');
    writeFileSync(fresh, '{"refresh_token":"copy"}');
    const other = await acquireLock(`${path}.lock`);
    let done = false;
    const removing = store.remove().then((r) => {
      done = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(done, false, 'logout waits for the holder');
    assert.ok(existsSync(path) && existsSync(fresh));
    await other.release();
    assert.equal(await removing, true);
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.includes('tokens')),
      [],
      'no token file, no copy, no lock left',
    );
  } finally {
    await cleanup();
  }
});
