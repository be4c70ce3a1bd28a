/**
 * `GET /_sim/stats` (handshakes, verified commands and faults the cars saw) and `--cars N`'s
 * fleet (`simulatedCars`): valid VINs, all paired and online.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MessageFault } from '../../src/signing/errors.js';
import { PrivateKey } from '../../src/signing/keys.js';
import { SimFleet, simulatedCars, withCheckDigit } from '../../src/sim/fleet.js';
import { type SimServer, serveFleet } from '../../src/sim/server.js';
import { CLIMATE_ON, handshake, LOCK, type Send, signedCall } from '../helpers/sim-client.js';

const TOKEN = 'sim-stats-test-token';

describe('simulator stats and --cars', () => {
  let fleet: SimFleet;
  let server: SimServer;
  const key = PrivateKey.generate();
  const cars = simulatedCars(3);
  const send: Send = async (vin, bytes) => {
    const res = await fetch(`${server.url}/api/1/vehicles/${vin}/signed_command`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ routable_message: Buffer.from(bytes).toString('base64') }),
    });
    const body = (await res.json()) as { response: string };
    return Uint8Array.from(Buffer.from(body.response, 'base64'));
  };
  const stats = async (method = 'GET') => {
    const res = await fetch(`${server.url}/_sim/stats`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  before(async () => {
    fleet = new SimFleet({ token: TOKEN, vehicles: cars });
    fleet.pairKey(key.publicKey);
    server = await serveFleet(fleet, 0);
  });
  after(async () => {
    await server?.close();
  });

  it('makes N paired Model 3s with valid check digits, and refuses other counts', () => {
    assert.deepEqual(
      cars.map((c) => c.vin),
      ['5YJ3E1EA5PF100001', '5YJ3E1EA7PF100002', '5YJ3E1EA9PF100003'],
    );
    // The textbook example VIN of 49 CFR 565 (check digit X).
    assert.equal(withCheckDigit('1M8GDM9A0KP042788'), '1M8GDM9AXKP042788');
    assert.deepEqual(
      fleet.pairableVins,
      cars.map((c) => c.vin),
    );
    assert.throws(() => simulatedCars(0), RangeError);
    assert.throws(() => simulatedCars(1001), RangeError);
  });

  it('counts handshakes, verified commands and faults per car and domain', async () => {
    const [a, b] = cars.map((c) => c.vin);
    assert.ok(a && b);
    const vcsec = await handshake(send, key, a, 2, Date.now());
    const info = await handshake(send, key, a, 3, Date.now());
    await signedCall(send, vcsec, LOCK, Date.now());
    await signedCall(send, info, CLIMATE_ON, Date.now());
    await signedCall(send, info, CLIMATE_ON, Date.now());
    fleet.injectFault(a, MessageFault.BUSY, { domain: 3 });
    await assert.rejects(signedCall(send, info, CLIMATE_ON, Date.now()));
    const r = await stats();
    assert.equal(r.status, 200);
    const body = r.body as {
      response: {
        total: Record<string, number>;
        vehicles: Record<string, unknown>;
        requests: { byEndpoint: Record<string, number> };
      };
    };
    assert.deepEqual(body.response.total, { handshakes: 2, commands: 3, faults: 1 });
    assert.deepEqual(body.response.vehicles[a], {
      handshakes: { vcsec: 1, infotainment: 1 },
      commands: { vcsec: 1, infotainment: 2 },
      faults: { MESSAGEFAULT_ERROR_BUSY: 1 },
      executed: { door_lock: 1, auto_conditioning_start: 2 },
    });
    assert.deepEqual(body.response.vehicles[b], {
      handshakes: { vcsec: 0, infotainment: 0 },
      commands: { vcsec: 0, infotainment: 0 },
      faults: {},
      executed: {},
    });
    assert.equal(body.response.requests.byEndpoint['POST signed_command'], 6);
    assert.equal((await stats('POST')).status, 405);
  });
});
