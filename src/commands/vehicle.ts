/**
 * Vehicle builders (toolset `vehicle`): the vehicle name, software updates, and the read
 * requests over the protocol (ping, vehicle data by category, nearby charging sites; none has a
 * REST command name, they answer in `CarServer.Response`).
 *
 * Mirrors vehicle-command pkg/vehicle/infotainment.go (`ScheduleSoftwareUpdate`,
 * `CancelSoftwareUpdate`, `SetVehicleName`, `Ping`, `GetNearbyCharging`) and
 * pkg/vehicle/state.go (`GetState`).
 *
 * @module
 */
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { GetVehicleDataSchema } from '../gen/car_server_pb.js';
import { checkBool, checkInt, checkOneOf, checkText } from './check.js';
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

/** `Ping`: an authenticated no-op (upstream always sends ping_id 1). */
export const ping = (): Command => infotainment({ case: 'ping', value: { pingId: 1 } });

/** Vehicle-data categories (vehicle-command `StateCategory`) → `GetVehicleData` field. */
const CATEGORY_FIELD = {
  charge: 'getChargeState',
  climate: 'getClimateState',
  drive: 'getDriveState',
  location: 'getLocationState',
  closures: 'getClosuresState',
  charge_schedule: 'getChargeScheduleState',
  preconditioning_schedule: 'getPreconditioningScheduleState',
  tire_pressure: 'getTirePressureState',
  media: 'getMediaState',
  media_detail: 'getMediaDetailState',
  software_update: 'getSoftwareUpdateState',
  parental_controls: 'getParentalControlsState',
} as const;

export type StateCategory = keyof typeof CATEGORY_FIELD;
export const STATE_CATEGORIES = Object.keys(CATEGORY_FIELD) as StateCategory[];

type GetVehicleDataInit = MessageInitShape<typeof GetVehicleDataSchema>;

/**
 * `GetVehicleData` with the requested sub-messages. Upstream asks for one category per
 * request; several in one message are allowed by the proto. `location` needs the
 * `vehicle_location` scope.
 */
export function getVehicleData(categories: readonly StateCategory[]): Command {
  if (categories.length === 0) throw new RangeError('vehicle data needs at least one category');
  const request: Record<string, Record<string, never>> = {};
  for (const c of categories) {
    checkOneOf('vehicle data category', c, STATE_CATEGORIES);
    request[CATEGORY_FIELD[c]] = {};
  }
  return infotainment({ case: 'getVehicleData', value: request as GetVehicleDataInit });
}

export interface NearbyChargingOptions {
  /** Include site metadata (amenities, stall counts). Default true, as upstream. */
  includeMetaData?: boolean;
  /** Search radius in miles. Default 200, as upstream. */
  radius?: number;
  /** Number of sites. Default 10, as upstream. */
  count?: number;
}

/** `GetNearbyChargingSites` (upstream's defaults: metadata, 200 miles, 10 sites). */
export function getNearbyChargingSites(o: NearbyChargingOptions = {}): Command {
  return infotainment({
    case: 'getNearbyChargingSites',
    value: {
      includeMetaData: checkBool('include metadata', o.includeMetaData ?? true),
      radius: checkInt('radius', o.radius ?? 200, 1, 1000, 'miles'),
      count: checkInt('count', o.count ?? 10, 1, 50, 'sites'),
    },
  });
}
