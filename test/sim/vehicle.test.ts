import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimFleet } from '../../src/sim/fleet.js';
import { SIM_VINS } from '../../src/sim/index.js';
import { FleetHttpError } from '../../src/vehicle/transport.js';
import { fakeClock } from '../helpers/sim-client.js';

const { modern: MODERN, legacy: LEGACY } = SIM_VINS;

function fleet(o: { sleepAfterMs?: number; wakeDelayMs?: number } = {}) {
  const clock = fakeClock();
  return { clock, fleet: new SimFleet({ now: clock.now, ...o }) };
}

function data(f: SimFleet, vin: string, endpoints = ''): Record<string, Record<string, unknown>> {
  const r = f.handle({
    method: 'GET',
    path: `/api/1/vehicles/${vin}/vehicle_data`,
    query: new URLSearchParams(endpoints ? { endpoints } : {}),
    body: null,
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return (r.body as { response: Record<string, Record<string, unknown>> }).response;
}

describe('simulated vehicle: sleep and wake', () => {
  it('falls asleep after idle time, answers 408, and wakes after the delay', async () => {
    const { clock, fleet: f } = fleet({ sleepAfterMs: 60_000, wakeDelayMs: 5_000 });
    assert.equal((await f.vehicle(MODERN)).state, 'online');
    clock.advance(61_000);
    assert.equal((await f.vehicle(MODERN)).state, 'asleep');
    await assert.rejects(
      () => f.restCommand(MODERN, 'navigation_request', { value: {} }),
      (e: unknown) => e instanceof FleetHttpError && e.status === 408 && !e.mayHaveExecuted,
    );
    assert.equal((await f.wakeUp(MODERN)).state, 'asleep', 'wake_up answers before the car is up');
    clock.advance(4_999);
    assert.equal((await f.vehicle(MODERN)).state, 'asleep');
    clock.advance(1);
    assert.equal((await f.vehicle(MODERN)).state, 'online');
    assert.equal((await f.wakeUp(MODERN)).state, 'online');
  });

  it('GET /vehicles/{vin} never wakes the car; vehicle_data of an asleep car is 408', async () => {
    const { clock, fleet: f } = fleet();
    assert.equal((await f.vehicle(LEGACY)).state, 'asleep');
    clock.advance(3_600_000);
    assert.equal((await f.vehicle(LEGACY)).state, 'asleep');
    const r = f.handle({
      method: 'GET',
      path: `/api/1/vehicles/${LEGACY}/vehicle_data`,
      query: new URLSearchParams(),
      body: null,
    });
    assert.equal(r.status, 408);
    assert.match(String((r.body as { error: string }).error), /vehicle is offline or asleep/);
  });

  it('stays awake while charging, and sleeps once charging completes', async () => {
    const { clock, fleet: f } = fleet({ sleepAfterMs: 10 * 60_000 });
    await f.restCommand(MODERN, 'navigation_request', { value: {} });
    f.car(MODERN).state.chargeLimit = 66;
    f.car(MODERN).restCommand('charge_start', {});
    clock.advance(30 * 60_000);
    assert.equal((await f.vehicle(MODERN)).state, 'online');
    clock.advance(2 * 3_600_000);
    assert.equal(f.car(MODERN).state.chargingState, 'Complete');
    clock.advance(11 * 60_000);
    assert.equal((await f.vehicle(MODERN)).state, 'asleep');
  });
});

describe('simulated vehicle: state', () => {
  it('charges along a curve that tapers above 80 % and stops at the limit', () => {
    const { clock, fleet: f } = fleet();
    const car = f.car(MODERN);
    car.state.chargeLimit = 100;
    car.state.batteryLevel = 50;
    assert.deepEqual(car.restCommand('charge_start', {}), { result: true, reason: '' });
    const before = data(f, MODERN, 'charge_state').charge_state;
    assert.equal(before?.charging_state, 'Charging');
    const fastKw = Number(before?.charger_power);
    clock.advance(3_600_000);
    const mid = data(f, MODERN, 'charge_state').charge_state;
    assert.ok(Number(mid?.battery_level) > 50, 'battery level rises while charging');
    assert.ok(Number(mid?.charge_energy_added) > 0);
    car.state.batteryLevel = 95;
    const slowKw = Number(data(f, MODERN, 'charge_state').charge_state?.charger_power);
    assert.ok(slowKw < fastKw, `power tapers near full (${slowKw} < ${fastKw})`);
    clock.advance(10 * 3_600_000);
    const end = data(f, MODERN, 'charge_state').charge_state;
    assert.equal(end?.charging_state, 'Complete');
    assert.equal(end?.battery_level, 100);
    assert.deepEqual(car.restCommand('charge_start', {}), { result: false, reason: 'complete' });
  });

  it('REST commands on the legacy car change what vehicle_data shows', async () => {
    const { clock, fleet: f } = fleet({ wakeDelayMs: 0 });
    await f.wakeUp(LEGACY);
    const calls: [string, Record<string, unknown>][] = [
      ['door_unlock', {}],
      ['auto_conditioning_start', {}],
      ['set_temps', { driver_temp: 23.5, passenger_temp: 22 }],
      ['remote_seat_heater_request', { seat_position: 1, level: 3 }],
      ['set_sentry_mode', { on: true }],
      ['set_charge_limit', { percent: 90 }],
      ['speed_limit_set_limit', { limit_mph: 70 }],
      ['actuate_trunk', { which_trunk: 'front' }],
    ];
    for (const [name, body] of calls) {
      assert.deepEqual(await f.restCommand(LEGACY, name, body), { result: true, reason: '' }, name);
    }
    clock.advance(10 * 60_000);
    const d = data(f, LEGACY);
    assert.equal(d.vehicle_state?.locked, false);
    assert.equal(d.vehicle_state?.sentry_mode, true);
    assert.equal(d.vehicle_state?.ft, 1);
    assert.deepEqual(d.vehicle_state?.speed_limit_mode, {
      active: false,
      current_limit_mph: 70,
      max_limit_mph: 120,
      min_limit_mph: 50,
      pin_code_set: false,
    });
    assert.equal(d.climate_state?.is_climate_on, true);
    assert.equal(d.climate_state?.driver_temp_setting, 23.5);
    assert.equal(d.climate_state?.seat_heater_right, 3);
    assert.ok(Number(d.climate_state?.inside_temp) > 20, 'cabin warms toward the set point');
    assert.equal(d.charge_state?.charge_limit_soc, 90);
    assert.equal(f.car(LEGACY).history[0]?.name, 'actuate_trunk');
  });

  it('refuses bad parameters with a reason, and unknown commands with 400', async () => {
    const { fleet: f } = fleet({ wakeDelayMs: 0 });
    await f.wakeUp(LEGACY);
    assert.deepEqual(await f.restCommand(LEGACY, 'set_charge_limit', {}), {
      result: false,
      reason: 'missing percent param',
    });
    assert.deepEqual(await f.restCommand(LEGACY, 'actuate_trunk', {}), {
      result: false,
      reason: 'invalid_value',
    });
    await assert.rejects(
      () => f.restCommand(LEGACY, 'fly_to_moon', {}),
      (e: unknown) =>
        e instanceof FleetHttpError && e.status === 400 && e.error === 'invalid_command',
    );
  });

  it('shows location only when location_data is asked for', () => {
    const { fleet: f } = fleet();
    assert.equal(data(f, MODERN, 'drive_state').drive_state?.latitude, undefined);
    assert.equal(typeof data(f, MODERN, 'location_data').drive_state?.latitude, 'number');
  });

  it('installs a scheduled software update when its time comes', () => {
    const { clock, fleet: f } = fleet();
    const car = f.car(MODERN);
    assert.deepEqual(car.restCommand('schedule_software_update', { offset_sec: 60 }), {
      result: true,
      reason: '',
    });
    assert.equal(data(f, MODERN).vehicle_state?.software_update !== undefined, true);
    clock.advance(61_000);
    car.sync();
    assert.equal(car.state.update.status, 'installing');
    clock.advance(30 * 60_000);
    car.sync();
    assert.equal(car.state.update.status, '');
    assert.match(car.state.carVersion, /^2024\.45\.32\.1/);
  });
});
