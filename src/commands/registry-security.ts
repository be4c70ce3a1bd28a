/**
 * Registry rows of toolset `security`: locks, closures, remote start, horn, lights, windows,
 * sunroof, sentry, valet, PIN to drive, speed limit, HomeLink and the power modes, mapped onto
 * `./security.ts`. The Go proxy's JSON parameters (vehicle-command pkg/proxy/command.go) are read
 * by `./params.ts`.
 *
 * @module
 */
import type { FleetCommandName } from './names.js';
import { CommandParamError, getBool, getNumber, getString, type Params } from './params.js';
import { info, type Row, sec } from './rows.js';
import * as security from './security.js';

/** command.go `actuate_trunk`: a non-string `which_trunk` opens the rear trunk; "" is invalid. */
function trunk(p: Params): security.Trunk {
  let which: string;
  try {
    which = getString(p, 'which_trunk', false);
  } catch {
    return 'rear';
  }
  if (which === 'front' || which === 'rear') return which;
  throw new CommandParamError('invalid_value', 'which_trunk');
}

export const SECURITY_ROWS = {
  actuate_trunk: sec(
    'write',
    'Open (or toggle) the rear trunk, or open the frunk (cannot be closed remotely).',
    (p) => security.actuateTrunk(trunk(p)),
  ),
  flash_lights: info('write', 'Flash the headlights briefly.', () => security.flashLights()),
  honk_horn: info('write', 'Honk the horn briefly.', () => security.honkHorn()),
  remote_start_drive: sec('write', 'Enable keyless driving for 2 minutes.', () =>
    security.remoteStartDrive(),
  ),
  open_tonneau: sec('idempotent', 'Open the Cybertruck tonneau cover.', () =>
    security.openTonneau(),
  ),
  close_tonneau: sec('idempotent', 'Close the Cybertruck tonneau cover.', () =>
    security.closeTonneau(),
  ),
  stop_tonneau: sec('idempotent', 'Stop a moving Cybertruck tonneau cover.', () =>
    security.stopTonneau(),
  ),
  auto_secure_vehicle: sec('idempotent', 'Close the closures and lock the vehicle.', () =>
    security.autoSecureVehicle(),
  ),
  door_lock: sec('idempotent', 'Lock the vehicle.', () => security.doorLock()),
  door_unlock: sec('write', 'Unlock the vehicle.', () => security.doorUnlock()),
  set_low_power_mode: info('idempotent', 'Turn low power mode on or off.', (p) =>
    security.setLowPowerMode(getBool(p, 'enable', true)),
  ),
  keep_accessory_power_mode: info(
    'idempotent',
    'Keep accessory power on (or not) after leaving the vehicle.',
    (p) => security.keepAccessoryPowerMode(getBool(p, 'enable', true)),
  ),
  set_pin_to_drive: info('idempotent', 'Turn PIN to Drive on (with a 4-digit PIN) or off.', (p) => {
    const on = getBool(p, 'on', true);
    return security.setPinToDrive(on, getString(p, 'password', false));
  }),
  reset_valet_pin: info('destructive', 'Clear the valet PIN.', () => security.resetValetPin()),
  guest_mode: info(
    'idempotent',
    'Turn Guest Mode on or off (limits what a driver can see and change).',
    (p) => security.setGuestMode(getBool(p, 'enable', true)),
  ),
  set_sentry_mode: info('idempotent', 'Turn Sentry Mode on or off.', (p) =>
    security.setSentryMode(getBool(p, 'on', true)),
  ),
  set_valet_mode: info('idempotent', 'Turn Valet Mode on (with a 4-digit PIN) or off.', (p) => {
    const on = getBool(p, 'on', true);
    const password = getString(p, 'password', false);
    return on ? security.enableValetMode(password) : security.disableValetMode();
  }),
  speed_limit_activate: info('idempotent', 'Activate Speed Limit Mode with its 4-digit PIN.', (p) =>
    security.speedLimitActivate(getString(p, 'pin', true)),
  ),
  speed_limit_deactivate: info(
    'idempotent',
    'Deactivate Speed Limit Mode with its 4-digit PIN.',
    (p) => security.speedLimitDeactivate(getString(p, 'pin', true)),
  ),
  speed_limit_clear_pin: info(
    'destructive',
    'Clear the Speed Limit Mode PIN using the current PIN.',
    (p) => security.speedLimitClearPin(getString(p, 'pin', true)),
  ),
  speed_limit_set_limit: info(
    'idempotent',
    'Set the Speed Limit Mode maximum in mph (50-120).',
    (p) => security.speedLimitSetLimit(getNumber(p, 'limit_mph', true)),
  ),
  trigger_homelink: info(
    'write',
    'Trigger HomeLink (e.g. a garage door) near the given location.',
    (p) => {
      const lat = getNumber(p, 'lat', true);
      return security.triggerHomelink(lat, getNumber(p, 'lon', true));
    },
  ),
  window_control: info('idempotent', 'Vent or close all windows (vehicle in park).', (p) => {
    const command = getString(p, 'command', true);
    if (command !== 'vent' && command !== 'close') {
      throw new CommandParamError("command must be 'vent' or 'close'", 'command');
    }
    return security.windowControl(command);
  }),
  sun_roof_control: info('idempotent', 'Vent, close or open the power sunroof.', (p) => {
    const state = getString(p, 'state', true);
    if (state !== 'vent' && state !== 'close' && state !== 'open') {
      throw new CommandParamError("state must be 'vent', 'close' or 'open'", 'state');
    }
    return security.sunroofControl(state);
  }),
} satisfies Partial<Record<FleetCommandName, Row>>;
