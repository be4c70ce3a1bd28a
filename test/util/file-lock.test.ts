import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { acquireLock, FileLockTimeoutError, withLock } from '../../src/util/file-lock.js';

async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-lock-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const HOUR_AGO = () => new Date(Date.now() - 3_600_000);

/** A lock whose owner this machine cannot check (another host), last renewed an hour ago. */
function writeExpired(path: string, id = 'a1b2c3d4e5f60718') {
  writeFileSync(path, JSON.stringify({ pid: 1, host: 'elsewhere', id, lease_ms: 30_000 }));
  utimesSync(path, HOUR_AGO(), HOUR_AGO());
}

function ownerId(path: string): string {
  return (JSON.parse(readFileSync(path, 'utf8')) as { id: string }).id;
}

test('a held lock makes others wait; release lets the next in; withLock releases on throw', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'x.lock');
    const a = await acquireLock(path);
    assert.equal(ownerId(path), a.id);
    const rec = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    assert.equal(rec.pid, process.pid);
    await assert.rejects(acquireLock(path, { timeoutMs: 50 }), (err: unknown) => {
      assert.ok(err instanceof FileLockTimeoutError);
      assert.match(err.message, new RegExp(`held by process ${process.pid}`));
      return true;
    });
    assert.equal(await a.held(), true);
    await a.release();
    assert.equal(existsSync(path), false);
    await assert.rejects(
      withLock(path, async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(existsSync(path), false, 'released after the throw');
    assert.equal(await withLock(path, async () => 'ran', { timeoutMs: 0 }), 'ran');
  } finally {
    await cleanup();
  }
});

test('twenty waiters on one expired lock: one holder at a time, each gets its turn', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'x.lock');
    writeExpired(path);
    let inside = 0;
    let most = 0;
    let turns = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withLock(
          path,
          async (lock) => {
            inside++;
            most = Math.max(most, inside);
            assert.equal(await lock.held(), true);
            await new Promise((r) => setImmediate(r));
            turns++;
            inside--;
          },
          { pollMs: 2 },
        ),
      ),
    );
    assert.equal(most, 1, 'never two holders');
    assert.equal(turns, 20);
    assert.equal(existsSync(path), false);
  } finally {
    await cleanup();
  }
});

test('a lock held by a process that was killed is taken over at once (no lease wait)', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'x.lock');
    const mod = new URL('../../src/util/file-lock.ts', import.meta.url).href;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { acquireLock } from ${JSON.stringify(mod)};
         await acquireLock(${JSON.stringify(path)}, { leaseMs: 3_600_000 });
         process.kill(process.pid, 'SIGKILL');`,
      ],
      { stdio: 'inherit' },
    );
    await once(child, 'exit');
    const dead = JSON.parse(readFileSync(path, 'utf8')) as { pid: number };
    assert.equal(dead.pid, child.pid);
    // Its lease has an hour to run, but its owner is gone.
    const lock = await acquireLock(path, { timeoutMs: 0 });
    assert.equal(ownerId(path), lock.id);
    await lock.release();
  } finally {
    await cleanup();
  }
});

test('a holder whose lease ran out and was taken over does not delete the new owner on release', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'x.lock');
    const a = await acquireLock(path, { leaseMs: 3_000 });
    // a hangs past its lease (as a suspended machine would): its lock file looks abandoned.
    writeFileSync(path, JSON.stringify({ pid: 1, host: 'elsewhere', id: a.id, lease_ms: 3_000 }));
    utimesSync(path, HOUR_AGO(), HOUR_AGO());
    const b = await acquireLock(path, { timeoutMs: 0 });
    assert.equal(await a.held(), false);
    await a.release();
    assert.equal(await b.held(), true, "a's release left b's lock in place");
    assert.equal(ownerId(path), b.id);
    await b.release();
    assert.equal(existsSync(path), false);
  } finally {
    await cleanup();
  }
});

test('a waiter that crashed while breaking a stale lock does not block the next one', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'x.lock');
    writeExpired(path, 'feedfacecafe0001');
    // The crashed breaker's election file: its own lease long over.
    writeExpired(`${path}.feedfacecafe0001.break`, 'feedfacecafe0002');
    const lock = await acquireLock(path, { timeoutMs: 0 });
    assert.equal(ownerId(path), lock.id);
    await lock.release();
  } finally {
    await cleanup();
  }
});

test('scratch and break files older than 10 minutes are swept when the lock is taken', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'x.lock');
    const old = join(dir, 'x.lock.0123456789abcdef.new');
    const oldBreak = join(dir, 'x.lock.0123456789abcdef.break');
    const fresh = join(dir, 'x.lock.fedcba9876543210.new');
    const other = join(dir, 'y.lock.0123456789abcdef.new');
    for (const f of [old, oldBreak, fresh, other]) writeFileSync(f, '{}');
    const eleven = new Date(Date.now() - 11 * 60_000);
    for (const f of [old, oldBreak, other]) utimesSync(f, eleven, eleven);
    await withLock(path, async () => {});
    assert.equal(existsSync(old), false);
    assert.equal(existsSync(oldBreak), false);
    assert.equal(existsSync(fresh), true, 'a fresh one may be a live waiter');
    assert.equal(existsSync(other), true, "another lock's files are not touched");
  } finally {
    await cleanup();
  }
});
