/** src/mcp/vehicle-limits.ts: limits remembered from vehicle_data, and the values a car applies. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  clampedBy,
  knownLimits,
  modelLimits,
  VehicleLimitsCache,
} from '../../src/mcp/vehicle-limits.js';

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

describe('vehicle limits from the model in the VIN (before any vehicle_data)', () => {
  test('Model 3 and Y of any year, Model S and X from 2021: 48 A (Tesla, Onboard Charger)', () => {
    for (const vin of [
      '5YJ3E1EA1PF000001', // Model 3, 2023
      '5YJ3E1EA7JF000001', // Model 3, 2018
      '7SAYGDEE1PF000003', // Model Y, 2023
      '5YJSA1E5XMF000004', // Model S, 2021
      '7SAXCBE6XRF000005', // Model X, 2024
    ]) {
      assert.equal(modelLimits(vin)?.chargeAmpsMax, 48, vin);
    }
  });

  test('Model S and X before 2021 (up to 72 A) and other models: no bound', () => {
    assert.equal(modelLimits('5YJSA1E26JF000002'), undefined); // Model S, 2018
    assert.equal(modelLimits('5YJXCAE45LF000006'), undefined); // Model X, 2020
    assert.equal(modelLimits('5YJRE1A31A1000007'), undefined); // Roadster
  });

  test('the model bound is reported as such; a vehicle_data value wins over it', () => {
    const model3 = '5YJ3E1EA1PF000001';
    const byModel = clampedBy(
      'set_charging_amps',
      { charging_amps: 50 },
      knownLimits(model3, undefined),
    );
    assert.deepEqual(byModel?.applied, { charging_amps: 48 });
    assert.match(
      byModel?.message ?? '',
      /50 A is above this car's maximum of 48 A here \(the onboard charger of a Model 3/,
    );
    assert.equal(
      clampedBy('set_charging_amps', { charging_amps: 48 }, knownLimits(model3, undefined)),
      undefined,
    );

    const cache = new VehicleLimitsCache();
    cache.remember(model3, { charge_state: { charge_current_request_max: 16 } });
    const read = clampedBy(
      'set_charging_amps',
      { charging_amps: 32 },
      knownLimits(model3, cache.get(model3)),
    );
    assert.deepEqual(read?.applied, { charging_amps: 16 });
    assert.match(read?.message ?? '', /charge_current_request_max in the last vehicle_data/);

    // A read without charge_state keeps the temperatures it gave and takes the amps from the model.
    const climateOnly = new VehicleLimitsCache();
    climateOnly.remember(model3, { climate_state: { min_avail_temp: 16, max_avail_temp: 27 } });
    const merged = knownLimits(model3, climateOnly.get(model3));
    assert.equal(merged?.chargeAmpsMax, 48);
    assert.equal(merged?.tempMaxCelsius, 27);
  });
});
