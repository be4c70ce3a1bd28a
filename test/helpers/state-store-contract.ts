/**
 * The behaviour every {@link StateStore} must have (memory, file, Redis), as one suite the
 * store tests call with a factory: counters never handed out twice, the session rules, leases
 * that exclude and expire, the encrypted-answers flag, the wake budget; then two dispatchers on
 * one store and one car, taking turns and at once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeSessionInfo } from '../../src/signing/session-info.js';
import type { ExportedSession } from '../../src/signing/signer.js';
import { Dispatcher } from '../../src/vehicle/dispatcher.js';
import type { StateStore } from '../../src/vehicle/state-store.js';
import { nodeKey } from './node-key.js';
import { CLIMATE_ON, LOCK } from './vehicle-setup.js';
import { VerifierTransport } from './verifier-transport.js';

const VIN = '5YJ3E1EA7JF000001';
const VEHICLE_KEY = nodeKey().publicKey;

export function sessionOf(epochByte: number, counter: number, at = Date.now()): ExportedSession {
  return {
    sessionInfo: encodeSessionInfo({
      counter,
      publicKey: VEHICLE_KEY,
      epoch: new Uint8Array(16).fill(epochByte),
      clockTime: 100,
    }),
    exportedAt: at,
  };
}

const epoch = (b: number) => new Uint8Array(16).fill(b);

/**
 * Registers the contract tests. `open()` gives a fresh, empty store (each call of one test run
 * may give another handle on the same state: `open(shared)` with the same `shared` id).
 */
export function stateStoreContract(name: string, open: (shared: string) => Promise<StateStore>) {
  let n = 0;
  const fresh = () => `${name}-${process.pid}-${++n}`;

  test(`${name}: concurrent reservations never hand out a counter twice`, async () => {
    const id = fresh();
    const [a, b] = [await open(id), await open(id)];
    try {
      await a.putSession(VIN, 3, sessionOf(1, 5));
      const got = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          (i % 2 ? a : b).reserveCounters(VIN, 3, epoch(1), 1, 0),
        ),
      );
      const nums = got.map((c) => {
        assert.ok(c !== undefined);
        return c;
      });
      assert.equal(new Set(nums).size, 60);
      assert.equal(Math.min(...nums), 6);
      assert.equal(Math.max(...nums), 65);
      // A block of 10 follows the highest, and the floor is respected.
      assert.equal(await a.reserveCounters(VIN, 3, epoch(1), 10, 0), 66);
      assert.equal(await b.reserveCounters(VIN, 3, epoch(1), 1, 500), 501);
      // Another epoch, or another domain: nothing to reserve from.
      assert.equal(await a.reserveCounters(VIN, 3, epoch(2), 1, 0), undefined);
      assert.equal(await a.reserveCounters(VIN, 2, epoch(1), 1, 0), undefined);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test(`${name}: a put never lowers the counter of the stored epoch; a new epoch replaces it`, async () => {
    const s = await open(fresh());
    try {
      await s.putSession(VIN, 2, sessionOf(1, 40));
      await s.putSession(VIN, 2, sessionOf(1, 7));
      assert.equal(await s.reserveCounters(VIN, 2, epoch(1), 1, 0), 41);
      await s.putSession(VIN, 2, sessionOf(2, 3));
      assert.equal(await s.reserveCounters(VIN, 2, epoch(1), 1, 0), undefined);
      assert.equal(await s.reserveCounters(VIN, 2, epoch(2), 1, 0), 4);
      // Delete only while the store still holds that epoch.
      await s.deleteSession(VIN, 2, epoch(1));
      assert.ok(await s.getSession(VIN, 2));
      await s.deleteSession(VIN, 2, epoch(2));
      assert.equal(await s.getSession(VIN, 2), undefined);
    } finally {
      await s.close();
    }
  });

  test(`${name}: the encrypted-answers flag outlives the session`, async () => {
    const s = await open(fresh());
    try {
      assert.equal(await s.encryptsResponses(VIN, 3), false);
      await s.putSession(VIN, 3, sessionOf(1, 1));
      await s.setEncryptsResponses(VIN, 3);
      assert.equal((await s.getSession(VIN, 3))?.encryptsResponses, true);
      await s.deleteSession(VIN, 3, epoch(1));
      assert.equal(await s.encryptsResponses(VIN, 3), true);
      assert.equal(await s.encryptsResponses(VIN, 2), false);
    } finally {
      await s.close();
    }
  });

  test(`${name}: the VCSEC lock excludes, a lapsed lease frees it, a wait can be aborted`, async () => {
    const id = fresh();
    const [a, b] = [await open(id), await open(id)];
    try {
      const held = await a.lockVcsec(VIN, { leaseMs: 60_000 });
      await assert.rejects(
        b.lockVcsec(VIN, { leaseMs: 60_000, signal: AbortSignal.timeout(150) }),
        (e: Error) => e.name === 'TimeoutError',
      );
      const waiting = b.lockVcsec(VIN, { leaseMs: 60_000 });
      await held.release();
      const second = await waiting;
      await second.release();
      // A holder that never releases (a crashed instance) blocks only for its lease.
      await a.lockVcsec(VIN, { leaseMs: 200 });
      const after = await b.lockVcsec(VIN, { leaseMs: 60_000, signal: AbortSignal.timeout(5000) });
      await after.release();
      // Another VIN is not blocked.
      const other = await b.lockVcsec('5YJ3E1EA7JF000002', { leaseMs: 1000 });
      await other.release();
    } finally {
      await a.close();
      await b.close();
    }
  });

  test(`${name}: at most \`limit\` Infotainment slots are held at once`, async () => {
    const id = fresh();
    const [a, b] = [await open(id), await open(id)];
    try {
      const held = [
        await a.acquireSlot(VIN, 3, { leaseMs: 60_000 }),
        await b.acquireSlot(VIN, 3, { leaseMs: 60_000 }),
        await a.acquireSlot(VIN, 3, { leaseMs: 60_000 }),
      ];
      await assert.rejects(
        b.acquireSlot(VIN, 3, { leaseMs: 60_000, signal: AbortSignal.timeout(150) }),
        (e: Error) => e.name === 'TimeoutError',
      );
      await held[1]?.release();
      const next = await b.acquireSlot(VIN, 3, {
        leaseMs: 60_000,
        signal: AbortSignal.timeout(5000),
      });
      for (const l of [...held, next]) await l?.release();
    } finally {
      await a.close();
      await b.close();
    }
  });

  test(`${name}: the wake budget is shared`, async () => {
    const id = fresh();
    const [a, b] = [await open(id), await open(id)];
    try {
      const now = 1_000_000;
      assert.deepEqual(await a.takeWake(VIN, 2, 60_000, now), { ok: true });
      assert.deepEqual(await b.takeWake(VIN, 2, 60_000, now + 1000), { ok: true });
      assert.deepEqual(await a.takeWake(VIN, 2, 60_000, now + 2000), {
        ok: false,
        retryAfterSeconds: 58,
      });
      assert.deepEqual(await b.takeWake(VIN, 2, 60_000, now + 60_001), { ok: true });
      await a.countBilling('command', 2);
      await b.countBilling('command', 1);
      assert.equal((await a.billing()).command, 3);
      // At once from two handles: every count lands (HINCRBY, or a change under the file lock).
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).countBilling('2026-12|data', 1)),
      );
      assert.equal((await b.billing())['2026-12|data'], 40);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test(`${name}: two dispatchers on one store take turns: one handshake per domain, no fault`, async () => {
    const id = fresh();
    const key = nodeKey();
    const transport = new VerifierTransport();
    transport.addCar(VIN).pair(key.publicKey);
    const stores = [await open(id), await open(id)];
    const ds = stores.map((store) => new Dispatcher({ key, transport, store }));
    try {
      for (let i = 0; i < 10; i++) {
        const d = ds[i % 2];
        assert.ok(d);
        await d.vehicle(VIN).send(i % 4 < 2 ? LOCK : CLIMATE_ON);
      }
      assert.equal(transport.count('handshake'), 2);
      assert.equal(transport.signedRequests(), 12);
      assert.deepEqual(transport.counterRegressions(), []);
      // At once: every command verifies on the first try (no counter fault, no resend).
      const before = transport.signedRequests();
      await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          ds[i % 2]?.vehicle(VIN).send(i % 3 ? CLIMATE_ON : LOCK),
        ),
      );
      assert.equal(transport.signedRequests() - before, 16);
    } finally {
      for (const d of ds) await d.close();
      for (const s of stores) await s.close();
    }
  });
}
