import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as vehicle from '../../src/commands/vehicle.js';
import { actionJson, viaRegistry } from '../helpers/decode-command.js';

test('software and settings commands decode to the §4 field paths', () => {
  assert.deepEqual(viaRegistry('schedule_software_update', { offset_sec: 7200 }), {
    vehicleControlScheduleSoftwareUpdateAction: { offsetSec: 7200 },
  });
  assert.deepEqual(viaRegistry('cancel_software_update'), {
    vehicleControlCancelSoftwareUpdateAction: {},
  });
  assert.deepEqual(viaRegistry('set_vehicle_name', { vehicle_name: 'Blue Thunder' }), {
    setVehicleNameAction: { vehicleName: 'Blue Thunder' },
  });
  assert.throws(() => vehicle.scheduleSoftwareUpdate(-1), RangeError);
  assert.throws(() => vehicle.setVehicleName(''), RangeError);
  assert.throws(() => vehicle.setVehicleName('x'.repeat(101)), RangeError);
  assert.throws(() => viaRegistry('set_vehicle_name', { vehicle_name: 5 }), {
    message: 'invalid vehicle_name param',
  });
});

test('protocol-only reads: ping, vehicle data by category, nearby charging sites', () => {
  assert.deepEqual(actionJson(vehicle.ping()), {
    ping: { pingId: 1 },
  });
  assert.deepEqual(
    actionJson(vehicle.getVehicleData(['charge', 'location', 'parental_controls'])),
    {
      getVehicleData: {
        getChargeState: {},
        getLocationState: {},
        getParentalControlsState: {},
      },
    },
  );
  assert.equal(vehicle.STATE_CATEGORIES.length, 12);
  for (const c of vehicle.STATE_CATEGORIES) {
    const json = actionJson(vehicle.getVehicleData([c])) as { getVehicleData: object };
    assert.equal(Object.keys(json.getVehicleData).length, 1, c);
  }
  assert.throws(() => vehicle.getVehicleData([]), RangeError);
  assert.throws(() => vehicle.getVehicleData(['weather' as vehicle.StateCategory]), RangeError);
  assert.deepEqual(actionJson(vehicle.getNearbyChargingSites()), {
    getNearbyChargingSites: { includeMetaData: true, radius: 200, count: 10 },
  });
  assert.deepEqual(
    actionJson(vehicle.getNearbyChargingSites({ includeMetaData: false, count: 3 })),
    {
      getNearbyChargingSites: { includeMetaData: false, radius: 200, count: 3 },
    },
  );
  assert.throws(() => vehicle.getNearbyChargingSites({ radius: 0 }), RangeError);
});
