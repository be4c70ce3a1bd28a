/**
 * Where the proxy is better than Tesla's Go proxy on purpose, each against the
 * simulator: lazy per-domain handshakes, `wake_up` without a session, sessions that survive a
 * restart, REST fallback with the original body sent once, vehicle errors that keep their
 * meaning, and no blind resend of non-idempotent commands.
 */
import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import {
  APP_DOMAIN,
  command,
  type Harness,
  harness,
  LEGACY,
  OK_BODY,
  UNPAIRED,
  VIN,
} from '../helpers/proxy-harness.js';

const SIGNED = 'POST signed_command';

describe('sessions and request counts', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.close());

  it('handshakes only the domain a command needs', async () => {
    assert.deepEqual((await command(h, 'door_lock')).json, OK_BODY);
    assert.equal(h.count(SIGNED), 2, 'VCSEC handshake + command, no Infotainment handshake');
    assert.deepEqual((await command(h, 'flash_lights')).json, OK_BODY);
    assert.equal(h.count(SIGNED), 4, 'Infotainment handshake + command');
    await command(h, 'flash_lights');
    assert.equal(h.count(SIGNED), 5, 'a warm session costs one request');
  });

  it('sessions survive a restart: one Fleet request per command afterwards', async () => {
    await command(h, 'door_lock');
    await command(h, 'flash_lights');
    await h.restart();
    h.sim.fleet.counter.reset();
    assert.deepEqual((await command(h, 'door_unlock')).json, OK_BODY);
    assert.equal(h.count(SIGNED), 1);
    assert.deepEqual((await command(h, 'honk_horn')).json, OK_BODY);
    assert.equal(h.count(SIGNED), 2);
    assert.equal(h.sim.fleet.car(VIN).state.locked, false);
  });

  it('wake_up needs no session and wakes a sleeping car', async () => {
    const car = h.sim.fleet.car(VIN);
    car.sleep();
    const res = await command(h, 'wake_up');
    assert.deepEqual(res.json, OK_BODY);
    assert.equal(h.count(SIGNED), 0);
    assert.equal(h.count('POST wake_up'), 1);
    assert.equal(car.online, true);
  });
});

describe('REST: legacy cars and REST-only commands', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.close());

  it('a legacy car (422) gets the original body on command/{name}, once, no stray 400', async () => {
    assert.deepEqual((await command(h, 'wake_up', {}, LEGACY)).json, OK_BODY);
    const res = await command(h, 'set_charge_limit', { percent: 77 }, LEGACY);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, OK_BODY);
    assert.equal(h.sim.fleet.car(LEGACY).state.chargeLimit, 77);
    assert.equal(h.count(SIGNED), 1, 'one signed attempt, answered 422');
    assert.equal(h.count('POST command/set_charge_limit'), 1);
    // The VIN is now known to take REST: the next command goes straight there, as it came.
    const again = await command(h, 'set_charge_limit', { percent: 78 }, LEGACY);
    assert.equal(again.status, 200);
    assert.equal(h.sim.fleet.car(LEGACY).state.chargeLimit, 78);
    assert.equal(h.count(SIGNED), 1);
    assert.equal(h.count('POST command/set_charge_limit'), 2);
    assert.equal(h.sim.fleet.car(LEGACY).history[0]?.via, 'rest');
  });

  it('a REST-only command is forwarded with its body, once, answered as Tesla answered', async () => {
    const body = {
      type: 'share_ext_content_raw',
      value: { 'android.intent.extra.TEXT': '1 Infinite Loop, Cupertino' },
      locale: 'en-US',
      timestamp_ms: '1700000000000',
    };
    const res = await command(h, 'navigation_request', body);
    assert.equal(res.status, 200, res.text);
    const r = res.json as { response: { result: boolean } };
    assert.equal(r.response.result, true, 'the simulator saw the value param');
    assert.equal(h.count('POST command/navigation_request'), 1);
    assert.equal(h.count(SIGNED), 0);
    assert.equal(h.sim.fleet.car(VIN).history[0]?.name, 'navigation_request');
  });
});

describe('vehicle errors keep their meaning', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.close());

  it('asleep → 408 saying to wake it, nothing ran', async () => {
    h.sim.fleet.car(VIN).sleep();
    const res = await command(h, 'door_lock');
    assert.equal(res.status, 408);
    const body = res.json as { error: string; response: { reason: string } };
    assert.match(body.error, /offline or asleep/);
    assert.match(body.response.reason, /wake_up/);
  });

  it('key not paired → 412 with the pairing link', async () => {
    const res = await command(h, 'door_lock', {}, UNPAIRED);
    assert.equal(res.status, 412, res.text);
    const body = res.json as { error: string; response: { reason: string } };
    assert.match(body.error, /public key has not been paired/);
    assert.ok(body.response.reason.includes(`https://tesla.com/_ak/${APP_DOMAIN}`));
  });

  it('rate limited → 429 with Retry-After', async () => {
    h.sim.fleet.injectHttp({
      status: 429,
      retryAfterSeconds: 42,
      vin: VIN,
      endpoint: 'signed_command',
    });
    const res = await command(h, 'door_lock');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '42');
    assert.match((res.json as { error_description: string }).error_description, /42 s/);
  });

  it('a lost reply to a non-idempotent command is not resent; the answer says it may have run', async () => {
    await command(h, 'honk_horn'); // warm the Infotainment session
    const before = h.count(SIGNED);
    h.sim.fleet.dropNextReply(VIN);
    const res = await command(h, 'honk_horn');
    assert.equal(res.status, 504);
    assert.match(
      (res.json as { response: { reason: string } }).response.reason,
      /may have executed/,
    );
    assert.equal(h.count(SIGNED) - before, 1, 'sent once');
  });

  it('a lost reply to an idempotent command is resent once and succeeds', async () => {
    await command(h, 'door_lock');
    const before = h.count(SIGNED);
    h.sim.fleet.dropNextReply(VIN);
    const res = await command(h, 'door_lock');
    assert.deepEqual(res.json, OK_BODY);
    assert.equal(h.count(SIGNED) - before, 2);
  });

  it('a Fleet API 5xx is never a bare 500 for a vehicle state', async () => {
    h.sim.fleet.injectHttp({ status: 503, vin: VIN, endpoint: 'signed_command' });
    const res = await command(h, 'door_lock');
    assert.equal(res.status, 408);
  });
});

describe('logging', () => {
  let h: Harness;
  const lines: string[] = [];
  after(() => h.close());

  it('verbose logs never contain the token', async () => {
    h = await harness({ verbose: true, log: (l) => lines.push(l) });
    await command(h, 'door_lock');
    await h.call(`/api/1/vehicles/${VIN}/vehicle_data?endpoints=charge_state`);
    assert.ok(lines.some((l) => l.includes('/command/door_lock -> 200')));
    assert.ok(lines.length >= 2);
    for (const l of lines) assert.ok(!l.includes(h.sim.token), 'no token in logs');
    assert.ok(!lines.some((l) => l.includes('endpoints=')), 'no query strings in logs');
  });
});
