/**
 * The Redis store against a real redis-server (test/helpers/redis-server.ts): the store
 * contract, namespacing per command key, and the failure behaviour (not reachable at start:
 * a clear error; lost mid-run: commands fail at once, retryable, nothing sent; back: works).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Dispatcher } from '../../src/vehicle/dispatcher.js';
import { VehicleCommandError } from '../../src/vehicle/errors.js';
import { RedisStateStore } from '../../src/vehicle/redis-store.js';
import { StateStoreError } from '../../src/vehicle/state-store.js';
import { nodeKey } from '../helpers/node-key.js';
import { freePort, type RedisServer, redisSkip, startRedis } from '../helpers/redis-server.js';
import { sessionOf, stateStoreContract } from '../helpers/state-store-contract.js';
import { CLIMATE_ON, LOCK } from '../helpers/vehicle-setup.js';
import { VerifierTransport } from '../helpers/verifier-transport.js';

const VIN = '5YJ3E1EA7JF000001';

describe('redis state store', { skip: redisSkip() }, () => {
  let redis: RedisServer;
  const open: RedisStateStore[] = [];
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const s of open) await s.close();
    await redis?.stop();
  });

  // Each id is its own key namespace, so the tests share one server without seeing each other.
  stateStoreContract('redis', async (id) => {
    const s = await RedisStateStore.connect({ url: redis.url, keyFingerprint: id });
    open.push(s);
    return s;
  });

  test('keys are namespaced per command-key fingerprint', async () => {
    const a = await RedisStateStore.connect({ url: redis.url, keyFingerprint: 'key-a' });
    const b = await RedisStateStore.connect({ url: redis.url, keyFingerprint: 'key-b' });
    open.push(a, b);
    await a.putSession(VIN, 2, sessionOf(1, 9));
    assert.ok(await a.getSession(VIN, 2));
    assert.equal(await b.getSession(VIN, 2), undefined);
    assert.equal(a.description, `redis 127.0.0.1:${redis.port}`);
  });

  test('not reachable at start: an error that says how to fix it, without the password', async () => {
    const port = await freePort();
    await assert.rejects(
      RedisStateStore.connect({ url: `redis://:hunter2@127.0.0.1:${port}`, keyFingerprint: 'x' }),
      (e: Error) =>
        e instanceof StateStoreError &&
        e.message.includes(`127.0.0.1:${port}`) &&
        /start redis-server|TESLA_MCP_REDIS_URL/.test(e.message) &&
        !e.message.includes('hunter2'),
    );
    await assert.rejects(
      RedisStateStore.connect({ url: 'http://127.0.0.1:1', keyFingerprint: 'x' }),
      /TESLA_MCP_REDIS_URL/,
    );
  });

  test('lost mid-run: commands fail at once, retryable, nothing sent; back again: they work', async () => {
    const own = await startRedis();
    const key = nodeKey();
    const transport = new VerifierTransport();
    transport.addCar(VIN).pair(key.publicKey);
    const store = await RedisStateStore.connect({ url: own.url, keyFingerprint: 'lost' });
    const d = new Dispatcher({ key, transport, store });
    try {
      await d.vehicle(VIN).send(LOCK);
      await d.vehicle(VIN).send(CLIMATE_ON);
      await own.stop();
      const sent = transport.signedRequests();
      for (const cmd of [LOCK, CLIMATE_ON]) {
        await assert.rejects(
          d.vehicle(VIN).send(cmd, { timeoutMs: 5000 }),
          (e: Error) =>
            e instanceof VehicleCommandError &&
            e.code === 'state_unavailable' &&
            e.retryable &&
            !e.mayHaveExecuted &&
            /retry/.test(e.message),
        );
      }
      assert.equal(transport.signedRequests(), sent, 'nothing reached the car');
      // The server comes back on the same port (empty: no persistence); the client reconnects.
      const again = await startRedis(own.port);
      try {
        let ok = false;
        for (let i = 0; i < 100 && !ok; i++) {
          ok = await d
            .vehicle(VIN)
            .send(CLIMATE_ON)
            .then(
              () => true,
              () => false,
            );
          if (!ok) await new Promise((r) => setTimeout(r, 50));
        }
        assert.ok(ok, 'commands work again once Redis is back');
        assert.deepEqual(transport.counterRegressions({ acceptedOnly: true }), []);
      } finally {
        await d.close();
        await store.close();
        await again.stop();
      }
    } finally {
      await own.stop();
    }
  });
});
