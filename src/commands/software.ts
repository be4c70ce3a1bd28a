/**
 * Software-update and vehicle-settings builders.
 *
 * Mirrors vehicle-command pkg/vehicle/infotainment.go (`ScheduleSoftwareUpdate`,
 * `CancelSoftwareUpdate`, `SetVehicleName`).
 *
 * @module
 */
import { checkInt, checkText } from './check.js';
import type { Command } from './types.js';
import { infotainment } from './wrap.js';

/** Longest delay the protobuf's int32 seconds can carry. */
export const MAX_UPDATE_OFFSET_SECONDS = 0x7fffffff;
/** Longest vehicle name we send. */
export const MAX_VEHICLE_NAME_LENGTH = 100;

/** `schedule_software_update`: install the downloaded update in `offsetSeconds` (0 = now). */
export function scheduleSoftwareUpdate(offsetSeconds: number): Command {
  checkInt('update delay', offsetSeconds, 0, MAX_UPDATE_OFFSET_SECONDS, 'seconds');
  return infotainment({
    case: 'vehicleControlScheduleSoftwareUpdateAction',
    value: { offsetSec: offsetSeconds },
  });
}

/** `cancel_software_update`. */
export const cancelSoftwareUpdate = (): Command =>
  infotainment({ case: 'vehicleControlCancelSoftwareUpdateAction', value: {} });

/** `set_vehicle_name`. */
export const setVehicleName = (name: string): Command =>
  infotainment({
    case: 'setVehicleNameAction',
    value: { vehicleName: checkText('vehicle name', name, MAX_VEHICLE_NAME_LENGTH) },
  });
