import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as charging from '../../src/commands/charging.js';
import { mayResend } from '../../src/commands/effect.js';
import {
  EXTENSION_COMMAND_NAMES,
  EXTRA_SIGNED_COMMAND_NAMES,
  FLEET_COMMAND_NAMES,
  PROXY_COMMAND_NAMES,
} from '../../src/commands/names.js';
import { CommandParamError } from '../../src/commands/params.js';
import {
  build,
  COMMANDS,
  getCommand,
  isFleetCommandName,
  listCommands,
} from '../../src/commands/registry.js';
import { actionJson } from '../helpers/decode-command.js';

// Transcribed from the command table of vehicle-command `pkg/proxy/command.go`: the 68 names with a protobuf path.
const SIGNED_68 = [
  'adjust_volume',
  'media_next_fav',
  'media_prev_fav',
  'media_next_track',
  'media_prev_track',
  'media_volume_down',
  'media_volume_up',
  'media_toggle_playback',
  'auto_conditioning_start',
  'auto_conditioning_stop',
  'charge_max_range',
  'remote_seat_cooler_request',
  'remote_seat_heater_request',
  'remote_auto_seat_climate_request',
  'remote_steering_wheel_heater_request',
  'set_bioweapon_mode',
  'set_cabin_overheat_protection',
  'set_climate_keeper_mode',
  'set_cop_temp',
  'set_preconditioning_max',
  'set_temps',
  'actuate_trunk',
  'charge_port_door_open',
  'charge_port_door_close',
  'flash_lights',
  'honk_horn',
  'remote_start_drive',
  'open_tonneau',
  'close_tonneau',
  'stop_tonneau',
  'set_low_power_mode',
  'keep_accessory_power_mode',
  'charge_standard',
  'charge_start',
  'charge_stop',
  'set_charging_amps',
  'set_scheduled_charging',
  'set_charge_limit',
  'set_scheduled_departure',
  'add_charge_schedule',
  'add_precondition_schedule',
  'remove_charge_schedule',
  'remove_precondition_schedule',
  'set_pin_to_drive',
  'clear_pin_to_drive_admin',
  'door_lock',
  'door_unlock',
  'erase_user_data',
  'reset_pin_to_drive_pin',
  'reset_valet_pin',
  'guest_mode',
  'set_sentry_mode',
  'set_valet_mode',
  'set_vehicle_name',
  'speed_limit_activate',
  'speed_limit_deactivate',
  'speed_limit_clear_pin',
  'speed_limit_clear_pin_admin',
  'speed_limit_set_limit',
  'parental_controls_activate',
  'parental_controls_deactivate',
  'parental_controls_enable_setting',
  'parental_controls_set_speed_limit',
  'parental_controls_clear_pin_admin',
  'trigger_homelink',
  'schedule_software_update',
  'cancel_software_update',
  'window_control',
];
// VCSEC rows of the table; every other signed one is Infotainment.
const VCSEC = [
  'actuate_trunk',
  'remote_start_drive',
  'open_tonneau',
  'close_tonneau',
  'stop_tonneau',
  'door_lock',
  'door_unlock',
];
const REST_API = [
  'navigation_request',
  'set_managed_charge_current_request',
  'set_managed_charger_location',
  'set_managed_scheduled_charging_time',
];

test('the spec table: 68 signed + 4 REST-only + wake_up + remote_boombox = 74 proxy names', () => {
  assert.equal(SIGNED_68.length, 68);
  assert.equal(new Set(SIGNED_68).size, 68);
  assert.deepEqual(
    [...PROXY_COMMAND_NAMES].sort(),
    [...SIGNED_68, ...REST_API, 'wake_up', 'remote_boombox'].sort(),
  );
});

test('every signed command of the table has a registry row with a builder on the right domain', () => {
  for (const name of SIGNED_68) {
    const row = getCommand(name);
    assert.ok(row, `${name}: registry row`);
    assert.equal(typeof row.build, 'function', `${name}: builder`);
    assert.equal(row.domain, VCSEC.includes(name) ? 'vcsec' : 'infotainment', `${name}: domain`);
  }
});

test('REST-only and wake_up rows are routed and have no builder; extension rows are signed', () => {
  for (const name of REST_API) {
    assert.equal(getCommand(name)?.domain, 'rest', name);
    assert.equal(getCommand(name)?.restReason, 'rest-api', name);
    assert.equal(getCommand(name)?.build, undefined, name);
  }
  assert.equal(getCommand('wake_up')?.domain, 'wake');
  assert.equal(getCommand('wake_up')?.build, undefined);
  for (const name of EXTENSION_COMMAND_NAMES) {
    assert.equal(getCommand(name)?.domain, 'infotainment', name);
    assert.equal(getCommand(name)?.source, 'teslemetry-ext', name);
    assert.equal(typeof getCommand(name)?.build, 'function', name);
  }
  // Only the extension rows are marked with that source.
  assert.deepEqual(
    listCommands()
      .filter((r) => r.source !== undefined)
      .map((r) => r.name)
      .sort(),
    [...EXTENSION_COMMAND_NAMES].sort(),
  );
  for (const name of EXTRA_SIGNED_COMMAND_NAMES) {
    assert.equal(typeof getCommand(name)?.build, 'function', name);
  }
  // Rows with a builder are exactly the signed ones.
  for (const row of listCommands()) {
    const signed = row.domain === 'vcsec' || row.domain === 'infotainment';
    assert.equal(row.build !== undefined, signed, row.name);
    assert.equal(row.restReason !== undefined, row.domain === 'rest', row.name);
  }
});

test('every row has its name, a route, an effect, scopes and a description', () => {
  const names = listCommands().map((r) => r.name);
  assert.deepEqual(names, [...FLEET_COMMAND_NAMES]);
  assert.equal(new Set(names).size, names.length);
  const scopes = new Set([
    'vehicle_cmds',
    'vehicle_charging_cmds',
    'vehicle_device_data',
    'vehicle_location',
  ]);
  for (const row of listCommands()) {
    assert.equal(COMMANDS[row.name as keyof typeof COMMANDS], row);
    assert.match(row.name, /^[a-z][a-z0-9_]{0,47}$/);
    assert.ok(['vcsec', 'infotainment', 'rest', 'wake'].includes(row.domain), row.name);
    assert.ok(['read', 'idempotent', 'write', 'destructive'].includes(row.effect), row.name);
    assert.ok(row.scopes.length > 0, `${row.name}: scopes`);
    for (const s of row.scopes) assert.ok(scopes.has(s), `${row.name}: scope ${s}`);
    assert.ok(row.description.length > 10 && row.description.length <= 300, row.name);
    assert.ok(row.description.endsWith('.'), row.name);
  }
});

test('non-idempotent commands are marked so they are never resent blindly', () => {
  for (const name of [
    'door_unlock',
    'actuate_trunk',
    'honk_horn',
    'flash_lights',
    'remote_start_drive',
    'remote_boombox',
    'trigger_homelink',
    'media_next_track',
    'media_toggle_playback',
    'media_volume_up',
    'erase_user_data',
  ]) {
    const row = getCommand(name);
    assert.ok(row, name);
    assert.equal(mayResend(row.effect), false, name);
  }
  for (const name of ['door_lock', 'set_charge_limit', 'charge_start', 'set_temps', 'wake_up']) {
    assert.equal(getCommand(name)?.effect, 'idempotent', name);
    assert.equal(mayResend(getCommand(name)?.effect ?? 'write'), true, name);
  }
  for (const row of listCommands()) {
    const risky = row.effect === 'write' || row.effect === 'destructive';
    assert.equal(mayResend(row.effect), !risky, row.name);
  }
});

test('charging commands need vehicle_charging_cmds; others vehicle_cmds', () => {
  assert.deepEqual(getCommand('set_charge_limit')?.scopes, ['vehicle_charging_cmds']);
  assert.deepEqual(getCommand('door_lock')?.scopes, ['vehicle_cmds']);
  assert.ok(getCommand('charge_port_door_open')?.scopes.includes('vehicle_cmds'));
});

test('unknown names give undefined (the proxy answers invalid_command), prototype keys too', () => {
  for (const name of ['nope', 'toString', '__proto__', 'constructor', 'DOOR_LOCK', '']) {
    assert.equal(getCommand(name), undefined, name);
    assert.equal(isFleetCommandName(name), false, name);
  }
  assert.equal(getCommand('door_lock'), COMMANDS.door_lock);
  assert.deepEqual(
    listCommands().map((r) => r.name),
    FLEET_COMMAND_NAMES,
  );
  assert.ok(Object.isFrozen(COMMANDS) && Object.isFrozen(COMMANDS.door_lock));
});

test('builders are pure: the same params give the same bytes', () => {
  const samples: Record<string, Record<string, unknown>> = {
    set_charge_limit: { percent: 75 },
    add_charge_schedule: {
      lat: 1,
      lon: 2,
      start_enabled: true,
      end_enabled: false,
      days_of_week: 'All',
      enabled: true,
      id: 9,
    },
    set_temps: { driver_temp: 20, passenger_temp: 21 },
  };
  for (const [name, params] of Object.entries(samples)) {
    const build = getCommand(name)?.build;
    assert.ok(build);
    assert.deepEqual(build(params).payload, build({ ...params }).payload, name);
  }
});

test("build(name, params) is the row's builder; unknown, unsigned and bad params are refused", () => {
  const cmd = build('set_charge_limit', { percent: 80 });
  assert.equal(cmd.domain, 3);
  assert.deepEqual(actionJson(cmd), actionJson(charging.setChargeLimit(80)));
  assert.equal(build('door_lock').domain, 2);
  assert.throws(
    () => build('no_such_command'),
    (e: unknown) => {
      assert.ok(e instanceof CommandParamError);
      assert.match(e.message, /unknown Fleet command 'no_such_command'/);
      return true;
    },
  );
  assert.throws(() => build('toString'), /unknown Fleet command/);
  assert.throws(() => build('wake_up'), /not a signed command \(route wake\).*REST API/);
  assert.throws(() => build('set_charge_limit', { percent: '80' }), /invalid percent param/);
  assert.throws(() => build('set_charge_limit', {}), /missing percent param/);
  assert.throws(() => build('set_charge_limit', { percent: 20 }), RangeError);
});
