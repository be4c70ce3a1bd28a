import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as climate from '../../src/commands/climate.js';
import { getCommand } from '../../src/commands/registry.js';
import { viaRegistry } from '../helpers/decode-command.js';
import { checkExtGolden } from '../helpers/ext-wire.js';

test('climate range checks throw RangeError with what was expected and got', () => {
  assert.throws(() => climate.setTemps(14.9, 20), {
    name: 'RangeError',
    message: 'driver temperature must be 15–28 °C, got 14.9',
  });
  assert.throws(() => climate.setTemps(20, Number.NaN), RangeError);
  assert.throws(() => climate.setSeatHeaters([]), RangeError);
  assert.throws(() => climate.setSeatHeater('trunk' as climate.HeatedSeat, 'low'), RangeError);
  assert.throws(() => climate.setSeatCooler('rear_left' as climate.FrontSeat, 'low'), RangeError);
  assert.throws(
    () => climate.setClimateKeeperMode('party' as climate.ClimateKeeperMode),
    RangeError,
  );
  assert.throws(() => climate.setCopTemp('warm' as climate.CopTemp), RangeError);
  assert.throws(() => viaRegistry('set_temps', {}), /driver temperature must be 15–28 °C, got 0/);
  assert.throws(() => viaRegistry('remote_seat_heater_request', { seat_position: 0, level: 4 }), {
    name: 'RangeError',
  });
  assert.throws(
    () => viaRegistry('remote_seat_cooler_request', { seat_position: 1, seat_cooler_level: 0 }),
    {
      name: 'RangeError',
      message: 'seat_cooler_level must be 1–4 (off, low, medium, high), got 0',
    },
  );
  assert.throws(
    () => viaRegistry('set_climate_keeper_mode', { climate_keeper_mode: 4 }),
    RangeError,
  );
  assert.throws(() => viaRegistry('set_cop_temp', { cop_temp: 0 }), RangeError);
  assert.throws(
    () =>
      viaRegistry('remote_auto_seat_climate_request', {
        auto_seat_position: 3,
        auto_climate_on: true,
      }),
    RangeError,
  );
});

test('seat position errors use the Go proxy text', () => {
  for (const seat_position of [-1, 9]) {
    assert.throws(() => viaRegistry('remote_seat_heater_request', { seat_position, level: 1 }), {
      name: 'CommandParamError',
      message: 'invalid seat position',
    });
  }
  assert.throws(
    () => viaRegistry('remote_seat_cooler_request', { seat_position: 3, seat_cooler_level: 2 }),
    { name: 'CommandParamError', message: 'invalid seat position' },
  );
  // The Go proxy reads both numbers before it checks the cooler seat.
  assert.throws(() => viaRegistry('remote_seat_cooler_request', { seat_position: 3 }), {
    message: 'missing seat_cooler_level param',
  });
});

test('precondition schedule parameter checks', () => {
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
});

// Published: VehicleAction stwHeatLevelAction = 71 {StwHeatLevel stw_heat_level = 1} (Off 1,
// Low 2, High 3) and autoStwHeatAction = 70 {bool on = 1}; the Fleet `level` 0/1/2 is
// Off/Low/High, as Teslemetry's signed builder maps it.
test('steering-wheel heat level and auto heat: bytes match the published numbers', () => {
  const levels: [number, number, string][] = [
    [0, 1, '1205ba0402' + '0801'],
    [1, 2, '1205ba0402' + '0802'],
    [2, 3, '1205ba0402' + '0803'],
  ];
  for (const [level, wire, hex] of levels) {
    checkExtGolden({
      name: 'remote_steering_wheel_heat_level_request',
      params: { level },
      field: 71,
      fields: [{ no: 1, wire: 0, value: wire }],
      hex,
    });
  }
  checkExtGolden({
    name: 'remote_auto_steering_wheel_heat_climate_request',
    params: { on: true },
    field: 70,
    fields: [{ no: 1, wire: 0, value: 1 }],
    hex: '1205b20402' + '0801', // 12 05 | b204 (70<<3|2) 02 | 08 01
  });
  checkExtGolden({
    name: 'remote_auto_steering_wheel_heat_climate_request',
    params: { on: false },
    field: 70,
    fields: [],
    hex: '1203b20400', // an empty AutoStwHeatAction: on = false is the proto3 default
  });
  for (const level of [3, -1, 1.5]) {
    assert.throws(
      () => getCommand('remote_steering_wheel_heat_level_request')?.build?.({ level }),
      { name: 'RangeError', message: /must be 0 \(off\), 1 \(low\) or 2 \(high\)/ },
    );
  }
  assert.throws(() => climate.setSteeringWheelHeatLevel('medium' as 'low'), RangeError);
});
