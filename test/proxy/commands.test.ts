/**
 * Every command of the Go proxy's table (vehicle-command `pkg/proxy/command.go`) through `POST .../command/{name}`
 * with the Go parameter names, against the simulator: the answer is the Go success body, and the
 * simulated car decoded exactly that command with those parameters from the signed payload.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fromBinary } from '@bufbuild/protobuf';
import { PROXY_COMMAND_NAMES } from '../../src/commands/names.js';
import { ActionSchema } from '../../src/gen/car_server_pb.js';
import { RoutableMessageSchema } from '../../src/gen/universal_message_pb.js';
import { decodeInfotainment, decodeVcsec } from '../../src/sim/decode.js';
import { command, type Harness, harness, OK_BODY, VIN } from '../helpers/proxy-harness.js';

/** Go JSON params per signed command (`*` params and a few optional ones). */
const SIGNED: Record<string, Record<string, unknown>> = {
  adjust_volume: { volume: 5 },
  media_next_fav: {},
  media_prev_fav: {},
  media_next_track: {},
  media_prev_track: {},
  media_volume_down: {},
  media_volume_up: {},
  media_toggle_playback: {},
  auto_conditioning_start: {},
  auto_conditioning_stop: {},
  charge_max_range: {},
  remote_seat_cooler_request: { seat_position: 1, seat_cooler_level: 3 },
  remote_seat_heater_request: { seat_position: 1, level: 2 },
  remote_auto_seat_climate_request: { auto_seat_position: 1, auto_climate_on: true },
  remote_steering_wheel_heater_request: { on: true },
  set_bioweapon_mode: { on: true, manual_override: false },
  set_cabin_overheat_protection: { on: true, fan_only: true },
  set_climate_keeper_mode: { climate_keeper_mode: 2, manual_override: false },
  set_cop_temp: { cop_temp: 2 },
  set_preconditioning_max: { on: true, manual_override: false },
  set_temps: { driver_temp: 21.5, passenger_temp: 22 },
  actuate_trunk: { which_trunk: 'front' },
  charge_port_door_open: {},
  charge_port_door_close: {},
  flash_lights: {},
  honk_horn: {},
  remote_start_drive: {},
  open_tonneau: {},
  close_tonneau: {},
  stop_tonneau: {},
  set_low_power_mode: { enable: true },
  keep_accessory_power_mode: { enable: true },
  charge_standard: {},
  charge_start: {},
  charge_stop: {},
  set_charging_amps: { charging_amps: 16 },
  set_scheduled_charging: { enable: true, time: 120 },
  set_charge_limit: { percent: 80 },
  set_scheduled_departure: {
    enable: true,
    departure_time: 480,
    end_off_peak_time: 360,
    preconditioning_enabled: true,
    preconditioning_weekdays_only: false,
    off_peak_charging_enabled: true,
    off_peak_charging_weekdays_only: true,
  },
  add_charge_schedule: {
    lat: 37.5,
    lon: -122.25,
    start_time: 60,
    start_enabled: true,
    end_time: 300,
    end_enabled: true,
    days_of_week: 'Mon,Tues',
    id: 42,
    enabled: true,
    one_time: false,
  },
  add_precondition_schedule: {
    lat: 37.5,
    lon: -122.25,
    precondition_time: 420,
    one_time: false,
    days_of_week: 'WEEKDAYS',
    id: 7,
    enabled: true,
  },
  remove_charge_schedule: { id: 42 },
  remove_precondition_schedule: { id: 7 },
  set_pin_to_drive: { on: true, password: '1234' },
  clear_pin_to_drive_admin: {},
  door_lock: {},
  door_unlock: {},
  erase_user_data: {},
  reset_pin_to_drive_pin: {},
  reset_valet_pin: {},
  guest_mode: { enable: true },
  set_sentry_mode: { on: true },
  set_valet_mode: { on: true, password: '1234' },
  set_vehicle_name: { vehicle_name: 'Proxy Test' },
  speed_limit_activate: { pin: '1234' },
  speed_limit_deactivate: { pin: '1234' },
  speed_limit_clear_pin: { pin: '1234' },
  speed_limit_clear_pin_admin: {},
  speed_limit_set_limit: { limit_mph: 65 },
  parental_controls_activate: { pin: '1234' },
  parental_controls_deactivate: { pin: '1234' },
  parental_controls_enable_setting: { setting: 'SpeedLimit', enable: true },
  parental_controls_set_speed_limit: { limit_mph: 60 },
  parental_controls_clear_pin_admin: {},
  trigger_homelink: { lat: 37.5, lon: -122.25 },
  schedule_software_update: { offset_sec: 120 },
  cancel_software_update: {},
  window_control: { command: 'vent', lat: 0, lon: 0 },
};

/**
 * Signed with our extension module (`proto-ext/`): Fleet commands missing from Tesla's public
 * protos; the Go proxy answers `remote_boombox` "not implemented" and knows none of the others.
 */
const EXTENSION: Record<string, Record<string, unknown>> = {
  remote_boombox: { sound: 2000 },
  navigation_gps_request: { lat: 37.25, lon: -122.5, order: 1 },
  navigation_sc_request: { order: 1 },
  navigation_waypoints_request: { waypoints: 'refId:ChIJa,refId:ChIJb' },
  take_drivenote: { note: 'proxy note' },
  upcoming_calendar_entries: { calendar_data: 'opaque-calendar' },
  remote_auto_steering_wheel_heat_climate_request: { on: true },
  remote_steering_wheel_heat_level_request: { level: 2 },
};

/** Not signed: forwarded to REST with the body intact, or answered by the proxy. */
const OTHER = new Set([
  'set_managed_charge_current_request',
  'set_managed_charger_location',
  'set_managed_scheduled_charging_time',
  'navigation_request',
  'wake_up',
]);

describe('every Go proxy command through the proxy', () => {
  let h: Harness;
  /** The application payload of every signed request the car received, decoded. */
  const seen: { name: string; body: Record<string, unknown>; payload: Uint8Array }[] = [];
  before(async () => {
    h = await harness();
    const car = h.sim.fleet.car(VIN);
    const handle = car.handleSigned.bind(car);
    car.handleSigned = (bytes: Uint8Array) => {
      const msg = fromBinary(RoutableMessageSchema, bytes);
      const to = msg.toDestination?.subDestination;
      if (msg.payload.case === 'protobufMessageAsBytes' && to?.case === 'domain') {
        const p = msg.payload.value;
        const d =
          to.value === 2 ? decodeVcsec(p) : { kind: 'command', command: decodeInfotainment(p) };
        if (d.kind === 'command' && d.command)
          seen.push({ ...d.command, payload: p } as (typeof seen)[number]);
      }
      return handle(bytes);
    };
  });
  after(() => h.close());

  it('the table covers the Go proxy list', () => {
    const covered = new Set([...Object.keys(SIGNED), ...Object.keys(EXTENSION), ...OTHER]);
    assert.deepEqual(
      PROXY_COMMAND_NAMES.filter((n) => !covered.has(n)),
      [],
    );
  });

  for (const [name, params] of [...Object.entries(SIGNED), ...Object.entries(EXTENSION)]) {
    it(`${name} is signed, decoded by the car with the same params`, async () => {
      const car = h.sim.fleet.car(VIN);
      // The steering-wheel heat level, like the seat heaters, needs the climate on.
      if (name === 'remote_steering_wheel_heat_level_request') car.state.climateOn = true;
      const before = car.history.length;
      const res = await command(h, name, params);
      assert.equal(res.status, 200, res.text);
      const last = car.history[0];
      assert.ok(last && car.history.length >= Math.min(before + 1, 20), 'the car saw a command');
      assert.equal(last.via, 'signed');
      if (last.result) assert.deepEqual(res.json, OK_BODY);
      else
        assert.deepEqual(res.json, {
          response: { result: false, reason: `car could not execute command: ${last.reason}` },
          error: '',
          error_description: '',
        });
      assert.equal(last.name, name);
      if (name in EXTENSION) assert.equal(last.result, true, `${name}: ${last.reason}`);
      const decoded = seen.at(-1);
      assert.equal(decoded?.name, name);
      for (const [k, v] of Object.entries(decoded?.body ?? {})) {
        if (k in params) assert.deepEqual(v, params[k], `${name}.${k}`);
      }
    });
  }

  it('carries the Go params the simulator does not decode in the protobuf payload', async () => {
    const action = async (name: string) => {
      const res = await command(h, name, SIGNED[name]);
      assert.equal(res.status, 200);
      const m = fromBinary(ActionSchema, seen.at(-1)?.payload ?? new Uint8Array()).actionMsg;
      assert.equal(m.case, 'vehicleAction');
      return m.value?.vehicleActionMsg;
    };
    const add = await action('add_charge_schedule');
    assert.equal(add?.case, 'addChargeScheduleAction');
    if (add?.case === 'addChargeScheduleAction') {
      const v = add.value;
      assert.deepEqual(
        [v.id, v.daysOfWeek, v.startEnabled, v.startTime, v.endEnabled, v.endTime, v.enabled],
        [42n, 0b110, true, 60, true, 300, true],
      );
      assert.deepEqual([v.latitude, v.longitude], [37.5, -122.25]);
    }
    const dep = await action('set_scheduled_departure');
    assert.equal(dep?.case, 'scheduledDepartureAction');
    if (dep?.case === 'scheduledDepartureAction') {
      assert.equal(dep.value.enabled, true);
      assert.equal(dep.value.departureTime, 480);
      assert.equal(dep.value.offPeakHoursEndTime, 360);
      assert.equal(dep.value.preconditioningTimes?.times.case, 'allWeek');
      assert.equal(dep.value.offPeakChargingTimes?.times.case, 'weekdays');
    }
    const home = await action('trigger_homelink');
    assert.equal(home?.case, 'vehicleControlTriggerHomelinkAction');
    if (home?.case === 'vehicleControlTriggerHomelinkAction') {
      assert.deepEqual(home.value.location, {
        ...home.value.location,
        latitude: 37.5,
        longitude: -122.25,
      });
    }
  });

  it('changes the simulated state as the params say', async () => {
    const state = h.sim.fleet.car(VIN).state;
    await command(h, 'set_charge_limit', { percent: 66 });
    assert.equal(state.chargeLimit, 66);
    await command(h, 'set_charging_amps', { charging_amps: 12 });
    assert.equal(state.chargeAmps, 12);
    await command(h, 'set_temps', { driver_temp: 19.5, passenger_temp: 23 });
    assert.deepEqual([state.driverTemp, state.passengerTemp], [19.5, 23]);
    await command(h, 'door_unlock');
    assert.equal(state.locked, false);
    await command(h, 'door_lock');
    assert.equal(state.locked, true);
    await command(h, 'set_vehicle_name', { vehicle_name: 'Renamed' });
    assert.equal(state.displayName, 'Renamed');
    await command(h, 'actuate_trunk', { which_trunk: 'rear' });
    assert.equal(state.trunkOpen, true);
  });

  it('a no-op answers as the Go proxy does: result false with the NominalError reason', async () => {
    await command(h, 'set_charge_limit', { percent: 67 });
    const again = await command(h, 'set_charge_limit', { percent: 67 });
    assert.equal(again.status, 200);
    assert.deepEqual((again.json as { response: unknown }).response, {
      result: false,
      reason: 'car could not execute command: already_set',
    });
  });

  it('extension commands change the simulated state as the params say', async () => {
    const state = h.sim.fleet.car(VIN).state;
    state.climateOn = true;
    await command(h, 'remote_steering_wheel_heat_level_request', { level: 1 });
    assert.deepEqual([state.steeringWheelHeatLevel, state.steeringWheelHeater], [1, true]);
    await command(h, 'remote_auto_steering_wheel_heat_climate_request', { on: false });
    assert.equal(state.autoSteeringWheelHeat, false);
    await command(h, 'navigation_gps_request', { lat: 48.5, lon: 2.25, order: 1 });
    assert.deepEqual(state.route, { latitude: 48.5, longitude: 2.25 });
  });

  it('an extension command the car refuses is reported, with nothing sent over REST', async () => {
    const car = h.sim.fleet.car(VIN);
    car.state.climateOn = false;
    const endpoint = 'POST command/remote_steering_wheel_heat_level_request';
    const rest = h.count(endpoint);
    const signed = h.count('POST signed_command');
    const res = await command(h, 'remote_steering_wheel_heat_level_request', { level: 2 });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {
      response: {
        result: false,
        reason: 'car could not execute command: cabin comfort remote settings not enabled',
      },
      error: '',
      error_description: '',
    });
    assert.equal(car.history[0]?.via, 'signed');
    assert.equal(h.count('POST signed_command'), signed + 1, 'sent once, signed');
    assert.equal(h.count(endpoint), rest, 'never over REST');
  });
});
