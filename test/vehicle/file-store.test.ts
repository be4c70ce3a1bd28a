import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FileStateStore } from '../../src/vehicle/file-store.js';
import { keyFingerprint } from '../../src/vehicle/pairing.js';
import { SessionCache } from '../../src/vehicle/session-cache.js';
import { nodeKey } from '../helpers/node-key.js';
import { sessionOf, stateStoreContract } from '../helpers/state-store-contract.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-file-store-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const FP = keyFingerprint(nodeKey().publicKey);
const VIN = '5YJ3E1EA7JF000001';

describe('file state store', () => {
  // Each handle is a separate FileStateStore on the same file, as two processes would hold.
  stateStoreContract(
    'file',
    async (id) => new FileStateStore({ path: join(dir, `${id}.json`), keyFingerprint: FP }),
  );

  test('the file stays a session cache: 0600, readable by SessionCache, lock beside it', async () => {
    const path = join(dir, 'compat.json');
    const s = new FileStateStore({ path, keyFingerprint: FP });
    await s.putSession(VIN, 3, sessionOf(7, 12));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const cache = await SessionCache.open({ path, keyFingerprint: FP });
    assert.ok(cache.get(VIN, 3));
    await assert.rejects(stat(`${path}.lock`), { code: 'ENOENT' });
  });

  test("a lease of a process that has exited is free at once; another key's file is ignored", async () => {
    const path = join(dir, 'dead.json');
    const warnings: string[] = [];
    const s = new FileStateStore({ path, keyFingerprint: FP, warn: (m) => warnings.push(m) });
    await s.putSession(VIN, 2, sessionOf(1, 1));
    const f = JSON.parse(await readFile(path, 'utf8'));
    const lease = { id: 'x', pid: 2 ** 22 + 17, host: '', until: Date.now() + 3_600_000 };
    // Same host as ours: the pid no longer runs, so the lease is dropped without waiting.
    const { LOCK_HOST } = await import('../../src/util/file-lock.js');
    f.leases = { [`vcsec/${VIN}`]: [{ ...lease, host: LOCK_HOST }] };
    await writeFile(path, JSON.stringify(f));
    const held = await s.lockVcsec(VIN, { leaseMs: 1000, signal: AbortSignal.timeout(2000) });
    await held.release();
    await writeFile(path, JSON.stringify({ ...f, key: 'other' }));
    assert.equal(await s.getSession(VIN, 2), undefined);
    assert.match(warnings.join('\n'), /another key/);
  });
});
