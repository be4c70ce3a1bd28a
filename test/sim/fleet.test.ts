import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signFleetTelemetryConfig } from '../../src/signing/jws.js';
import { PrivateKey } from '../../src/signing/keys.js';
import { SimFleet, type SimFleetOptions } from '../../src/sim/fleet.js';
import { SIM_VINS } from '../../src/sim/index.js';
import type { SimResponse } from '../../src/sim/routes.js';
import { FleetHttpError } from '../../src/vehicle/transport.js';
import { fakeClock } from '../helpers/sim-client.js';

const { modern: MODERN, legacy: LEGACY, unpaired: UNPAIRED } = SIM_VINS;

function setup(o: SimFleetOptions = {}) {
  const clock = fakeClock();
  const fleet = new SimFleet({ now: clock.now, token: 'tok', ...o });
  const call = (method: string, path: string, body: unknown = null, auth = 'Bearer tok') => {
    const [p = '', q = ''] = path.split('?');
    return fleet.handle({
      method,
      path: p,
      query: new URLSearchParams(q),
      body,
      authorization: auth,
    });
  };
  return { clock, fleet, call };
}

const json = (r: SimResponse) => r.body as Record<string, unknown> & { response: unknown };

function httpError(status: number, check: (e: FleetHttpError) => boolean = () => true) {
  return (e: unknown) => e instanceof FleetHttpError && e.status === status && check(e);
}

describe('SimFleet: auth, shapes, REST rules', () => {
  it('requires the bearer token and marks every JSON body simulated', () => {
    const { call } = setup();
    assert.equal(call('GET', '/api/1/vehicles', null, 'Bearer nope').status, 401);
    assert.equal(call('GET', '/api/1/vehicles', null, '').status, 401);
    const r = call('GET', '/api/1/vehicles');
    assert.equal(r.status, 200);
    assert.equal(json(r).simulated, true);
    assert.equal(json(r).count, 3);
    const list = json(r).response as { vin: string; state: string }[];
    assert.deepEqual(
      list.map((v) => [v.vin, v.state]),
      [
        [MODERN, 'online'],
        [LEGACY, 'asleep'],
        [UNPAIRED, 'online'],
      ],
    );
    assert.equal(call('GET', '/api/1/vehicles/NOPE').status, 404);
    assert.equal(call('GET', '/api/1/nothing/here').status, 404);
  });

  it('modern car: REST commands get 403 "protocol required" except the REST-only ones', async () => {
    const { fleet } = setup();
    await assert.rejects(
      () => fleet.restCommand(MODERN, 'door_lock', {}),
      httpError(403, (e) => /Vehicle Command Protocol required/.test(e.error ?? '')),
    );
    const nav = { type: 'share_ext_content_raw', value: { 'android.intent.extra.TEXT': 'Home' } };
    assert.deepEqual(await fleet.restCommand(MODERN, 'navigation_request', nav), {
      result: true,
      reason: '',
    });
    assert.equal(fleet.car(MODERN).history[0]?.name, 'navigation_request');
  });

  it('legacy car: 422 on signed_command, REST works once awake', async () => {
    const { fleet } = setup({ wakeDelayMs: 0 });
    await assert.rejects(
      () => fleet.signedCommand(LEGACY, new Uint8Array([1, 2])),
      httpError(422, (e) => !e.mayHaveExecuted),
    );
    await assert.rejects(() => fleet.restCommand(LEGACY, 'door_lock', {}), httpError(408));
    await fleet.wakeUp(LEGACY);
    assert.deepEqual(await fleet.restCommand(LEGACY, 'door_unlock', {}), {
      result: true,
      reason: '',
    });
    assert.equal(fleet.car(LEGACY).state.locked, false);
  });

  it('fleet_status reports pairing and protocol requirements', () => {
    const { fleet, call } = setup();
    fleet.pairKey(PrivateKey.generate().publicKey);
    const r = json(
      call('POST', '/api/1/vehicles/fleet_status', { vins: [MODERN, LEGACY, UNPAIRED] }),
    );
    const res = r.response as Record<string, unknown> & {
      vehicle_info: Record<string, { vehicle_command_protocol_required: boolean }>;
    };
    assert.deepEqual(res.key_paired_vins, [MODERN, LEGACY]);
    assert.deepEqual(res.unpaired_vins, [UNPAIRED]);
    assert.equal(res.vehicle_info[LEGACY]?.vehicle_command_protocol_required, false);
    assert.equal(res.vehicle_info[MODERN]?.vehicle_command_protocol_required, true);
    assert.equal(call('POST', '/api/1/vehicles/fleet_status', { vins: 'x' }).status, 400);
  });
});

describe('SimFleet: rate limits and billing', () => {
  it('data: 60 per minute per vehicle, then 429 with Retry-After; 429 is billable', async () => {
    const { clock, fleet } = setup();
    for (let i = 0; i < 60; i++) {
      await fleet.vehicle(MODERN);
      clock.advance(500);
    }
    await assert.rejects(
      () => fleet.vehicle(MODERN),
      httpError(429, (e) => e.retryAfterSeconds === 30 && !e.mayHaveExecuted),
    );
    await fleet.vehicle(UNPAIRED); // another vehicle has its own budget
    clock.advance(30_000);
    await fleet.vehicle(MODERN);
    const c = fleet.counter.snapshot();
    assert.equal(c.billable.data, 63);
    assert.equal(c.byStatus['429'], 1);
    assert.equal(c.byEndpoint['GET vehicle'], 63);
  });

  it('wakes: 3 per minute; commands: 30 per minute', async () => {
    const { clock, fleet } = setup();
    for (let i = 0; i < 3; i++) await fleet.wakeUp(LEGACY);
    await assert.rejects(() => fleet.wakeUp(LEGACY), httpError(429));
    for (let i = 0; i < 30; i++)
      await fleet.restCommand(MODERN, 'navigation_request', { value: {} });
    await assert.rejects(
      () => fleet.restCommand(MODERN, 'navigation_request', { value: {} }),
      httpError(429, (e) => (e.retryAfterSeconds ?? 0) >= 59),
    );
    clock.advance(60_000);
    await fleet.wakeUp(LEGACY);
    const c = fleet.counter.snapshot();
    assert.deepEqual(c.billable, { data: 0, commands: 31, wakes: 5 });
  });

  it('408 answers are billable, injected 5xx are not', async () => {
    const { fleet, call } = setup();
    assert.equal(call('GET', `/api/1/vehicles/${LEGACY}/vehicle_data`).status, 408);
    fleet.injectHttp({ status: 503, vin: MODERN });
    fleet.injectHttp({ status: 500 });
    await assert.rejects(
      () => fleet.vehicle(MODERN),
      httpError(503, (e) => !e.mayHaveExecuted),
    );
    await assert.rejects(
      () => fleet.vehicle(UNPAIRED),
      httpError(500, (e) => e.mayHaveExecuted),
    );
    const c = fleet.counter.snapshot();
    assert.deepEqual(c.billable, { data: 1, commands: 0, wakes: 0 });
    assert.equal(c.total, 3);
  });
});

describe('SimFleet: HTTP fault injection', () => {
  it('421 names the right base URL, 429 carries Retry-After, 408 looks asleep', async () => {
    const { fleet } = setup();
    const eu = 'https://fleet-api.prd.eu.vn.cloud.tesla.com';
    fleet.injectHttp({ status: 421, baseUrl: eu, endpoint: 'vehicle' });
    fleet.injectHttp({ status: 429, retryAfterSeconds: 42 });
    fleet.injectHttp({ status: 408 });
    await assert.rejects(
      () => fleet.vehicle(MODERN),
      httpError(421, (e) => e.baseUrl === eu),
    );
    await assert.rejects(
      () => fleet.wakeUp(MODERN),
      httpError(429, (e) => e.retryAfterSeconds === 42),
    );
    await assert.rejects(
      () => fleet.wakeUp(MODERN),
      httpError(408, (e) => /offline or asleep/.test(e.error ?? '')),
    );
    assert.equal((await fleet.vehicle(MODERN)).state, 'online', 'injections are one-shot');
  });

  it('a dropped reply after executing: the command ran, the caller sees status 0', async () => {
    const { fleet } = setup();
    fleet.dropNextReply(MODERN, 0, 'command/navigation_request');
    await assert.rejects(
      () => fleet.restCommand(MODERN, 'navigation_request', { value: {} }),
      httpError(0, (e) => e.mayHaveExecuted),
    );
    assert.equal(fleet.car(MODERN).history[0]?.name, 'navigation_request', 'it executed');
    fleet.dropNextReply(MODERN, 504, 'command/navigation_request');
    await assert.rejects(
      () => fleet.restCommand(MODERN, 'navigation_request', { value: {} }),
      httpError(504, (e) => e.mayHaveExecuted),
    );
    assert.equal(fleet.car(MODERN).history.length, 2);
  });
});

describe('SimFleet: telemetry, energy, sharing, user', () => {
  it('accepts a fleet telemetry config JWS signed by an enrolled key, refuses a forged one', () => {
    const { fleet, call } = setup();
    const key = PrivateKey.generate();
    fleet.pairKey(key.publicKey, [MODERN]);
    const config = { hostname: 'telemetry.example.com', port: 443, fields: {}, exp: 2_000_000_000 };
    const token = signFleetTelemetryConfig(key, config);
    const r = json(
      call('POST', '/api/1/vehicles/fleet_telemetry_config_jws', { token, vins: [MODERN, LEGACY] }),
    );
    const res = r.response as {
      updated_vehicles: number;
      skipped_vehicles: { missing_key: string[] };
    };
    assert.equal(res.updated_vehicles, 1);
    assert.deepEqual(res.skipped_vehicles.missing_key, [LEGACY]);
    const got = json(call('GET', `/api/1/vehicles/${MODERN}/fleet_telemetry_config`)).response as {
      config: { hostname: string };
    };
    assert.equal(got.config.hostname, 'telemetry.example.com');
    const [h, p, s = ''] = token.split('.');
    const flipped = `${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`;
    const bad = call('POST', '/api/1/vehicles/fleet_telemetry_config_jws', {
      token: flipped,
      vins: [MODERN],
    });
    assert.equal(bad.status, 400);
    assert.equal(json(bad).error, 'invalid_jws');
    const del = json(call('DELETE', `/api/1/vehicles/${MODERN}/fleet_telemetry_config`));
    assert.deepEqual(del.response, { updated_vehicles: 1 });
  });

  it('energy site: live flows move over time; commands change site_info', () => {
    const { clock, fleet, call } = setup();
    const id = fleet.site.id;
    const a = json(call('GET', `/api/1/energy_sites/${id}/live_status`)).response as {
      load_power: number;
      solar_power: number;
    };
    clock.advance(5 * 3_600_000);
    const b = json(call('GET', `/api/1/energy_sites/${id}/live_status`)).response as typeof a;
    assert.notDeepEqual([a.load_power, a.solar_power], [b.load_power, b.solar_power]);
    assert.equal(
      call('POST', `/api/1/energy_sites/${id}/backup`, { backup_reserve_percent: 55 }).status,
      200,
    );
    assert.equal(
      call('POST', `/api/1/energy_sites/${id}/backup`, { backup_reserve_percent: 101 }).status,
      400,
    );
    call('POST', `/api/1/energy_sites/${id}/operation`, { default_real_mode: 'autonomous' });
    const info = json(call('GET', `/api/1/energy_sites/${id}/site_info`)).response as Record<
      string,
      unknown
    >;
    assert.equal(info.backup_reserve_percent, 55);
    assert.equal(info.default_real_mode, 'autonomous');
    assert.equal(fleet.counter.snapshot().billable.commands, 3);
  });

  it('share invitations can be created, listed and revoked; drivers listed', () => {
    const { call } = setup();
    const inv = json(call('POST', `/api/1/vehicles/${MODERN}/invitations`)).response as {
      id_s: string;
    };
    const list = () =>
      (
        json(call('GET', `/api/1/vehicles/${MODERN}/invitations`)).response as { id_s: string }[]
      ).map((i) => i.id_s);
    assert.deepEqual(list(), [inv.id_s]);
    const rev = call('POST', `/api/1/vehicles/${MODERN}/invitations/${inv.id_s}/revoke`);
    assert.equal(rev.status, 200);
    assert.deepEqual(list(), []);
    const drivers = json(call('GET', `/api/1/vehicles/${MODERN}/drivers`));
    assert.equal(drivers.count, 1);
  });

  it('user region and me', () => {
    const { call } = setup();
    assert.equal(
      (json(call('GET', '/api/1/users/region')).response as { region: string }).region,
      'na',
    );
    assert.match(
      (json(call('GET', '/api/1/users/me')).response as { email: string }).email,
      /@sim\.invalid$/,
    );
  });
});
