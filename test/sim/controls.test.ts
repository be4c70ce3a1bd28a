/**
 * The simulator's `/_sim/` controls over real HTTP (src/sim/routes-control.ts), driven the way
 * another client's test suite would: fetch for the controls and `signed_command`, the signing
 * library as the client.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fromBinary } from '@bufbuild/protobuf';
import { RoutableMessageSchema } from '../../src/gen/universal_message_pb.js';
import { MessageFault, ProtocolError } from '../../src/signing/errors.js';
import { PrivateKey } from '../../src/signing/keys.js';
import { SimFleet } from '../../src/sim/fleet.js';
import { SIM_VINS } from '../../src/sim/index.js';
import { type SimServer, serveFleet } from '../../src/sim/server.js';
import {
  CLIMATE_ON,
  handshake,
  LOCK,
  type Send,
  signedCall,
  UNLOCK,
} from '../helpers/sim-client.js';

const { modern: MODERN } = SIM_VINS;
const TOKEN = 'sim-controls-test-token';

describe('simulator controls over HTTP', () => {
  let fleet: SimFleet;
  let server: SimServer;
  const key = PrivateKey.generate();

  const call = async (method: string, path: string, token = TOKEN) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
    });
    return {
      status: res.status,
      headers: res.headers,
      body: (await res.json()) as Record<string, unknown>,
    };
  };
  const control = (path: string) => call('POST', `/_sim/vehicles/${path}`);
  const lastReply: { bytes?: Uint8Array } = {};
  const send: Send = async (vin, bytes) => {
    const res = await fetch(`${server.url}/api/1/vehicles/${vin}/signed_command`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ routable_message: Buffer.from(bytes).toString('base64') }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { response: string };
    lastReply.bytes = Uint8Array.from(Buffer.from(body.response, 'base64'));
    return lastReply.bytes;
  };
  const syncFault = (fault: number) => (e: unknown) =>
    e instanceof ProtocolError && e.fault === fault && e.sessionUpdated && !e.sessionInfoRejected;

  before(async () => {
    fleet = new SimFleet({ token: TOKEN });
    fleet.pairKey(key.publicKey);
    server = await serveFleet(fleet, 0);
  });
  after(async () => {
    await server?.close();
  });

  it('take the bearer token, answer 404 for an unknown VIN or control, 405 for GET', async () => {
    assert.equal((await call('POST', `/_sim/vehicles/${MODERN}/sleep`, 'wrong')).status, 401);
    assert.equal(fleet.car(MODERN).online, true, 'nothing changed');
    const unknown = await control('5YJ3E1EA1PF999999/reboot');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.simulated, true);
    assert.equal((await control(`${MODERN}/explode`)).status, 404);
    const get = await call('GET', `/_sim/vehicles/${MODERN}/reboot`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
  });

  it('answer 400 for a bad parameter and change nothing', async () => {
    const epochs = [fleet.car(MODERN).verifiers[2].epoch, fleet.car(MODERN).verifiers[3].epoch];
    for (const path of [
      'reboot?domain=bms',
      'fault',
      'fault?name=INCORRECT_EPOCH',
      'fault?name=MESSAGEFAULT_ERROR_NONE',
      'fault?name=MESSAGEFAULT_ERROR_NOPE',
      'fault?name=MESSAGEFAULT_ERROR_BUSY&domain=3',
      'skew',
      'skew?seconds=1.5',
      'skew?seconds=abc',
      'skew?seconds=99999999',
    ]) {
      const r = await control(`${MODERN}/${path}`);
      assert.equal(r.status, 400, path);
      assert.equal(r.body.error, 'invalid_field', path);
      assert.match(String(r.body.error_description), /must be/, path);
    }
    assert.deepEqual(
      [fleet.car(MODERN).verifiers[2].epoch, fleet.car(MODERN).verifiers[3].epoch],
      epochs,
    );
    assert.equal(fleet.car(MODERN).pendingFault, undefined);
  });

  it('reboot?domain=infotainment: a new epoch there only; the client resyncs from the fault', async () => {
    const vcsec = await handshake(send, key, MODERN, 2, Date.now());
    const info = await handshake(send, key, MODERN, 3, Date.now());
    const before = info.epoch;
    const r = await control(`${MODERN}/reboot?domain=infotainment`);
    assert.equal(r.status, 200);
    assert.deepEqual((r.body.response as { rebooted: string[] }).rebooted, ['infotainment']);
    await signedCall(send, vcsec, LOCK, Date.now());
    await assert.rejects(
      signedCall(send, info, CLIMATE_ON, Date.now()),
      syncFault(MessageFault.INCORRECT_EPOCH),
    );
    assert.notDeepEqual(info.epoch, before);
    await signedCall(send, info, CLIMATE_ON, Date.now());
  });

  it('reboot without domain: both domains get a new epoch', async () => {
    const car = fleet.car(MODERN);
    const epochs = [car.verifiers[2].epoch, car.verifiers[3].epoch];
    const r = await control(`${MODERN}/reboot`);
    assert.deepEqual((r.body.response as { rebooted: string[] }).rebooted, [
      'vcsec',
      'infotainment',
    ]);
    assert.notDeepEqual(car.verifiers[2].epoch, epochs[0]);
    assert.notDeepEqual(car.verifiers[3].epoch, epochs[1]);
  });

  it('fault: the next signed request to that domain gets it, with session info tagged over its uuid', async () => {
    const vcsec = await handshake(send, key, MODERN, 2, Date.now());
    const info = await handshake(send, key, MODERN, 3, Date.now());
    const r = await control(
      `${MODERN}/fault?name=MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER&domain=vcsec`,
    );
    assert.equal(r.status, 200);
    await signedCall(send, info, CLIMATE_ON, Date.now()); // the other domain is not affected
    const locked = fleet.car(MODERN).state.locked;
    const req = vcsec.sign(locked ? UNLOCK : LOCK, { now: Date.now() });
    const reply = await send(MODERN, req.bytes);
    assert.throws(
      () => vcsec.openResponse(req, reply, Date.now()),
      syncFault(MessageFault.INVALID_TOKEN_OR_COUNTER),
    );
    const m = fromBinary(RoutableMessageSchema, reply);
    assert.equal(m.payload.case, 'sessionInfo');
    assert.deepEqual(m.requestUuid, req.uuid, 'request_uuid echoed, as Tesla’s client needs');
    assert.equal(fleet.car(MODERN).state.locked, locked, 'the faulted command did not run');
    await signedCall(send, vcsec, locked ? UNLOCK : LOCK, Date.now());
    assert.equal(fleet.car(MODERN).state.locked, !locked, 'one-shot: the next one runs');
  });

  it('skew?seconds=N moves the vehicle clock: TIME_EXPIRED with session info, then the resync works', async () => {
    const info = await handshake(send, key, MODERN, 3, Date.now());
    const r = await control(`${MODERN}/skew?seconds=3600&domain=infotainment`);
    assert.equal((r.body.response as { skewedSeconds: number }).skewedSeconds, 3600);
    await assert.rejects(
      signedCall(send, info, CLIMATE_ON, Date.now()),
      syncFault(MessageFault.TIME_EXPIRED),
    );
    await signedCall(send, info, CLIMATE_ON, Date.now());
    await control(`${MODERN}/skew?seconds=-3600&domain=infotainment`);
  });

  it('sleep: the car is asleep; vehicle_data answers 408 until wake_up', async () => {
    const r = await control(`${MODERN}/sleep`);
    assert.equal(r.status, 200);
    assert.equal((r.body.response as { state: string }).state, 'asleep');
    assert.equal((await call('GET', `/api/1/vehicles/${MODERN}/vehicle_data`)).status, 408);
    const summary = await call('GET', `/api/1/vehicles/${MODERN}`);
    assert.equal((summary.body.response as { state: string }).state, 'asleep');
  });
});
