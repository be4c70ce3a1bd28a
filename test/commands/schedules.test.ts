import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getCommand } from '../../src/commands/registry.js';
import * as schedules from '../../src/commands/schedules.js';
import { actionJson, viaRegistry } from '../helpers/decode-command.js';

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

test('add_precondition_schedule decodes to the §4 PreconditionSchedule', () => {
  assert.deepEqual(
    viaRegistry('add_precondition_schedule', {
      lat: -33.75,
      lon: 151.25,
      precondition_time: 420,
      days_of_week: 'Weekdays',
      id: 7,
      enabled: true,
    }),
    {
      addPreconditionScheduleAction: {
        id: '7',
        name: '',
        daysOfWeek: 62,
        preconditionTime: 420,
        oneTime: false,
        enabled: true,
        latitude: -33.75,
        longitude: 151.25,
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

test('remove and batch-remove schedules', () => {
  assert.deepEqual(viaRegistry('remove_charge_schedule', { id: 1712345678 }), {
    removeChargeScheduleAction: { id: '1712345678' },
  });
  assert.deepEqual(viaRegistry('remove_precondition_schedule', { id: 9 }), {
    removePreconditionScheduleAction: { id: '9' },
  });
  assert.deepEqual(viaRegistry('batch_remove_charge_schedules', { home: true, other: true }), {
    batchRemoveChargeSchedulesAction: { home: true, work: false, other: true },
  });
  assert.deepEqual(viaRegistry('batch_remove_precondition_schedules', { work: true }), {
    batchRemovePreconditionSchedulesAction: { home: false, work: true, other: false },
  });
  assert.deepEqual(actionJson(schedules.removeChargeSchedule(2n ** 64n - 1n)), {
    removeChargeScheduleAction: { id: '18446744073709551615' },
  });
});

test('schedule range and parameter checks', () => {
  const ok = {
    id: 1,
    daysOfWeek: 127,
    latitude: 0,
    longitude: 0,
    startEnabled: true,
    endEnabled: false,
    enabled: true,
  };
  assert.equal(schedules.addChargeSchedule(ok).domain, 3);
  assert.throws(() => schedules.addChargeSchedule({ ...ok, id: 0 }), RangeError);
  assert.throws(() => schedules.addChargeSchedule({ ...ok, daysOfWeek: 0 }), RangeError);
  assert.throws(() => schedules.addChargeSchedule({ ...ok, daysOfWeek: 128 }), RangeError);
  assert.throws(() => schedules.addChargeSchedule({ ...ok, latitude: 91 }), /latitude must be/);
  assert.throws(() => schedules.addChargeSchedule({ ...ok, longitude: -181 }), /longitude must be/);
  assert.throws(() => schedules.addChargeSchedule({ ...ok, startMinutes: 1440 }), RangeError);
  assert.throws(() => schedules.removeChargeSchedule(-1), RangeError);
  assert.throws(() => schedules.removeChargeSchedule(2n ** 64n), RangeError);
  assert.throws(() => schedules.batchRemoveChargeSchedules({}), RangeError);
  assert.throws(() => viaRegistry('batch_remove_precondition_schedules', {}), RangeError);
  // getDays: "TUE"/"THU" are not day names in the Go proxy.
  const base = { lat: 1, lon: 2, precondition_time: 1, enabled: true, id: 3 };
  assert.throws(() => viaRegistry('add_precondition_schedule', { ...base, days_of_week: 'Tue' }), {
    name: 'CommandParamError',
    message: 'unrecognized day name: Tue',
  });
  assert.throws(
    () => viaRegistry('add_precondition_schedule', { ...base, days_of_week: 'Mon, THU' }),
    { message: 'unrecognized day name:  THU' },
  );
  assert.throws(() => viaRegistry('add_precondition_schedule', { ...base, days_of_week: 127 }), {
    message: 'invalid days_of_week param',
  });
  assert.throws(() => viaRegistry('add_charge_schedule', { lon: 1 }), {
    message: 'missing lat param',
  });
});
