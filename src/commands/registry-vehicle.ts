/**
 * Registry rows of toolset `vehicle`: wake-up, the vehicle name and software updates, mapped onto
 * `./vehicle.ts`. The Go proxy's JSON parameters (vehicle-command pkg/proxy/command.go) are read by
 * `./params.ts`.
 *
 * @module
 */
import type { FleetCommandName } from './names.js';
import { getNumber, getString, goInt } from './params.js';
import { info, type Row } from './rows.js';
import { WAKE } from './scopes.js';
import * as vehicle from './vehicle.js';

export const VEHICLE_ROWS = {
  wake_up: {
    domain: 'wake',
    effect: 'idempotent',
    scopes: WAKE,
    description: 'Wake the vehicle (REST wake_up; billed as a wake).',
  },
  set_vehicle_name: info('idempotent', 'Set the vehicle name.', (p) =>
    vehicle.setVehicleName(getString(p, 'vehicle_name', true)),
  ),
  schedule_software_update: info(
    'idempotent',
    'Install a downloaded software update after a delay in seconds. The car is not drivable while installing.',
    (p) => vehicle.scheduleSoftwareUpdate(goInt(getNumber(p, 'offset_sec', true))),
  ),
  cancel_software_update: info('idempotent', 'Cancel a scheduled software update.', () =>
    vehicle.cancelSoftwareUpdate(),
  ),
} satisfies Partial<Record<FleetCommandName, Row>>;
