import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as charging from '../../src/commands/charging.js';
import { getCommand } from '../../src/commands/registry.js';
import { actionJson, viaRegistry } from '../helpers/decode-command.js';

test('charging range checks', () => {
  assert.throws(() => charging.setChargeLimit(30), {
    name: 'RangeError',
    message: 'charge limit must be 50–100 percent, got 30',
  });
  assert.throws(() => charging.setChargeLimit(101), RangeError);
  assert.throws(() => charging.setChargeLimit(80.5), /whole number/);
  assert.equal(charging.setChargeLimit(50).domain, 3);
  assert.equal(charging.setChargeLimit(100).domain, 3);
  assert.throws(() => charging.setChargingAmps(0), /charging current must be 1–80 amps, got 0/);
  assert.throws(() => charging.setChargingAmps(81), RangeError);
  assert.throws(() => charging.setScheduledCharging(true, 1440), RangeError);
  assert.throws(() => charging.setScheduledCharging(true, -1), RangeError);
  // Go's ScheduleDeparture: "invalid departure time" outside 0..24 h.
  assert.throws(() => charging.setScheduledDeparture({ departureMinutes: 1441 }), RangeError);
  assert.throws(
    () => viaRegistry('set_scheduled_departure', { enable: true, departure_time: -5 }),
    RangeError,
  );
  assert.throws(
    () =>
      charging.setScheduledDeparture({
        departureMinutes: 0,
        preconditioning: 'sometimes' as charging.ChargingPolicy,
      }),
    RangeError,
  );
  assert.throws(() => viaRegistry('set_charge_limit', { percent: 49.9 }), RangeError);
});

test('REST-only managed-charging rows have no builder', () => {
  for (const name of [
    'set_managed_charge_current_request',
    'set_managed_charger_location',
    'set_managed_scheduled_charging_time',
  ]) {
    const row = getCommand(name);
    assert.equal(row?.domain, 'rest');
    assert.equal(row?.restReason, 'rest-api');
    assert.equal(row?.build, undefined);
  }
});

test('id 0 or absent is "now" in Unix seconds, from the caller\'s clock only', () => {
  const params = {
    lat: 1,
    lon: 2,
    start_enabled: true,
    end_enabled: false,
    days_of_week: 'All',
    enabled: true,
  };
  const row = getCommand('add_charge_schedule');
  assert.ok(row?.build);
  const cmd = row.build(params, { now: 1_712_345_678_999 });
  assert.equal(
    (actionJson(cmd) as { addChargeScheduleAction: { id: string } }).addChargeScheduleAction.id,
    '1712345678',
  );
  const zero = row.build({ ...params, id: 0 }, { now: 5_000 });
  assert.equal(
    (actionJson(zero) as { addChargeScheduleAction: { id: string } }).addChargeScheduleAction.id,
    '5',
  );
  assert.throws(() => row.build?.(params), TypeError);
});

test('remove_charge_schedule takes the whole uint64 range', () => {
  assert.deepEqual(actionJson(charging.removeChargeSchedule(2n ** 64n - 1n)), {
    removeChargeScheduleAction: { id: '18446744073709551615' },
  });
});

test('charge schedule range and parameter checks', () => {
  const ok = {
    id: 1,
    daysOfWeek: 127,
    latitude: 0,
    longitude: 0,
    startEnabled: true,
    endEnabled: false,
    enabled: true,
  };
  assert.equal(charging.addChargeSchedule(ok).domain, 3);
  assert.throws(() => charging.addChargeSchedule({ ...ok, id: 0 }), RangeError);
  assert.throws(() => charging.addChargeSchedule({ ...ok, daysOfWeek: 0 }), RangeError);
  assert.throws(() => charging.addChargeSchedule({ ...ok, daysOfWeek: 128 }), RangeError);
  assert.throws(() => charging.addChargeSchedule({ ...ok, latitude: 91 }), /latitude must be/);
  assert.throws(() => charging.addChargeSchedule({ ...ok, longitude: -181 }), /longitude must be/);
  assert.throws(() => charging.addChargeSchedule({ ...ok, startMinutes: 1440 }), RangeError);
  assert.throws(() => charging.removeChargeSchedule(-1), RangeError);
  assert.throws(() => charging.removeChargeSchedule(2n ** 64n), RangeError);
  assert.throws(() => charging.batchRemoveChargeSchedules({}), RangeError);
  assert.throws(() => viaRegistry('add_charge_schedule', { lon: 1 }), {
    message: 'missing lat param',
  });
});
