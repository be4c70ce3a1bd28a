import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyControllerState, whitelistInfo } from '../../src/commands/keys.js';
import { PrivateKey } from '../../src/signing/keys.js';
import { SimFleet } from '../../src/sim/fleet.js';
import { SIM_VINS } from '../../src/sim/index.js';
import { Dispatcher } from '../../src/vehicle/dispatcher.js';

test('unsigned VCSEC information requests go out without a session and come back decoded', async () => {
  const t = Date.UTC(2026, 5, 1);
  const fleet = new SimFleet({ now: () => t });
  const key = PrivateKey.generate();
  fleet.pairKey(key.publicKey);
  const d = new Dispatcher({ transport: fleet, key, now: () => t, sleep: async () => {} });
  const before = fleet.counter.snapshot().total;
  const info = await d.vehicle(SIM_VINS.modern).send(whitelistInfo());
  assert.equal(info.result, true);
  assert.equal(info.domain, 'vcsec');
  assert.ok(info.response, 'decoded FromVCSECMessage');
  const status = await d.vehicle(SIM_VINS.modern).send(bodyControllerState());
  assert.ok(status.response);
  // No handshake was needed: one request per information request.
  assert.equal(fleet.counter.snapshot().total - before, 2);
  assert.equal(d.vehicle(SIM_VINS.modern).counter(2), undefined, 'no VCSEC session was started');
});

test('the dispatcher keeps a bounded number of vehicles in memory', () => {
  const fleet = new SimFleet({ now: () => 0 });
  const d = new Dispatcher({ transport: fleet, key: PrivateKey.generate(), maxVehicles: 2 });
  const a = d.vehicle('VIN00000000000001');
  const b = d.vehicle('VIN00000000000002');
  assert.equal(d.vehicle('VIN00000000000001'), a, 'reused while kept');
  d.vehicle('VIN00000000000003'); // evicts ...002, the least recently used
  assert.equal(d.vehicle('VIN00000000000001'), a);
  assert.notEqual(d.vehicle('VIN00000000000002'), b, 'evicted, then created anew');
});
