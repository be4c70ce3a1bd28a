import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as climate from '../../src/commands/climate.js';
import { getCommand } from '../../src/commands/registry.js';
import { actionJson, toHex, viaRegistry } from '../helpers/decode-command.js';
import { checkExtGolden } from '../helpers/ext-wire.js';

test('auto_conditioning_start is protocol.md\'s "HVAC on" example, byte for byte', () => {
  assert.equal(toHex(climate.climateOn().payload), '120452020801');
  assert.equal(climate.climateOn().domain, 3);
  const viaRow = getCommand('auto_conditioning_start')?.build?.({});
  assert.ok(viaRow);
  assert.equal(toHex(viaRow.payload), '120452020801');
});

// Expected JSON transcribed from vehicle-command `pkg/proxy/command.go` (field paths VA.x(n){...}).
test('climate commands decode to the §4 field paths', () => {
  assert.deepEqual(viaRegistry('auto_conditioning_stop'), {
    hvacAutoAction: { powerOn: false, manualOverride: false },
  });
  assert.deepEqual(
    viaRegistry('remote_seat_cooler_request', { seat_position: 2, seat_cooler_level: 4 }),
    {
      hvacSeatCoolerActions: {
        hvacSeatCoolerAction: [
          {
            seatCoolerLevel: 'HvacSeatCoolerLevel_High',
            seatPosition: 'HvacSeatCoolerPosition_FrontRight',
          },
        ],
      },
    },
  );
  assert.deepEqual(
    viaRegistry('remote_seat_cooler_request', { seat_position: 1, seat_cooler_level: 1 }),
    {
      hvacSeatCoolerActions: {
        hvacSeatCoolerAction: [
          {
            seatCoolerLevel: 'HvacSeatCoolerLevel_Off',
            seatPosition: 'HvacSeatCoolerPosition_FrontLeft',
          },
        ],
      },
    },
  );
  const heaterSeats = [
    'CARSEATFRONTLEFT',
    'CARSEATFRONTRIGHT',
    'CARSEATREARLEFT',
    'CARSEATREARLEFTBACK',
    'CARSEATREARCENTER',
    'CARSEATREARRIGHT',
    'CARSEATREARRIGHTBACK',
    'CARSEATTHIRDROWLEFT',
    'CARSEATTHIRDROWRIGHT',
  ];
  const heaterLevels = ['SEATHEATEROFF', 'SEATHEATERLOW', 'SEATHEATERMED', 'SEATHEATERHIGH'];
  heaterSeats.forEach((seatCase, seat_position) => {
    heaterLevels.forEach((levelCase, level) => {
      assert.deepEqual(viaRegistry('remote_seat_heater_request', { seat_position, level }), {
        hvacSeatHeaterActions: { hvacSeatHeaterAction: [{ [levelCase]: {}, [seatCase]: {} }] },
      });
    });
  });
  assert.deepEqual(
    viaRegistry('remote_auto_seat_climate_request', {
      auto_seat_position: 2,
      auto_climate_on: true,
    }),
    {
      autoSeatClimateAction: {
        carseat: [{ on: true, seatPosition: 'AutoSeatPosition_FrontRight' }],
      },
    },
  );
  assert.deepEqual(viaRegistry('remote_steering_wheel_heater_request', { on: true }), {
    hvacSteeringWheelHeaterAction: { powerOn: true },
  });
  assert.deepEqual(viaRegistry('set_bioweapon_mode', { on: true, manual_override: false }), {
    hvacBioweaponModeAction: { on: true, manualOverride: false },
  });
  assert.deepEqual(viaRegistry('set_cabin_overheat_protection', { on: true, fan_only: true }), {
    setCabinOverheatProtectionAction: { on: true, fanOnly: true },
  });
  assert.deepEqual(viaRegistry('set_cabin_overheat_protection', { on: false }), {
    setCabinOverheatProtectionAction: { on: false, fanOnly: false },
  });
  const keeper = ['Off', 'On', 'Dog', 'Camp'];
  keeper.forEach((name, climate_keeper_mode) => {
    assert.deepEqual(viaRegistry('set_climate_keeper_mode', { climate_keeper_mode }), {
      hvacClimateKeeperAction: {
        ClimateKeeperAction: `ClimateKeeperAction_${name}`,
        manualOverride: false,
      },
    });
  });
  ['Low', 'Medium', 'High'].forEach((name, i) => {
    assert.deepEqual(viaRegistry('set_cop_temp', { cop_temp: i + 1 }), {
      setCopTempAction: { copActivationTemp: `CopActivationTemp${name}` },
    });
  });
  assert.deepEqual(viaRegistry('set_preconditioning_max', { on: true, manual_override: true }), {
    hvacSetPreconditioningMaxAction: { on: true, manualOverride: true, manualOverrideMode: [] },
  });
  assert.deepEqual(viaRegistry('set_temps', { driver_temp: 21.5, passenger_temp: 19 }), {
    hvacTemperatureAdjustmentAction: {
      deltaCelsius: 0,
      deltaPercent: 0,
      absoluteCelsius: 0,
      hvacTemperatureZone: [],
      level: { TEMPMAX: {} },
      driverTempCelsius: 21.5,
      passengerTempCelsius: 19,
    },
  });
});

test('several seat heaters in one command', () => {
  const cmd = climate.setSeatHeaters([
    { seat: 'front_left', level: 'high' },
    { seat: 'rear_center', level: 'off' },
  ]);
  assert.deepEqual(actionJson(cmd), {
    hvacSeatHeaterActions: {
      hvacSeatHeaterAction: [
        { SEATHEATERHIGH: {}, CARSEATFRONTLEFT: {} },
        { SEATHEATEROFF: {}, CARSEATREARCENTER: {} },
      ],
    },
  });
});

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

test('remove and batch-remove precondition schedules', () => {
  assert.deepEqual(viaRegistry('remove_precondition_schedule', { id: 9 }), {
    removePreconditionScheduleAction: { id: '9' },
  });
  assert.deepEqual(viaRegistry('batch_remove_precondition_schedules', { work: true }), {
    batchRemovePreconditionSchedulesAction: { home: false, work: true, other: false },
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
