import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CommandParamError,
  getBool,
  getDays,
  getMinutesAfterMidnight,
  getNumber,
  getPolicy,
  getString,
  goInt,
  parseDays,
} from '../../src/commands/params.js';
import { viaRegistry } from '../helpers/decode-command.js';

const fails = (fn: () => unknown, message: string, param?: string) =>
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof CommandParamError);
    assert.equal(err.message, message);
    if (param !== undefined) assert.equal(err.param, param);
    return true;
  });

test('getString / getBool / getNumber: missing, invalid, and optional defaults (command.go)', () => {
  fails(() => getString({}, 'pin', true), 'missing pin param', 'pin');
  fails(() => getString({ pin: 1234 }, 'pin', true), 'invalid pin param', 'pin');
  fails(() => getString({ pin: null }, 'pin', false), 'invalid pin param');
  assert.equal(getString({}, 'pin', false), '');
  assert.equal(getString({ pin: '0042' }, 'pin', true), '0042');

  fails(() => getBool({}, 'on', true), 'missing on param');
  fails(() => getBool({ on: 'true' }, 'on', true), 'invalid on param');
  fails(() => getBool({ on: 1 }, 'on', false), 'invalid on param');
  assert.equal(getBool({}, 'on', false), false);
  assert.equal(getBool({ on: true }, 'on', true), true);

  fails(() => getNumber({}, 'percent', true), 'missing percent param');
  fails(() => getNumber({ percent: '80' }, 'percent', true), 'invalid percent param');
  fails(() => getNumber({ percent: null }, 'percent', true), 'invalid percent param');
  fails(() => getNumber({ percent: true }, 'percent', false), 'invalid percent param');
  assert.equal(getNumber({}, 'percent', false), 0);
  assert.equal(getNumber({ percent: 80.5 }, 'percent', true), 80.5);
});

test('only own keys count as present', () => {
  const inherited = Object.create({ on: true }) as Record<string, unknown>;
  fails(() => getBool(inherited, 'on', true), 'missing on param');
  fails(() => getString({}, 'toString', true), 'missing toString param');
});

test('goInt truncates toward zero like a Go float-to-int conversion', () => {
  assert.equal(goInt(80.9), 80);
  assert.equal(goInt(-0.5), 0);
  assert.ok(Object.is(goInt(-0.5), 0));
  assert.equal(goInt(-1.5), -1);
});

test('days_of_week names (case-insensitive, trimmed; TUE/THU rejected)', () => {
  assert.equal(parseDays('All'), 127);
  assert.equal(parseDays('weekdays'), 62);
  assert.equal(parseDays('Sun,SAT'), 65);
  assert.equal(parseDays(' monday , Wednesday,FRIDAY '), 2 | 8 | 32);
  assert.equal(parseDays('tues,thursday'), 4 | 16);
  fails(() => parseDays('TUE'), 'unrecognized day name: TUE');
  fails(() => parseDays('Mon,Thu'), 'unrecognized day name: Thu');
  fails(() => parseDays(''), 'unrecognized day name: ');
  fails(() => parseDays('Mon,'), 'unrecognized day name: ');
  fails(() => getDays({}, 'days_of_week', true), 'missing days_of_week param');
});

test('getPolicy and getMinutesAfterMidnight', () => {
  assert.equal(getPolicy({}, 'a', 'b'), 'off');
  assert.equal(getPolicy({ a: true }, 'a', 'b'), 'all_week');
  assert.equal(getPolicy({ a: false, b: true }, 'a', 'b'), 'weekdays');
  fails(() => getPolicy({ a: 'yes' }, 'a', 'b'), 'invalid a param');
  assert.equal(getMinutesAfterMidnight({}, 't'), 0);
  assert.equal(getMinutesAfterMidnight({ t: 90.7 }, 't'), 90);
  fails(() => getMinutesAfterMidnight({ t: '90' }, 't'), 'invalid t param');
});

test('registry builders read params in the Go order and report its texts', () => {
  fails(() => viaRegistry('set_charge_limit', {}), 'missing percent param');
  fails(() => viaRegistry('set_charge_limit', { percent: '80' }), 'invalid percent param');
  fails(() => viaRegistry('set_bioweapon_mode', { on: true }), 'missing manual_override param');
  fails(() => viaRegistry('set_bioweapon_mode', { manual_override: true }), 'missing on param');
  fails(
    () => viaRegistry('set_cabin_overheat_protection', { on: true, fan_only: 1 }),
    'invalid fan_only param',
  );
  fails(() => viaRegistry('guest_mode', { on: true }), 'missing enable param');
  fails(() => viaRegistry('set_sentry_mode', { on: 'on' }), 'invalid on param');
  fails(() => viaRegistry('speed_limit_activate', {}), 'missing pin param');
  fails(() => viaRegistry('trigger_homelink', { lat: 1 }), 'missing lon param');
  fails(() => viaRegistry('schedule_software_update', {}), 'missing offset_sec param');
  fails(() => viaRegistry('remove_charge_schedule', {}), 'missing id param');
  fails(() => viaRegistry('set_scheduled_departure', {}), 'missing enable param');
  fails(
    () => viaRegistry('set_scheduled_departure', { enable: true, off_peak_charging_enabled: 1 }),
    'invalid off_peak_charging_enabled param',
  );
  fails(
    () =>
      viaRegistry('add_charge_schedule', {
        lat: 1,
        lon: 2,
        start_enabled: true,
        end_enabled: true,
        days_of_week: 'All',
        id: '5',
      }),
    'invalid id param',
  );
  fails(
    () => viaRegistry('add_charge_schedule', { lat: 1, lon: 2, end_enabled: true }),
    'missing start_enabled param',
  );
  fails(
    () => viaRegistry('remote_auto_seat_climate_request', { auto_seat_position: 1 }),
    'missing auto_climate_on param',
  );
  fails(
    () => viaRegistry('set_climate_keeper_mode', { climate_keeper_mode: true }),
    'invalid climate_keeper_mode param',
  );
});
