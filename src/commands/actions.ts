/**
 * Infotainment actuator builders: horn, lights, windows, sunroof.
 *
 * Mirrors vehicle-command pkg/vehicle/actions.go (the Infotainment half; closures that VCSEC
 * moves are in `./vcsec.ts`).
 *
 * @module
 */
import { checkInt, checkOneOf } from './check.js';
import type { Command } from './types.js';
import { infotainment } from './wrap.js';

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
