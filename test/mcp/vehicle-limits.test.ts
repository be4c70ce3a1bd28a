/** src/mcp/vehicle-limits.ts: limits remembered from vehicle_data, and the values a car applies. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clampedBy, VehicleLimitsCache } from '../../src/mcp/vehicle-limits.js';

const VIN = '5YJ3E1EA7JF000001';

describe('vehicle limits from the last vehicle_data', () => {
  const data = {
    charge_state: { charge_current_request_max: 32 },
    climate_state: { min_avail_temp: 15, max_avail_temp: 28 },
  };

  test('nothing known: nothing reported', () => {
    const cache = new VehicleLimitsCache();
    assert.equal(clampedBy('set_charging_amps', { charging_amps: 80 }, cache.get(VIN)), undefined);
  });

  test('amps above charge_current_request_max are reported with the value that applies', () => {
    const cache = new VehicleLimitsCache(() => 1000);
    cache.remember(VIN, data);
    assert.deepEqual(cache.get(VIN), {
      at: 1000,
      chargeAmpsMax: 32,
      tempMinCelsius: 15,
      tempMaxCelsius: 28,
    });
    const c = clampedBy('set_charging_amps', { charging_amps: 40 }, cache.get(VIN));
    assert.deepEqual(c?.applied, { charging_amps: 32 });
    assert.match(c?.message ?? '', /40 A is above this car's maximum of 32 A.*charges at 32 A/);
    assert.equal(clampedBy('set_charging_amps', { charging_amps: 32 }, cache.get(VIN)), undefined);
  });

  test('temperatures outside min/max_avail_temp are reported per side', () => {
    const cache = new VehicleLimitsCache();
    cache.remember(VIN, { climate_state: { min_avail_temp: 16, max_avail_temp: 27 } });
    const c = clampedBy('set_temps', { driver_temp: 28, passenger_temp: 20 }, cache.get(VIN));
    assert.deepEqual(c?.applied, { driver_temp: 27 });
    assert.match(c?.message ?? '', /16–27 °C.*28 °C → 27 °C/);
    assert.equal(clampedBy('set_temps', { driver_temp: 21 }, cache.get(VIN)), undefined);
  });

  test('a partial read keeps what an earlier read learned', () => {
    const cache = new VehicleLimitsCache();
    cache.remember(VIN, data);
    cache.remember(VIN, { vehicle_state: {} });
    assert.equal(cache.get(VIN)?.chargeAmpsMax, 32);
  });
});
