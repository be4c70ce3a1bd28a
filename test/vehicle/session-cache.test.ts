import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Dispatcher } from '../../src/vehicle/dispatcher.js';
import { keyFingerprint } from '../../src/vehicle/pairing.js';
import { openSessionCache, SessionCache } from '../../src/vehicle/session-cache.js';
import { nodeKey } from '../helpers/node-key.js';
import { CLIMATE_ON, LOCK, setup, VIN } from '../helpers/vehicle-setup.js';
import { VerifierTransport } from '../helpers/verifier-transport.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-cache-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
const nextPath = () => join(dir, `sessions-${++n}.json`);

async function openCache(path: string, fp: string, warnings: string[] = [], maxVehicles?: number) {
  const o: Parameters<typeof SessionCache.open>[0] = {
    path,
    keyFingerprint: fp,
    warn: (m) => warnings.push(m),
  };
  if (maxVehicles !== undefined) o.maxVehicles = maxVehicles;
  return SessionCache.open(o);
}

describe('session cache', () => {
  test('after a restart, a command costs one request on each domain (no handshake)', async () => {
    const path = nextPath();
    const key = nodeKey();
    const fp = keyFingerprint(key.publicKey);
    const a = setup({ key, cache: await openCache(path, fp) });
    await a.vehicle.send(LOCK);
    await a.vehicle.send(CLIMATE_ON);
    await a.dispatcher.close();

    const warnings: string[] = [];
    const b = setup({ key, transport: a.transport, cache: await openCache(path, fp, warnings) });
    const before = a.transport.signedRequests();
    await b.vehicle.send(CLIMATE_ON);
    assert.equal(a.transport.signedRequests() - before, 1);
    await b.vehicle.send(LOCK);
    assert.equal(a.transport.signedRequests() - before, 2);
    assert.deepEqual(warnings, []);
    assert.deepEqual(a.transport.counterRegressions(), []);
  });

  test('the clock offset survives a restart an hour later (expiry stays right)', async () => {
    const path = nextPath();
    const key = nodeKey();
    const fp = keyFingerprint(key.publicKey);
    const clock = { now: 1_700_000_000_000 };
    const transport = new VerifierTransport({ now: () => clock.now });
    const a = setup({ key, transport, now: () => clock.now, cache: await openCache(path, fp) });
    await a.vehicle.send(CLIMATE_ON);
    await a.dispatcher.close();
    clock.now += 3_600_000;
    const b = setup({ key, transport, now: () => clock.now, cache: await openCache(path, fp) });
    const before = transport.signedRequests();
    await b.vehicle.send(CLIMATE_ON);
    assert.equal(transport.signedRequests() - before, 1, 'no TIME_EXPIRED round trip');
  });

  test('the file is JSON, mode 0600, keyed by our fingerprint, and holds no key material', async () => {
    const path = nextPath();
    const key = nodeKey();
    const fp = keyFingerprint(key.publicKey);
    const a = setup({ key, cache: await openCache(path, fp) });
    await a.vehicle.send(LOCK);
    await a.dispatcher.close();
    const st = await stat(path);
    assert.equal(st.mode & 0o777, 0o600);
    const doc = JSON.parse(await readFile(path, 'utf8'));
    assert.equal(doc.key, fp);
    assert.deepEqual(Object.keys(doc.vehicles), [VIN]);
    assert.deepEqual(Object.keys(doc.vehicles[VIN].sessions), ['2']);
    assert.equal(typeof doc.vehicles[VIN].sessions['2'].exportedAt, 'number');
  });

  test('a corrupt file is ignored with a warning, never fatal, and rewritten', async () => {
    const path = nextPath();
    await writeFile(path, '{"version":1,"key":', { mode: 0o600 });
    const key = nodeKey();
    const warnings: string[] = [];
    const s = setup({ key, cache: await openCache(path, keyFingerprint(key.publicKey), warnings) });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /not valid JSON; ignoring it/);
    await s.vehicle.send(LOCK);
    assert.equal(s.transport.signedRequests(), 2);
    await s.dispatcher.close();
    assert.equal(JSON.parse(await readFile(path, 'utf8')).version, 1);
  });

  test('a file of another key is ignored with a warning', async () => {
    const path = nextPath();
    const other = nodeKey();
    const a = setup({ key: other, cache: await openCache(path, keyFingerprint(other.publicKey)) });
    await a.vehicle.send(LOCK);
    await a.dispatcher.close();
    const key = nodeKey();
    const warnings: string[] = [];
    const cache = await openCache(path, keyFingerprint(key.publicKey), warnings);
    assert.equal(cache.size, 0);
    assert.match(warnings[0] ?? '', /belongs to another key/);
  });

  test('malformed entries are skipped with a warning; unusable session info costs a handshake', async () => {
    const path = nextPath();
    const key = nodeKey();
    const fp = keyFingerprint(key.publicKey);
    const doc = {
      version: 1,
      key: fp,
      vehicles: {
        [VIN]: {
          usedAt: 1,
          sessions: { '2': { sessionInfo: 'AAEC', exportedAt: 1 }, '3': { sessionInfo: 7 } },
        },
      },
    };
    await writeFile(path, JSON.stringify(doc));
    const warnings: string[] = [];
    const s = setup({ key, cache: await openCache(path, fp, warnings) });
    assert.match(warnings.join('\n'), /ignored 1 malformed entry/);
    await s.vehicle.send(LOCK);
    assert.equal(s.transport.signedRequests(), 2);
    assert.match(s.warnings.join('\n'), /unusable entry for 5YJ3E1EA7JF000001 domain 2/);
  });

  test('stale cache from another vehicle key: drop, one handshake, success (3 requests)', async () => {
    const path = nextPath();
    const key = nodeKey();
    const fp = keyFingerprint(key.publicKey);
    const a = setup({ key, cache: await openCache(path, fp) });
    await a.vehicle.send(CLIMATE_ON);
    await a.dispatcher.close();
    a.car.replaceKey(3);
    const b = setup({ key, transport: a.transport, cache: await openCache(path, fp) });
    const before = a.transport.signedRequests();
    await b.vehicle.send(CLIMATE_ON);
    assert.equal(a.transport.signedRequests() - before, 3);
    await b.dispatcher.close();
    const c = setup({ key, transport: a.transport, cache: await openCache(path, fp) });
    await c.vehicle.send(CLIMATE_ON);
    assert.equal(a.transport.signedRequests() - before, 4, 'the cache now holds the new session');
    assert.deepEqual(a.transport.counterRegressions({ acceptedOnly: true }), []);
  });

  test('bounded: the least recently used VIN is evicted', async () => {
    const path = nextPath();
    const cache = await openCache(path, 'fp', [], 2);
    const s = { sessionInfo: Uint8Array.of(1, 2, 3), exportedAt: 5 };
    cache.set('VIN1', 2, s);
    cache.set('VIN2', 2, s);
    assert.ok(cache.get('VIN1', 2));
    cache.set('VIN3', 3, s);
    assert.equal(cache.size, 2);
    assert.equal(cache.get('VIN2', 2), undefined);
    assert.deepEqual(cache.get('VIN1', 2), s);
    await cache.flush();
    const again = await openCache(path, 'fp', [], 2);
    assert.deepEqual(again.get('VIN3', 3), s);
    assert.equal(again.get('VIN2', 2), undefined);
  });

  test('TESLA_SESSION_CACHE names the file; "off" disables it', async () => {
    const path = nextPath();
    const cache = await openSessionCache({
      keyFingerprint: 'fp',
      env: { TESLA_SESSION_CACHE: path },
    });
    assert.equal(cache?.path, path);
    assert.equal(
      await openSessionCache({ keyFingerprint: 'fp', env: { TESLA_SESSION_CACHE: 'off' } }),
      undefined,
    );
    const transport = new VerifierTransport();
    const key = nodeKey();
    transport.addCar(VIN, { pair: key.publicKey });
    const d = await Dispatcher.open({ key, transport, env: { TESLA_SESSION_CACHE: 'off' } });
    assert.equal(d.cache, undefined);
    await d.vehicle(VIN).send(LOCK);
    await d.close();
  });
});
