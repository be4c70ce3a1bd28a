import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as vehicle from '../../src/commands/vehicle.js';
import { actionJson, viaRegistry } from '../helpers/decode-command.js';

test('software and settings commands are range-checked', () => {
  assert.throws(() => vehicle.scheduleSoftwareUpdate(-1), RangeError);
  assert.throws(() => vehicle.setVehicleName(''), RangeError);
  assert.throws(() => vehicle.setVehicleName('x'.repeat(101)), RangeError);
  assert.throws(() => viaRegistry('set_vehicle_name', { vehicle_name: 5 }), {
    message: 'invalid vehicle_name param',
  });
});

test('protocol-only reads: one GetVehicleData member per category, nearby sites checked', () => {
  assert.equal(vehicle.STATE_CATEGORIES.length, 12);
  for (const c of vehicle.STATE_CATEGORIES) {
    const json = actionJson(vehicle.getVehicleData([c])) as { getVehicleData: object };
    assert.equal(Object.keys(json.getVehicleData).length, 1, c);
  }
  assert.throws(() => vehicle.getVehicleData([]), RangeError);
  assert.throws(() => vehicle.getVehicleData(['weather' as vehicle.StateCategory]), RangeError);
  assert.throws(() => vehicle.getNearbyChargingSites({ radius: 0 }), RangeError);
});
