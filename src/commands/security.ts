/**
 * Security builders: sentry, valet, guest mode, PIN to drive, speed limit, parental controls,
 * HomeLink, erase user data.
 *
 * Mirrors vehicle-command pkg/vehicle/security.go (Infotainment part; locks and keys are in
 * `./vcsec.ts`).
 *
 * @module
 */
import { ParentalControlsEnableSettingsAction_ParentalControlsSetting_E } from '../gen/car_server_pb.js';
import {
  checkBool,
  checkLatitude,
  checkLongitude,
  checkNumber,
  checkOneOf,
  checkPin,
} from './check.js';
import type { Command } from './types.js';
import { infotainment } from './wrap.js';

/** Speed Limit Mode range, in mph (Tesla's documented 50–120). */
export const MIN_SPEED_LIMIT_MPH = 50;
export const MAX_SPEED_LIMIT_MPH = 120;

/** `set_sentry_mode`. */
export const setSentryMode = (on: boolean): Command =>
  infotainment({
    case: 'vehicleControlSetSentryModeAction',
    value: { on: checkBool('sentry mode on', on) },
  });

/** `set_valet_mode` on, with a four-digit PIN (`EnableValetMode`). */
export function enableValetMode(pin: string): Command {
  checkPin('valet PIN', pin);
  return infotainment({
    case: 'vehicleControlSetValetModeAction',
    value: { on: true, password: pin },
  });
}

/** `set_valet_mode` off (`DisableValetMode`: `{on: false, password: ""}`). */
export const disableValetMode = (): Command =>
  infotainment({ case: 'vehicleControlSetValetModeAction', value: { on: false, password: '' } });

/** `reset_valet_pin`. */
export const resetValetPin = (): Command =>
  infotainment({ case: 'vehicleControlResetValetPinAction', value: {} });

/** `guest_mode`. */
export const setGuestMode = (on: boolean): Command =>
  infotainment({
    case: 'guestModeAction',
    value: { GuestModeActive: checkBool('guest mode', on) },
  });

/**
 * `set_pin_to_drive`: on needs a four-digit PIN; off sends the PIN given (may be empty), as
 * upstream does.
 */
export function setPinToDrive(on: boolean, pin = ''): Command {
  checkBool('PIN to drive on', on);
  if (on || pin !== '') checkPin('PIN to drive', pin);
  return infotainment({ case: 'vehicleControlSetPinToDriveAction', value: { on, password: pin } });
}

/** `reset_pin_to_drive_pin`. */
export const resetPinToDrivePin = (): Command =>
  infotainment({ case: 'vehicleControlResetPinToDriveAction', value: {} });

/** `clear_pin_to_drive_admin` (fleet manager / owner). */
export const clearPinToDriveAdmin = (): Command =>
  infotainment({ case: 'vehicleControlResetPinToDriveAdminAction', value: {} });

/** `speed_limit_activate`. */
export const speedLimitActivate = (pin: string): Command =>
  infotainment({
    case: 'drivingSpeedLimitAction',
    value: { activate: true, pin: checkPin('speed limit PIN', pin) },
  });

/** `speed_limit_deactivate`. */
export const speedLimitDeactivate = (pin: string): Command =>
  infotainment({
    case: 'drivingSpeedLimitAction',
    value: { activate: false, pin: checkPin('speed limit PIN', pin) },
  });

/** `speed_limit_clear_pin`. */
export const speedLimitClearPin = (pin: string): Command =>
  infotainment({
    case: 'drivingClearSpeedLimitPinAction',
    value: { pin: checkPin('speed limit PIN', pin) },
  });

/** `speed_limit_clear_pin_admin`. */
export const speedLimitClearPinAdmin = (): Command =>
  infotainment({ case: 'drivingClearSpeedLimitPinAdminAction', value: {} });

/** `speed_limit_set_limit`: mph, 50–120. */
export function speedLimitSetLimit(limitMph: number): Command {
  checkNumber('speed limit', limitMph, MIN_SPEED_LIMIT_MPH, MAX_SPEED_LIMIT_MPH, 'mph');
  return infotainment({ case: 'drivingSetSpeedLimitAction', value: { limitMph } });
}

/** `parental_controls_activate` (four-digit PIN). */
export const parentalControlsActivate = (pin: string): Command =>
  infotainment({
    case: 'parentalControlsAction',
    value: { activate: true, pin: checkPin('parental controls PIN', pin) },
  });

/** `parental_controls_deactivate` (four-digit PIN). */
export const parentalControlsDeactivate = (pin: string): Command =>
  infotainment({
    case: 'parentalControlsAction',
    value: { activate: false, pin: checkPin('parental controls PIN', pin) },
  });

/** Parental-control settings, by their protobuf enum names (what the Fleet API's `setting` takes). */
export const PARENTAL_CONTROLS_SETTINGS = [
  'SpeedLimit',
  'Acceleration',
  'SafetyFeatures',
  'Curfew',
  'BrowserBlocked',
  'TheaterBlocked',
  'ArcadeBlocked',
] as const;
export type ParentalControlsSetting = (typeof PARENTAL_CONTROLS_SETTINGS)[number];

/** `parental_controls_enable_setting`. */
export function parentalControlsEnableSetting(
  setting: ParentalControlsSetting,
  enable: boolean,
): Command {
  checkOneOf('parental controls setting', setting, PARENTAL_CONTROLS_SETTINGS);
  return infotainment({
    case: 'parentalControlsEnableSettingsAction',
    value: {
      setting: ParentalControlsEnableSettingsAction_ParentalControlsSetting_E[setting],
      enable: checkBool('enable', enable),
    },
  });
}

/** `parental_controls_set_speed_limit`: mph (a positive number up to 120). */
export function parentalControlsSetSpeedLimit(limitMph: number): Command {
  checkNumber('parental controls speed limit', limitMph, 1, MAX_SPEED_LIMIT_MPH, 'mph');
  return infotainment({ case: 'parentalControlsSetSpeedLimitAction', value: { limitMph } });
}

/** `parental_controls_clear_pin_admin`. */
export const parentalControlsClearPinAdmin = (): Command =>
  infotainment({ case: 'parentalControlsClearPinAdminAction', value: {} });

/** `trigger_homelink`: the car's location, so it picks the HomeLink device in range. */
export function triggerHomelink(latitude: number, longitude: number): Command {
  return infotainment({
    case: 'vehicleControlTriggerHomelinkAction',
    value: {
      location: { latitude: checkLatitude(latitude), longitude: checkLongitude(longitude) },
    },
  });
}

/** `erase_user_data`: erase guest data (upstream sets the message empty, `reason` unset). */
export const eraseUserData = (): Command =>
  infotainment({ case: 'eraseUserDataAction', value: {} });
