/**
 * Registry rows for security, closures, actuators, software, navigation and the REST-only
 * commands: the Go proxy's JSON parameters (vehicle-command pkg/proxy/command.go) mapped onto
 * `./vcsec.ts`, `./security.ts`, `./actions.ts` and `./software.ts`.
 *
 * @module
 */
import * as actions from './actions.js';
import type { FleetCommandName } from './names.js';
import { CommandParamError, getBool, getNumber, getString, goInt, type Params } from './params.js';
import { info, type Row, rest, sec } from './rows.js';
import * as security from './security.js';
import * as software from './software.js';
import * as vcsec from './vcsec.js';

/** command.go `actuate_trunk`: a non-string `which_trunk` opens the rear trunk; "" is invalid. */
function trunk(p: Params): vcsec.Trunk {
  let which: string;
  try {
    which = getString(p, 'which_trunk', false);
  } catch {
    return 'rear';
  }
  if (which === 'front' || which === 'rear') return which;
  throw new CommandParamError('invalid_value', 'which_trunk');
}

function parentalSetting(p: Params): security.ParentalControlsSetting {
  const s = getString(p, 'setting', true);
  const found = security.PARENTAL_CONTROLS_SETTINGS.find((name) => name === s);
  if (found === undefined) throw new CommandParamError(`invalid setting: ${s}`, 'setting');
  return found;
}

const pin = (p: Params): string => getString(p, 'pin', true);

export const SECURITY_ROWS = {
  actuate_trunk: sec(
    'write',
    'Open the frunk (which_trunk "front") or open/close the rear trunk ("rear").',
    (p) => vcsec.actuateTrunk(trunk(p)),
  ),
  flash_lights: info('write', 'Flash the headlights.', () => actions.flashLights()),
  honk_horn: info('write', 'Honk the horn.', () => actions.honkHorn()),
  remote_start_drive: sec('write', 'Allow keyless driving for two minutes.', () =>
    vcsec.remoteStartDrive(),
  ),
  open_tonneau: sec('idempotent', 'Open the tonneau cover (Cybertruck).', () =>
    vcsec.openTonneau(),
  ),
  close_tonneau: sec('idempotent', 'Close the tonneau cover (Cybertruck).', () =>
    vcsec.closeTonneau(),
  ),
  stop_tonneau: sec('idempotent', 'Stop the moving tonneau cover (Cybertruck).', () =>
    vcsec.stopTonneau(),
  ),
  auto_secure_vehicle: sec('idempotent', 'Close the closures and lock the vehicle.', () =>
    vcsec.autoSecureVehicle(),
  ),
  door_lock: sec('idempotent', 'Lock the doors.', () => vcsec.doorLock()),
  door_unlock: sec('write', 'Unlock the doors.', () => vcsec.doorUnlock()),
  wake_up: {
    domain: 'wake',
    effect: 'idempotent',
    scopes: ['vehicle_device_data', 'vehicle_cmds'],
    description: 'Wake the vehicle (REST wake_up; billed as a wake).',
  },
  set_pin_to_drive: info(
    'idempotent',
    'Turn PIN to Drive on (with a 4-digit password) or off.',
    (p) => {
      const on = getBool(p, 'on', true);
      return security.setPinToDrive(on, getString(p, 'password', false));
    },
  ),
  clear_pin_to_drive_admin: info(
    'destructive',
    'Clear the PIN to Drive (owner or fleet manager).',
    () => security.clearPinToDriveAdmin(),
  ),
  erase_user_data: info('destructive', 'Erase the guest user data on the vehicle.', () =>
    security.eraseUserData(),
  ),
  reset_pin_to_drive_pin: info('destructive', 'Reset the PIN to Drive PIN.', () =>
    security.resetPinToDrivePin(),
  ),
  reset_valet_pin: info('destructive', 'Reset the valet PIN.', () => security.resetValetPin()),
  guest_mode: info('idempotent', 'Turn guest mode on or off.', (p) =>
    security.setGuestMode(getBool(p, 'enable', true)),
  ),
  set_sentry_mode: info('idempotent', 'Turn Sentry Mode on or off.', (p) =>
    security.setSentryMode(getBool(p, 'on', true)),
  ),
  set_valet_mode: info(
    'idempotent',
    'Turn valet mode on (with a 4-digit password) or off.',
    (p) => {
      const on = getBool(p, 'on', true);
      const password = getString(p, 'password', false);
      return on ? security.enableValetMode(password) : security.disableValetMode();
    },
  ),
  set_vehicle_name: info('idempotent', 'Rename the vehicle.', (p) =>
    software.setVehicleName(getString(p, 'vehicle_name', true)),
  ),
  speed_limit_activate: info('idempotent', 'Turn Speed Limit Mode on (4-digit PIN).', (p) =>
    security.speedLimitActivate(pin(p)),
  ),
  speed_limit_deactivate: info('idempotent', 'Turn Speed Limit Mode off (4-digit PIN).', (p) =>
    security.speedLimitDeactivate(pin(p)),
  ),
  speed_limit_clear_pin: info(
    'destructive',
    'Clear the Speed Limit Mode PIN (needs the PIN).',
    (p) => security.speedLimitClearPin(pin(p)),
  ),
  speed_limit_clear_pin_admin: info(
    'destructive',
    'Clear the Speed Limit Mode PIN (owner or fleet manager).',
    () => security.speedLimitClearPinAdmin(),
  ),
  speed_limit_set_limit: info(
    'idempotent',
    'Set the Speed Limit Mode speed in mph (50–120).',
    (p) => security.speedLimitSetLimit(getNumber(p, 'limit_mph', true)),
  ),
  parental_controls_activate: info('idempotent', 'Turn parental controls on (4-digit PIN).', (p) =>
    security.parentalControlsActivate(pin(p)),
  ),
  parental_controls_deactivate: info(
    'idempotent',
    'Turn parental controls off (4-digit PIN).',
    (p) => security.parentalControlsDeactivate(pin(p)),
  ),
  parental_controls_enable_setting: info(
    'idempotent',
    'Enable or disable one parental-controls setting (SpeedLimit, Acceleration, SafetyFeatures, Curfew, BrowserBlocked, TheaterBlocked, ArcadeBlocked).',
    (p) => {
      const setting = parentalSetting(p);
      return security.parentalControlsEnableSetting(setting, getBool(p, 'enable', true));
    },
  ),
  parental_controls_set_speed_limit: info(
    'idempotent',
    'Set the parental-controls speed limit in mph.',
    (p) => security.parentalControlsSetSpeedLimit(getNumber(p, 'limit_mph', true)),
  ),
  parental_controls_clear_pin_admin: info(
    'destructive',
    'Clear the parental-controls PIN (owner or fleet manager).',
    () => security.parentalControlsClearPinAdmin(),
  ),
  trigger_homelink: info(
    'write',
    'Trigger HomeLink (garage door) near the given location.',
    (p) => {
      const lat = getNumber(p, 'lat', true);
      return security.triggerHomelink(lat, getNumber(p, 'lon', true));
    },
  ),
  schedule_software_update: info(
    'idempotent',
    'Install the downloaded software update after offset_sec seconds.',
    (p) => software.scheduleSoftwareUpdate(goInt(getNumber(p, 'offset_sec', true))),
  ),
  cancel_software_update: info('idempotent', 'Cancel a scheduled software update.', () =>
    software.cancelSoftwareUpdate(),
  ),
  window_control: info(
    'idempotent',
    'Vent or close all windows (command "vent" or "close").',
    (p) => {
      const command = getString(p, 'command', true);
      if (command !== 'vent' && command !== 'close') {
        throw new CommandParamError("command must be 'vent' or 'close'", 'command');
      }
      return actions.windowControl(command);
    },
  ),
  sun_roof_control: info('idempotent', 'Vent, close or open the sunroof (state).', (p) => {
    const state = getString(p, 'state', true);
    if (state !== 'vent' && state !== 'close' && state !== 'open') {
      throw new CommandParamError("state must be 'vent', 'close' or 'open'", 'state');
    }
    return actions.sunroofControl(state);
  }),
  navigation_request: rest(
    'idempotent',
    'rest-api',
    'Send a destination (address or shared content) to the vehicle navigation.',
  ),
  remote_boombox: rest('write', 'no-public-proto', 'Play a sound from the external speaker.'),
  remote_steering_wheel_heat_level_request: rest(
    'idempotent',
    'no-public-proto',
    'Set the steering wheel heat level.',
  ),
  remote_auto_steering_wheel_heat_climate_request: rest(
    'idempotent',
    'no-public-proto',
    'Turn automatic steering wheel heating on or off.',
  ),
  navigation_gps_request: rest('idempotent', 'no-public-proto', 'Navigate to GPS coordinates.'),
  navigation_sc_request: rest('idempotent', 'no-public-proto', 'Navigate to a Supercharger.'),
  navigation_waypoints_request: rest(
    'idempotent',
    'no-public-proto',
    'Navigate along a list of waypoints.',
  ),
  take_drivenote: rest('write', 'no-public-proto', 'Record a drive note (up to 80 characters).'),
  upcoming_calendar_entries: rest(
    'idempotent',
    'no-public-proto',
    'Send upcoming calendar entries to the vehicle.',
  ),
} satisfies Partial<Record<FleetCommandName, Row>>;
