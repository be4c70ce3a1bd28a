import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as charging from '../../src/commands/charging.js';
import { getCommand } from '../../src/commands/registry.js';
import { actionJson, viaRegistry } from '../helpers/decode-command.js';

// Expected JSON transcribed from vehicle-command `pkg/proxy/command.go`.
test('charging commands decode to the §4 field paths', () => {
  assert.deepEqual(viaRegistry('charge_start'), { chargingStartStopAction: { start: {} } });
  assert.deepEqual(viaRegistry('charge_stop'), { chargingStartStopAction: { stop: {} } });
  assert.deepEqual(viaRegistry('charge_standard'), {
    chargingStartStopAction: { startStandard: {} },
  });
  assert.deepEqual(viaRegistry('charge_max_range'), {
    chargingStartStopAction: { startMaxRange: {} },
  });
  assert.deepEqual(viaRegistry('charge_port_door_open'), { chargePortDoorOpen: {} });
  assert.deepEqual(viaRegistry('charge_port_door_close'), { chargePortDoorClose: {} });
  assert.deepEqual(viaRegistry('set_charge_limit', { percent: 80 }), {
    chargingSetLimitAction: { percent: 80 },
  });
  // Go converts with int32(float64): truncation.
  assert.deepEqual(viaRegistry('set_charge_limit', { percent: 90.9 }), {
    chargingSetLimitAction: { percent: 90 },
  });
  assert.deepEqual(viaRegistry('set_charging_amps', { charging_amps: 32 }), {
    setChargingAmpsAction: { chargingAmps: 32 },
  });
  assert.deepEqual(viaRegistry('set_scheduled_charging', { enable: true, time: 150 }), {
    scheduledChargingAction: { enabled: true, chargingTime: 150 },
  });
  assert.deepEqual(viaRegistry('set_scheduled_charging', { enable: false }), {
    scheduledChargingAction: { enabled: false, chargingTime: 0 },
  });
});

test('set_scheduled_departure: enable=false sends only enabled=false, and ignores the rest', () => {
  const off = {
    scheduledDepartureAction: { enabled: false, departureTime: 0, offPeakHoursEndTime: 0 },
  };
  assert.deepEqual(viaRegistry('set_scheduled_departure', { enable: false }), off);
  // The Go proxy returns before reading the other params, so bad types there do not matter.
  assert.deepEqual(
    viaRegistry('set_scheduled_departure', { enable: false, departure_time: 'x' }),
    off,
  );
});

test('set_scheduled_departure policies: weekdays-only wins, else enabled is all week, else absent', () => {
  const base = { enable: true, departure_time: 450, end_off_peak_time: 360 };
  assert.deepEqual(
    viaRegistry('set_scheduled_departure', {
      ...base,
      preconditioning_enabled: true,
      preconditioning_weekdays_only: true,
      off_peak_charging_enabled: true,
    }),
    {
      scheduledDepartureAction: {
        enabled: true,
        departureTime: 450,
        preconditioningTimes: { weekdays: {} },
        offPeakChargingTimes: { allWeek: {} },
        offPeakHoursEndTime: 360,
      },
    },
  );
  assert.deepEqual(viaRegistry('set_scheduled_departure', base), {
    scheduledDepartureAction: { enabled: true, departureTime: 450, offPeakHoursEndTime: 360 },
  });
  assert.deepEqual(
    actionJson(
      charging.setScheduledDeparture({ departureMinutes: 1440, offPeakCharging: 'weekdays' }),
    ),
    {
      scheduledDepartureAction: {
        enabled: true,
        departureTime: 1440,
        offPeakChargingTimes: { weekdays: {} },
        offPeakHoursEndTime: 0,
      },
    },
  );
});

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

// ChargeSchedule{id(1) u64, days_of_week(3), start_enabled(4), start_time(5), end_enabled(6),
// end_time(7), one_time(8), enabled(9), latitude(10), longitude(11)}; name(2) never set.
test('add_charge_schedule decodes to the §4 ChargeSchedule', () => {
  assert.deepEqual(
    viaRegistry('add_charge_schedule', {
      lat: 37.5,
      lon: -122.25,
      start_time: 60,
      start_enabled: true,
      end_time: 300,
      end_enabled: false,
      days_of_week: 'Mon, tues,SATURDAY',
      id: 42,
      enabled: true,
      one_time: true,
    }),
    {
      addChargeScheduleAction: {
        id: '42',
        name: '',
        daysOfWeek: 2 | 4 | 64,
        startEnabled: true,
        startTime: 60,
        endEnabled: false,
        endTime: 300,
        oneTime: true,
        enabled: true,
        latitude: 37.5,
        longitude: -122.25,
      },
    },
  );
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

test('remove and batch-remove charge schedules', () => {
  assert.deepEqual(viaRegistry('remove_charge_schedule', { id: 1712345678 }), {
    removeChargeScheduleAction: { id: '1712345678' },
  });
  assert.deepEqual(viaRegistry('batch_remove_charge_schedules', { home: true, other: true }), {
    batchRemoveChargeSchedulesAction: { home: true, work: false, other: true },
  });
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
