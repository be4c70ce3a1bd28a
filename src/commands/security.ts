/**
 * Security builders (toolset `security`): locks, remote start, auto-secure, trunk, frunk,
 * tonneau, horn, lights, windows, sunroof, sentry, valet, guest mode, PIN to drive, speed limit,
 * HomeLink, and the low-power and accessory-power modes.
 *
 * Mirrors vehicle-command pkg/vehicle/vcsec.go and pkg/vehicle/security.go (`Lock`, `Unlock`),
 * pkg/vehicle/actions.go (closures, horn, lights, windows, sunroof) and pkg/vehicle/charge.go
 * (`SetLowPowerMode`, `KeepAccessoryPowerMode`).
 *
 * @module
 */
import { ClosureMoveType_E, RKEAction_E } from '../gen/vcsec_pb.js';
import {
  checkBool,
  checkInt,
  checkLatitude,
  checkLongitude,
  checkNumber,
  checkOneOf,
  checkPin,
} from './check.js';
import type { Command } from './types.js';
import { infotainment, vcsec } from './wrap.js';

const rke = (action: RKEAction_E): Command => vcsec({ case: 'RKEAction', value: action });

/** `door_lock`. */
export const doorLock = (): Command => rke(RKEAction_E.RKE_ACTION_LOCK);

/** `door_unlock` (RKE_ACTION_UNLOCK is 0; the oneof member is still encoded: `1000`). */
export const doorUnlock = (): Command => rke(RKEAction_E.RKE_ACTION_UNLOCK);

/** `remote_start_drive`: keyless driving for two minutes. */
export const remoteStartDrive = (): Command => rke(RKEAction_E.RKE_ACTION_REMOTE_DRIVE);

/** `auto_secure_vehicle`: close the closures and lock (`AutoSecureVehicle`). */
export const autoSecureVehicle = (): Command => rke(RKEAction_E.RKE_ACTION_AUTO_SECURE_VEHICLE);

/** `actuate_trunk` with `front` opens the frunk; with `rear` it toggles the rear trunk. */
export const TRUNKS = ['front', 'rear'] as const;
export type Trunk = (typeof TRUNKS)[number];

export function actuateTrunk(which: Trunk): Command {
  checkOneOf('trunk', which, TRUNKS);
  const move = ClosureMoveType_E.CLOSURE_MOVE_TYPE_MOVE;
  return vcsec({
    case: 'closureMoveRequest',
    value: which === 'front' ? { frontTrunk: move } : { rearTrunk: move },
  });
}

/** Close a powered rear trunk (`CloseTrunk`; no Fleet command name). */
export const closeTrunk = (): Command =>
  vcsec({
    case: 'closureMoveRequest',
    value: { rearTrunk: ClosureMoveType_E.CLOSURE_MOVE_TYPE_CLOSE },
  });

const tonneau = (move: ClosureMoveType_E): Command =>
  vcsec({ case: 'closureMoveRequest', value: { tonneau: move } });

/** `open_tonneau` (Cybertruck). */
export const openTonneau = (): Command => tonneau(ClosureMoveType_E.CLOSURE_MOVE_TYPE_OPEN);

/** `close_tonneau`. */
export const closeTonneau = (): Command => tonneau(ClosureMoveType_E.CLOSURE_MOVE_TYPE_CLOSE);

/** `stop_tonneau`. */
export const stopTonneau = (): Command => tonneau(ClosureMoveType_E.CLOSURE_MOVE_TYPE_STOP);

/** `honk_horn`. */
export const honkHorn = (): Command =>
  infotainment({ case: 'vehicleControlHonkHornAction', value: {} });

/** `flash_lights`. */
export const flashLights = (): Command =>
  infotainment({ case: 'vehicleControlFlashLightsAction', value: {} });

export const WINDOW_COMMANDS = ['vent', 'close'] as const;
export type WindowCommand = (typeof WINDOW_COMMANDS)[number];

/** `window_control`: vent or close all windows (no location needed over the protocol). */
export function windowControl(command: WindowCommand): Command {
  checkOneOf('window command', command, WINDOW_COMMANDS);
  return infotainment({
    case: 'vehicleControlWindowAction',
    value: { action: { case: command, value: {} } },
  });
}

/** `window_control` with `vent`. */
export const ventWindows = (): Command => windowControl('vent');

/** `window_control` with `close`. */
export const closeWindows = (): Command => windowControl('close');

export const SUNROOF_STATES = ['vent', 'close', 'open'] as const;
export type SunroofState = (typeof SUNROOF_STATES)[number];

/**
 * `sun_roof_control`: vent, close or open the sunroof (the `action` oneof of
 * `VehicleControlSunroofOpenCloseAction`). The REST API's `stop` has no protobuf action.
 */
export function sunroofControl(state: SunroofState): Command {
  checkOneOf('sunroof state', state, SUNROOF_STATES);
  return infotainment({
    case: 'vehicleControlSunroofOpenCloseAction',
    value: { action: { case: state, value: {} } },
  });
}

/** Move the sunroof to an absolute level in percent (`ChangeSunroofState`; no Fleet name). */
export function sunroofLevel(percent: number): Command {
  checkInt('sunroof level', percent, 0, 100, 'percent');
  return infotainment({
    case: 'vehicleControlSunroofOpenCloseAction',
    value: { sunroofLevel: { case: 'absoluteLevel', value: percent } },
  });
}

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

/** `speed_limit_set_limit`: mph, 50–120. */
export function speedLimitSetLimit(limitMph: number): Command {
  checkNumber('speed limit', limitMph, MIN_SPEED_LIMIT_MPH, MAX_SPEED_LIMIT_MPH, 'mph');
  return infotainment({ case: 'drivingSetSpeedLimitAction', value: { limitMph } });
}

/** `trigger_homelink`: the car's location, so it picks the HomeLink device in range. */
export function triggerHomelink(latitude: number, longitude: number): Command {
  return infotainment({
    case: 'vehicleControlTriggerHomelinkAction',
    value: {
      location: { latitude: checkLatitude(latitude), longitude: checkLongitude(longitude) },
    },
  });
}

/** `set_low_power_mode`. */
export const setLowPowerMode = (on: boolean): Command =>
  infotainment({
    case: 'setLowPowerModeAction',
    value: { lowPowerMode: checkBool('low power mode', on) },
  });

/** `keep_accessory_power_mode`: keep the 12 V accessory outlets powered after leaving. */
export const keepAccessoryPowerMode = (on: boolean): Command =>
  infotainment({
    case: 'setKeepAccessoryPowerModeAction',
    value: { keepAccessoryPowerMode: checkBool('keep accessory power mode', on) },
  });
