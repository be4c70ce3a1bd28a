import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenManager } from '../../src/fleet/auth.js';
import { Billing } from '../../src/fleet/billing.js';
import { FleetClient } from '../../src/fleet/client.js';
import { FleetApiError } from '../../src/fleet/errors.js';
import { checkBaseUrl } from '../../src/fleet/regions.js';
import { EU, fakeFleet, fakeJwt, NA, VIN } from '../helpers/fleet-mock.js';

const TOKEN = fakeJwt({ aud: [NA], ou_code: 'NA', scp: ['vehicle_device_data'] }, 'http-test');

function client(
  handler: Parameters<typeof fakeFleet>[0],
  extra: Partial<ConstructorParameters<typeof FleetClient>[0]> = {},
) {
  const { agent, seen } = fakeFleet(handler);
  const billing = new Billing();
  const c = new FleetClient({
    tokens: new TokenManager({ fixedToken: TOKEN }),
    dispatcher: agent,
    billing,
    ...extra,
  });
  return { c, seen, billing };
}

test('a 2xx answer is unwrapped from its response member and sent with the bearer token', async () => {
  const { c, seen } = client(() => ({
    status: 200,
    body: { response: [{ vin: VIN, state: 'asleep' }] },
  }));
  const list = await c.vehicles.list({ page: 2, perPage: 10 });
  assert.deepEqual(list, [{ vin: VIN, state: 'asleep' }]);
  assert.equal(seen.length, 1);
  assert.equal(seen[0]?.origin, NA);
  assert.equal(seen[0]?.path, '/api/1/vehicles?page=2&per_page=10');
  assert.equal(seen[0]?.headers.authorization, `Bearer ${TOKEN}`);
  assert.match(seen[0]?.headers['user-agent'] ?? '', /^tesla-mcp\//);
});

test('the token audience picks the region when nothing else is set', async () => {
  const euToken = fakeJwt({ aud: [NA, EU], ou_code: 'EU' });
  const { c, seen } = client(() => ({ status: 200, body: { response: {} } }), {
    tokens: new TokenManager({ fixedToken: euToken }),
  });
  await c.user.me();
  assert.equal(seen[0]?.origin, EU);
});

test('421 on a GET switches to the named Tesla host, retries once, and keeps the host', async () => {
  const { c, seen } = client((r) =>
    r.origin === NA
      ? {
          status: 421,
          body: { response: null, error: `user out of region, use base URL: ${EU}, see docs` },
        }
      : { status: 200, body: { response: { region: 'eu', fleet_api_base_url: EU } } },
  );
  const r = await c.user.region();
  assert.equal(r.region, 'eu');
  assert.deepEqual(
    seen.map((s) => s.origin),
    [NA, EU],
  );
  await c.user.me();
  assert.equal(seen[2]?.origin, EU, 'later calls go to the learned host');
  assert.equal(c.http.learnedBaseUrl, EU);
});

test('421 on a POST is returned with baseUrl (not retried), and the next call uses the new host', async () => {
  const { c, seen } = client((r) =>
    r.origin === NA
      ? { status: 421, body: { error: `use base URL: ${EU}` } }
      : { status: 200, body: { response: { result: true, reason: '' } } },
  );
  await assert.rejects(c.restCommand(VIN, 'honk_horn', {}), (e: unknown) => {
    assert.ok(e instanceof FleetApiError);
    assert.equal(e.status, 421);
    assert.equal(e.code, 'region');
    assert.equal(e.baseUrl, EU);
    assert.equal(e.mayHaveExecuted, false);
    return true;
  });
  assert.equal(seen.length, 1, 'the POST is not retried');
  assert.deepEqual(await c.restCommand(VIN, 'honk_horn', {}), { result: true, reason: '' });
  assert.equal(seen[1]?.origin, EU);
});

test('421 naming a host outside tesla.com / tesla.cn is refused', async () => {
  const { c, seen } = client(() => ({
    status: 421,
    body: { error: 'use base URL: https://fleet-api.evil.example' },
  }));
  await assert.rejects(c.user.me(), (e: unknown) => {
    assert.ok(e instanceof FleetApiError);
    assert.equal(e.status, 421);
    assert.equal(e.baseUrl, undefined);
    assert.match(e.message, /TESLA_REGION/);
    return true;
  });
  assert.equal(seen.length, 1);
  assert.equal(c.http.learnedBaseUrl, undefined);
});

test('429 is surfaced at once with Retry-After as data, never retried', async () => {
  const { c, seen } = client(() => ({
    status: 429,
    body: { error: 'too many requests' },
    headers: { 'retry-after': '42' },
  }));
  await assert.rejects(c.vehicle(VIN), (e: unknown) => {
    assert.ok(e instanceof FleetApiError);
    assert.equal(e.code, 'rate_limited');
    assert.equal(e.retryAfterSeconds, 42);
    assert.match(e.message, /retry after 42 s/);
    return true;
  });
  assert.equal(seen.length, 1);
});

test('429 with RateLimit-Reset only', async () => {
  const { c } = client(() => ({ status: 429, headers: { 'ratelimit-reset': '3600' } }));
  await assert.rejects(
    c.vehicle(VIN),
    (e: unknown) => e instanceof FleetApiError && e.retryAfterSeconds === 3600,
  );
});

test('a 5xx answer to a POST is not retried and may have executed', async () => {
  const { c, seen } = client(() => ({ status: 500, body: { error: 'internal' } }));
  await assert.rejects(c.restCommand(VIN, 'flash_lights', {}), (e: unknown) => {
    assert.ok(e instanceof FleetApiError);
    assert.equal(e.mayHaveExecuted, true);
    return true;
  });
  assert.equal(seen.length, 1);
});

test('a dropped connection on a POST: status 0, may have executed; on a GET: not', async () => {
  const { agent } = fakeFleet(() => ({ status: 200 }), []);
  agent
    .get(NA)
    .intercept({ path: () => true, method: () => true })
    .replyWithError(new Error('socket hang up'))
    .persist();
  const c = new FleetClient({ tokens: new TokenManager({ fixedToken: TOKEN }), dispatcher: agent });
  await assert.rejects(c.restCommand(VIN, 'door_lock', {}), (e: unknown) => {
    assert.ok(e instanceof FleetApiError);
    assert.equal(e.status, 0);
    assert.equal(e.code, 'unknown_outcome');
    assert.equal(e.mayHaveExecuted, true);
    return true;
  });
  await assert.rejects(
    c.vehicle(VIN),
    (e: unknown) =>
      e instanceof FleetApiError && e.status === 0 && !e.mayHaveExecuted && e.code === 'network',
  );
});

function slowAgent() {
  const { agent } = fakeFleet(() => ({ status: 200 }), []);
  agent
    .get(NA)
    .intercept({ path: () => true, method: () => true })
    .reply(200, { response: {} })
    .delay(1500)
    .persist();
  return agent;
}

test('every request has a timeout', async () => {
  const c = new FleetClient({
    tokens: new TokenManager({ fixedToken: TOKEN }),
    dispatcher: slowAgent(),
    timeoutMs: 50,
  });
  await assert.rejects(
    c.user.me(),
    (e: unknown) => e instanceof FleetApiError && e.status === 0 && /timed out/.test(e.message),
  );
});

test('response bodies are bounded', async () => {
  const { c } = client(() => ({ status: 200, body: { response: 'x'.repeat(5000) } }), {
    maxBodyBytes: 1000,
  });
  await assert.rejects(
    c.user.me(),
    (e: unknown) => e instanceof FleetApiError && /larger than 1000 bytes/.test(e.message),
  );
});

test('a caller abort is passed through as the abort, not as a Fleet error', async () => {
  const ac = new AbortController();
  const c = new FleetClient({
    tokens: new TokenManager({ fixedToken: TOKEN }),
    dispatcher: slowAgent(),
  });
  setTimeout(() => ac.abort(new Error('stop')), 20);
  await assert.rejects(c.user.me(ac.signal), /stop/);
});

test('TESLA_FLEET_API_URL: https anywhere, http only for loopback', () => {
  assert.equal(checkBaseUrl('http://127.0.0.1:8080/'), 'http://127.0.0.1:8080');
  assert.equal(checkBaseUrl('http://localhost:9'), 'http://localhost:9');
  assert.equal(checkBaseUrl('https://fleet.example.com'), 'https://fleet.example.com');
  assert.throws(() => checkBaseUrl('http://fleet.example.com'), /only for loopback/);
  assert.throws(() => checkBaseUrl('ftp://x'), /https/);
  assert.throws(() => checkBaseUrl('not a url'), /not a URL/);
  assert.throws(() => checkBaseUrl('https://u:p@x.com'), /credentials/);
});

test('an explicit base URL is used for every call', async () => {
  const { agent, seen } = fakeFleet(
    () => ({ status: 200, body: { response: {} } }),
    ['http://127.0.0.1:9999'],
  );
  const c = new FleetClient({
    tokens: new TokenManager({ fixedToken: TOKEN }),
    dispatcher: agent,
    baseUrl: 'http://127.0.0.1:9999',
  });
  await c.user.orders();
  assert.equal(seen[0]?.origin, 'http://127.0.0.1:9999');
});

test('region discovery adopts the base URL /users/region names, only if it is a Tesla host', async () => {
  let answer = EU;
  const { c, seen } = client(() => ({
    status: 200,
    body: { response: { region: 'eu', fleet_api_base_url: answer } },
  }));
  assert.deepEqual(await c.discoverRegion(), { region: 'eu', baseUrl: EU });
  await c.user.me();
  assert.equal(seen[1]?.origin, EU);
  answer = 'https://fleet.evil.example';
  const other = client(() => ({
    status: 200,
    body: { response: { region: 'eu', fleet_api_base_url: answer } },
  }));
  assert.deepEqual(await other.c.discoverRegion(), { region: 'eu', baseUrl: NA });
});
