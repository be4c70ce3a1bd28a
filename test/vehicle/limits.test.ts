import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mutex, Semaphore } from '../../src/vehicle/limits.js';

test('Semaphore admits at most `limit` holders, in FIFO order', async () => {
  const sem = new Semaphore(2);
  let active = 0;
  let peak = 0;
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      sem.run(async () => {
        active++;
        peak = Math.max(peak, active);
        order.push(i);
        await new Promise<void>((r) => setImmediate(r));
        active--;
      }),
    ),
  );
  assert.equal(peak, 2);
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
  assert.equal(sem.active, 0);
});

test('a failing holder frees its slot; release is idempotent', async () => {
  const m = new Mutex();
  await assert.rejects(
    m.run(async () => Promise.reject(new Error('boom'))),
    /boom/,
  );
  const release = await m.acquire();
  release();
  release();
  assert.equal(m.active, 0);
  assert.throws(() => new Semaphore(0), RangeError);
});
