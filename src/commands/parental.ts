/**
 * Parental-controls builders (toolset `parental`): activate, deactivate, per-setting switches,
 * speed limit, admin PIN clear.
 *
 * Mirrors vehicle-command pkg/vehicle/security.go (parental controls).
 *
 * @module
 */
import { ParentalControlsEnableSettingsAction_ParentalControlsSetting_E } from '../gen/car_server_pb.js';
import { checkBool, checkNumber, checkOneOf, checkPin } from './check.js';
import { MAX_SPEED_LIMIT_MPH } from './security.js';
import type { Command } from './types.js';
import { infotainment } from './wrap.js';

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
