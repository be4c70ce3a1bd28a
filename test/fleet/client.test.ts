import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenManager } from '../../src/fleet/auth.js';
import { FleetClient } from '../../src/fleet/client.js';
import { FleetApiError, WakeBudgetError } from '../../src/fleet/errors.js';
import { createFleetClient } from '../../src/fleet/index.js';
import { parseWakeBudget } from '../../src/fleet/wake.js';
import { PrivateKey, signFleetTelemetryConfig, verifyJws } from '../../src/signing/index.js';
import { MemoryStateStore } from '../../src/vehicle/memory-store.js';
import {
  fakeFleet,
  fakeJwt,
  type Handler,
  NA,
  splitPath,
  VIN,
  VIN2,
} from '../helpers/fleet-mock.js';

const TOKEN = fakeJwt({ aud: [NA] }, 'client');

function make(handler: Handler, extra: Partial<ConstructorParameters<typeof FleetClient>[0]> = {}) {
  const { agent, seen } = fakeFleet(handler);
  const c = new FleetClient({
    tokens: new TokenManager({ fixedToken: TOKEN }),
    dispatcher: agent,
    ...extra,
  });
  return { c, seen };
}

test('signedCommand posts {"routable_message": b64} and returns the decoded response', async () => {
  const { c, seen } = make(() => ({
    status: 200,
    body: { response: Buffer.from([9, 8, 7]).toString('base64') },
  }));
  const out = await c.signedCommand(VIN, new Uint8Array([1, 2, 3, 255]));
  assert.deepEqual([...out], [9, 8, 7]);
  assert.equal(seen[0]?.method, 'POST');
  assert.equal(seen[0]?.path, `/api/1/vehicles/${VIN}/signed_command`);
  assert.deepEqual(JSON.parse(seen[0]?.body ?? ''), {
    routable_message: Buffer.from([1, 2, 3, 255]).toString('base64'),
  });
  assert.equal(seen[0]?.headers['content-type'], 'application/json');
});

test('signedCommand with a null response is an unknown outcome', async () => {
  const { c } = make(() => ({ status: 200, body: { response: null } }));
  await assert.rejects(
    c.signedCommand(VIN, new Uint8Array([1])),
    (e: unknown) => e instanceof FleetApiError && e.mayHaveExecuted,
  );
});

test('a VIN in lower case is accepted and upper-cased', async () => {
  const { c, seen } = make(() => ({ status: 200, body: { response: { state: 'asleep' } } }));
  assert.equal((await c.vehicle('5yj3e1ea1pf000001')).vin, '5YJ3E1EA1PF000001');
  assert.equal(seen[0]?.path, '/api/1/vehicles/5YJ3E1EA1PF000001');
});

test('a VIN with I, O or Q, or a path in its place, is refused before any request', async () => {
  const { c, seen } = make(() => ({ status: 200, body: { response: { state: 'asleep' } } }));
  for (const bad of ['5YJ3SIM0000000001', '5YJ3E1EA1PF00000O', '..%2F..%2F..%2Fxyz']) {
    await assert.rejects(c.vehicle(bad), RangeError, bad);
  }
  assert.equal(seen.length, 0);
});

test('restCommand sends the original body and returns result and reason', async () => {
  const { c, seen } = make(() => ({
    status: 200,
    body: { response: { result: false, reason: 'already_set' } },
  }));
  assert.deepEqual(await c.restCommand(VIN, 'set_charge_limit', { percent: 80 }), {
    result: false,
    reason: 'already_set',
  });
  assert.deepEqual(JSON.parse(seen[0]?.body ?? ''), { percent: 80 });
});

test('wakeUp sends a null body; vehicle() reads the state and never wakes', async () => {
  const { c, seen } = make((r) => ({
    status: 200,
    body: {
      response: {
        vin: VIN,
        state: r.path.endsWith('wake_up') ? 'asleep' : 'online',
        display_name: 'Red',
      },
    },
  }));
  assert.deepEqual(await c.wakeUp(VIN), { vin: VIN, state: 'asleep', displayName: 'Red' });
  assert.equal(seen[0]?.body, 'null');
  assert.deepEqual(await c.vehicle(VIN), { vin: VIN, state: 'online', displayName: 'Red' });
  assert.equal(seen.filter((s) => s.path.endsWith('wake_up')).length, 1);
});

test('the wake budget refuses with a clear message, before any request, per vehicle', async () => {
  let now = 1_000_000;
  const { c, seen } = make(() => ({ status: 200, body: { response: { state: 'online' } } }), {
    wakeBudget: parseWakeBudget('2/h'),
    now: () => now,
  });
  await c.wakeUp(VIN);
  now += 60_000;
  await c.wakeUp(VIN);
  await assert.rejects(c.wakeUp(VIN), (e: unknown) => {
    assert.ok(e instanceof WakeBudgetError);
    assert.equal(e.retryAfterSeconds, 3540);
    assert.match(e.message, /wake budget 2\/h spent.*retry after 3540 s.*TESLA_WAKE_BUDGET/);
    return true;
  });
  assert.equal(seen.length, 2);
  await c.wakeUp(VIN2);
  assert.equal(c.wakesRemaining(VIN), 0);
  now += 3_600_000;
  assert.equal(c.wakesRemaining(VIN), 2);
  await c.wakeUp(VIN);
});

test('a shared wake budget (the state store of --redis) counts the wakes of every instance', async () => {
  const now = 1_000_000;
  const store = new MemoryStateStore();
  const o = {
    wakeBudget: parseWakeBudget('2/h'),
    now: () => now,
    sharedWakes: store.takeWake.bind(store),
  };
  const [a, b] = [
    make(() => ({ status: 200, body: { response: { state: 'online' } } }), o),
    make(() => ({ status: 200, body: { response: { state: 'online' } } }), o),
  ];
  await a.c.wakeUp(VIN);
  await b.c.wakeUp(VIN);
  await assert.rejects(
    a.c.wakeUp(VIN),
    (e: unknown) => e instanceof WakeBudgetError && e.retryAfterSeconds === 3600,
  );
  await assert.rejects(b.c.wakeUp(VIN), WakeBudgetError);
  assert.equal(a.seen.length + b.seen.length, 2, 'no request after the shared budget ran out');
  await a.c.wakeUp(VIN2);
});

test('parseWakeBudget', () => {
  assert.deepEqual(parseWakeBudget(undefined), { count: 6, windowMs: 3_600_000, text: '6/h' });
  assert.equal(parseWakeBudget('3/m')?.windowMs, 60_000);
  assert.equal(parseWakeBudget('unlimited'), undefined);
  assert.throws(() => parseWakeBudget('lots'), /TESLA_WAKE_BUDGET/);
});

test('wakeAndWait: one wake, then bounded polls with backoff until online', async () => {
  let now = 0;
  const sleeps: number[] = [];
  let polls = 0;
  const { c, seen } = make(
    (r) => {
      if (r.path.endsWith('wake_up'))
        return { status: 200, body: { response: { state: 'asleep' } } };
      polls++;
      return { status: 200, body: { response: { state: polls >= 3 ? 'online' : 'asleep' } } };
    },
    {
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
      now: () => now,
    },
  );
  const r = await c.wakeAndWait(VIN, { timeoutMs: 60_000 });
  assert.deepEqual(r, { vin: VIN, state: 'online', polls: 3, elapsedSeconds: 14 });
  assert.deepEqual(sleeps, [2000, 4000, 8000]);
  assert.equal(seen.filter((s) => s.path.endsWith('wake_up')).length, 1);
  assert.equal(c.billingSummary().totals.data, 3, 'the polls are billed as data');
});

test('wakeAndWait stops at the deadline and at the poll bound', async () => {
  let now = 0;
  const { c } = make(() => ({ status: 200, body: { response: { state: 'asleep' } } }), {
    sleep: async (ms) => {
      now += ms;
    },
    now: () => now,
  });
  const a = await c.wakeAndWait(VIN, { timeoutMs: 10_000 });
  assert.equal(a.state, 'asleep');
  assert.equal(now, 10_000);
  const b = await c.wakeAndWait(VIN, { timeoutMs: 10_000_000, maxPolls: 4 });
  assert.equal(b.polls, 4);
});

const TELEMETRY_CONFIG = {
  hostname: 'telemetry.example.com',
  port: 4443,
  ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  fields: { BatteryLevel: { interval_seconds: 60 } },
  exp: 1893456000,
};

test('telemetry create sends {token, vins} to fleet_telemetry_config_jws (fake signer)', async () => {
  const signed: Record<string, unknown>[] = [];
  const { c, seen } = make(() => ({ status: 200, body: { response: { updated_vehicles: 2 } } }), {
    signJws: (cfg) => {
      signed.push(cfg);
      return 'header.payload.signature';
    },
  });
  const r = await c.telemetry.createConfig([VIN, VIN2], TELEMETRY_CONFIG);
  assert.equal(r.updated_vehicles, 2);
  assert.deepEqual(signed, [TELEMETRY_CONFIG]);
  assert.equal(seen[0]?.method, 'POST');
  assert.equal(splitPath(seen[0]?.path ?? '').path, '/api/1/vehicles/fleet_telemetry_config_jws');
  assert.deepEqual(JSON.parse(seen[0]?.body ?? ''), {
    token: 'header.payload.signature',
    vins: [VIN, VIN2],
  });
});

test('telemetry create with the real Tesla.SS256 signer: the body verifies against our key', async () => {
  const key = PrivateKey.generate();
  const { c, seen } = make(() => ({ status: 200, body: { response: { updated_vehicles: 1 } } }), {
    signJws: (cfg) => signFleetTelemetryConfig(key, cfg),
  });
  await c.telemetry.createConfig([VIN], TELEMETRY_CONFIG);
  const body = JSON.parse(seen[0]?.body ?? '') as { token: string; vins: string[] };
  assert.deepEqual(body.vins, [VIN]);
  const v = verifyJws(body.token, {
    audience: 'com.tesla.fleet.TelemetryClient',
    publicKey: key.publicKey,
    now: 1_700_000_000_000,
  });
  assert.equal(v.header.alg, 'Tesla.SS256');
  assert.equal(v.claims.hostname, 'telemetry.example.com');
  assert.equal(v.claims.port, 4443);
});

test('telemetry create without a signer or hostname fails before any request', async () => {
  const { c, seen } = make(() => ({ status: 200 }));
  await assert.rejects(c.telemetry.createConfig([VIN], TELEMETRY_CONFIG), /keygen/);
  await assert.rejects(
    c.telemetry.createConfig([VIN], { port: 1 }, { signJws: () => 'x' }),
    /hostname/,
  );
  assert.equal(seen.length, 0);
});

test('createFleetClient validates the environment', () => {
  assert.throws(() => createFleetClient({ TESLA_REGION: 'mars' }), /unknown TESLA_REGION 'mars'/);
  assert.throws(
    () => createFleetClient({ TESLA_FLEET_API_URL: 'http://example.com' }),
    /only for loopback/,
  );
  assert.throws(() => createFleetClient({ TESLA_WAKE_BUDGET: 'x' }), /TESLA_WAKE_BUDGET/);
  const { client } = createFleetClient({
    TESLA_ACCESS_TOKEN: 'abc',
    TESLA_REGION: 'eu',
    TESLA_MCP_CONFIG_DIR: '/nonexistent',
  });
  assert.ok(client instanceof FleetClient);
});
