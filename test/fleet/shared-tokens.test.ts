/**
 * Tesla tokens, pending confirmations and secrets at rest in the shared Redis store, against a
 * real redis-server: two instances refresh an expired token once between them (single-use
 * refresh tokens), the record in Redis is sealed (no token in plaintext), a record sealed
 * under another key does not open, and a confirmation issued on one instance is redeemed on
 * another exactly once. Plus the state key itself (derived or TESLA_MCP_STATE_KEY).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TokenManager } from '../../src/fleet/auth.js';
import { SharedTokenStore } from '../../src/fleet/shared-token-store.js';
import { TokenStore } from '../../src/fleet/token-store.js';
import { Confirmations } from '../../src/mcp/confirmations.js';
import { PrivateKey } from '../../src/signing/keys.js';
import { RedisStateStore } from '../../src/vehicle/redis-store.js';
import { openRecord, sealRecord, stateSecretKey } from '../../src/vehicle/state-secrets.js';
import { AUTH, fakeFleet, fakeJwt, NA, type SeenRequest, tempDir } from '../helpers/fleet-mock.js';
import { type RedisServer, redisSkip, startRedis } from '../helpers/redis-server.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('state key', () => {
  test('derived from the command key: the same for one key, another for another key', async () => {
    const a = PrivateKey.generate();
    const k1 = await stateSecretKey({}, a);
    assert.equal(k1.length, 32);
    assert.deepEqual(await stateSecretKey({}, a), k1);
    assert.notDeepEqual(await stateSecretKey({}, PrivateKey.generate()), k1);
    const hex = 'ab'.repeat(32);
    assert.deepEqual(
      await stateSecretKey({ TESLA_MCP_STATE_KEY: hex }, a),
      Uint8Array.from(Buffer.from(hex, 'hex')),
    );
    await assert.rejects(stateSecretKey({ TESLA_MCP_STATE_KEY: 'ab' }, a), /TESLA_MCP_STATE_KEY/);
  });

  test('a sealed record opens only under its key and its name', () => {
    const key = new Uint8Array(32).fill(7);
    const sealed = sealRecord(key, 'tesla', '{"access_token":"secret"}');
    assert.doesNotMatch(sealed, /secret/);
    assert.equal(openRecord(key, 'tesla', sealed), '{"access_token":"secret"}');
    assert.throws(() => openRecord(key, 'other', sealed));
    assert.throws(() => openRecord(new Uint8Array(32).fill(8), 'tesla', sealed));
  });
});

describe('tokens and confirmations in Redis', { skip: redisSkip() }, () => {
  let redis: RedisServer;
  const stores: RedisStateStore[] = [];
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const s of stores) await s.close();
    await redis?.stop();
  });
  const connect = async (fp: string) => {
    const s = await RedisStateStore.connect({ url: redis.url, keyFingerprint: fp });
    stores.push(s);
    return s;
  };

  test('two instances refresh an expired token once, and Redis holds it sealed', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const key = new Uint8Array(32).fill(3);
      // The local token file `login` wrote seeds the shared record on first use.
      const file = new TokenStore(join(dir, 'tokens.json'));
      await file.write({
        access_token: 'expired-access',
        refresh_token: 'refresh-0-secret-value',
        expires_at: NOW / 1000 - 60,
      });
      let refreshes = 0;
      const { agent } = fakeFleet((r: SeenRequest) => {
        if (r.origin !== AUTH) return { status: 404, body: {} };
        const form = new URLSearchParams(r.body ?? '');
        if (form.get('refresh_token') !== 'refresh-0-secret-value') {
          return { status: 401, body: { error: 'login_required' } };
        }
        refreshes++;
        return {
          status: 200,
          body: {
            access_token: fakeJwt({ aud: [NA], ou_code: 'NA', exp: NOW / 1000 + 28_800 }, 'new'),
            refresh_token: 'refresh-1-secret-value',
            expires_in: 28_800,
            token_type: 'Bearer',
          },
        };
      });
      const managers = await Promise.all(
        [0, 1].map(async () => {
          const s = await connect('tokens-fp');
          return new TokenManager({
            store: new SharedTokenStore({
              records: s.records('tokens'),
              lock: (name, o) => s.lock(name, o),
              key,
              description: s.description,
              seed: file,
            }),
            clientId: 'client-id',
            dispatcher: agent,
            now: () => NOW,
          });
        }),
      );
      const [a, b] = await Promise.all(managers.map((m) => m.accessToken()));
      assert.equal(refreshes, 1, 'one refresh for both instances');
      assert.equal(a, b);
      const raw = await (await connect('tokens-fp')).records('tokens').get('tesla');
      assert.ok(raw);
      assert.doesNotMatch(raw, /secret-value|access|eyJ/);
      // Another state key cannot read them, and says what to do.
      const other = await connect('tokens-fp');
      const foreign = new SharedTokenStore({
        records: other.records('tokens'),
        lock: (name, o) => other.lock(name, o),
        key: new Uint8Array(32).fill(4),
        description: other.description,
      });
      await assert.rejects(foreign.read(), /TESLA_MCP_STATE_KEY/);
    } finally {
      await cleanup();
    }
  });

  test('a confirmation issued on one instance is redeemed on another, once', async () => {
    const [s1, s2] = [await connect('confirm-fp'), await connect('confirm-fp')];
    const one = new Confirmations({ store: s1.records('confirmations') });
    const two = new Confirmations({ store: s2.records('confirmations') });
    const call = { tool: 'door_unlock', session: 's-1', args: { vin: '5YJ3E1EA7KF000001' } };
    const { token } = await one.issue(call);
    assert.equal(await two.redeem(token, call), 'ok');
    assert.equal(await one.redeem(token, call), 'unknown');
  });
});
