/**
 * Fleet API answers on signed_command (the table on `FleetHttpError`): asleep, rate limits, region, REST
 * fallback, and the REST-only path.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VehicleCommandError } from '../../src/vehicle/errors.js';
import { CLIMATE_ON, LOCK, setup, VIN } from '../helpers/vehicle-setup.js';

function isError(code: string, check?: (e: VehicleCommandError) => void) {
  return (e: unknown) => {
    assert.ok(e instanceof VehicleCommandError, String(e));
    assert.equal(e.code, code);
    check?.(e);
    return true;
  };
}

describe('Fleet API answers', () => {
  test('408 asleep on the handshake: "call wake_up, then retry"; one request, no retry, no wake', async () => {
    const s = setup();
    s.car.state = 'asleep';
    await assert.rejects(
      s.vehicle.send(CLIMATE_ON),
      isError('asleep', (e) => {
        assert.match(e.message, /call wake_up, then retry/);
        assert.equal(e.mayHaveExecuted, false);
        assert.equal(e.status, 408);
      }),
    );
    assert.equal(s.transport.signedRequests(), 1);
    assert.equal(s.transport.count('wake'), 0);
    assert.deepEqual(s.sleeps, []);
  });

  test('503 "vehicle unavailable" on a warm command: asleep, nothing ran, one request', async () => {
    const s = setup();
    await s.vehicle.send(LOCK);
    const before = s.transport.signedRequests();
    s.transport.inject(VIN, 'command', {
      kind: 'http',
      status: 503,
      error: 'vehicle is not available',
    });
    await assert.rejects(
      s.vehicle.send(LOCK),
      isError('asleep', (e) => assert.equal(e.mayHaveExecuted, false)),
    );
    assert.equal(s.transport.signedRequests() - before, 1);
  });

  test('429 surfaces Retry-After and is never looped', async () => {
    const s = setup();
    s.transport.inject(VIN, 'handshake', { kind: 'http', status: 429, retryAfterSeconds: 42 });
    await assert.rejects(
      s.vehicle.send(CLIMATE_ON, { idempotent: true }),
      isError('rate_limited', (e) => {
        assert.equal(e.retryAfterSeconds, 42);
        assert.match(e.message, /retry after 42 s/);
        assert.deepEqual(e.toJSON().retryAfterSeconds, 42);
      }),
    );
    assert.equal(s.transport.signedRequests(), 1);
    assert.deepEqual(s.sleeps, []);
  });

  test('421 surfaces the base URL', async () => {
    const s = setup();
    await s.vehicle.send(CLIMATE_ON);
    const base = 'https://fleet-api.prd.eu.vn.cloud.tesla.com';
    s.transport.inject(VIN, 'command', { kind: 'http', status: 421, baseUrl: base });
    await assert.rejects(
      s.vehicle.send(CLIMATE_ON),
      isError('region', (e) => {
        assert.equal(e.baseUrl, base);
        assert.ok(e.message.includes(base));
      }),
    );
  });

  test('401 asks for a new login', async () => {
    const s = setup();
    s.transport.inject(VIN, 'handshake', { kind: 'http', status: 401, error: 'token expired' });
    await assert.rejects(
      s.vehicle.send(LOCK),
      isError('unauthorized', (e) => assert.match(e.message, /tesla-mcp login/)),
    );
  });

  test('422: REST fallback with the original body intact, remembered for the VIN', async () => {
    const s = setup();
    s.car.protocol = false;
    const params = { percent: 80, nested: { a: [1, 2] } };
    const r = await s.vehicle.send(CLIMATE_ON, { name: 'set_charge_limit', params });
    assert.deepEqual(r, { result: true, reason: '', vin: VIN, via: 'rest' });
    assert.deepEqual(s.transport.restCalls, [{ vin: VIN, name: 'set_charge_limit', body: params }]);
    assert.equal(s.transport.signedRequests(), 1, 'one handshake got the 422');
    assert.ok(s.vehicle.usesRest);
    await s.vehicle.send(LOCK, { name: 'door_lock', params: {} });
    assert.equal(s.transport.signedRequests(), 1, 'no further signed attempt');
    assert.deepEqual(s.transport.restCalls[1], { vin: VIN, name: 'door_lock', body: {} });
  });

  test('422 for a command without a REST name: protocol_not_supported', async () => {
    const s = setup();
    s.car.protocol = false;
    await assert.rejects(s.vehicle.send(LOCK), isError('protocol_not_supported'));
    assert.equal(s.transport.restCalls.length, 0);
  });

  test('REST answer result:false is command_failed with the reason', async () => {
    const s = setup();
    s.car.protocol = false;
    s.car.restAnswer = { result: false, reason: 'disconnected' };
    await assert.rejects(
      s.vehicle.send(CLIMATE_ON, { name: 'charge_start', params: {} }),
      isError('command_failed', (e) => assert.match(e.message, /disconnected/)),
    );
  });

  test('REST answer not_charging for charge_stop is a success with changed: false', async () => {
    const s = setup();
    s.car.protocol = false;
    s.car.restAnswer = { result: false, reason: 'not_charging' };
    const r = await s.vehicle.send(CLIMATE_ON, { name: 'charge_stop', params: {} });
    assert.equal(r.changed, false);
    assert.equal(r.message, 'the car was not charging');
  });

  test('REST-only commands go straight to command/{name}', async () => {
    const s = setup();
    const params = { type: 'share_ext_content_raw', value: { 'android.intent.extra.TEXT': 'x' } };
    const r = await s.vehicle.rest('navigation_request', params);
    assert.equal(r.via, 'rest');
    assert.equal(s.transport.signedRequests(), 0);
    assert.deepEqual(s.transport.restCalls, [
      { vin: VIN, name: 'navigation_request', body: params },
    ]);
  });

  test('a REST-only command to a car that requires signing: signing_required, says it is unavailable', async () => {
    const s = setup();
    s.transport.inject(VIN, 'command', {
      kind: 'http',
      status: 403,
      error: 'Tesla Vehicle Command Protocol required, please refer to the documentation here: ...',
    });
    await assert.rejects(
      s.vehicle.rest('remote_boombox', {}),
      isError('signing_required', (e) =>
        assert.match(e.message, /not available for this car through the Fleet API/),
      ),
    );
  });
});
