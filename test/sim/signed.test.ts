import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MessageFault, ProtocolError } from '../../src/signing/errors.js';
import { PrivateKey } from '../../src/signing/keys.js';
import { SimFleet } from '../../src/sim/fleet.js';
import { SIM_VINS } from '../../src/sim/index.js';
import { Dispatcher } from '../../src/vehicle/dispatcher.js';
import { VehicleCommandError } from '../../src/vehicle/errors.js';
import {
  CLIMATE_ON,
  carServerReason,
  fakeClock,
  handshake,
  LOCK,
  type Send,
  setChargeLimit,
  signedCall,
  UNLOCK,
} from '../helpers/sim-client.js';

const { modern: MODERN, unpaired: UNPAIRED } = SIM_VINS;

function setup() {
  const clock = fakeClock();
  const fleet = new SimFleet({ now: clock.now });
  const key = PrivateKey.generate();
  fleet.pairKey(key.publicKey);
  const send: Send = (vin, bytes) => fleet.signedCommand(vin, bytes);
  return { clock, fleet, key, send };
}

const faultOf = (fault: number) => (e: unknown) => e instanceof ProtocolError && e.fault === fault;

describe('simulated vehicle: signed commands (signing library client)', () => {
  it('VCSEC: a signed unlock and lock change the lock state', async () => {
    const { clock, fleet, key, send } = setup();
    const signer = await handshake(send, key, MODERN, 2, clock.now());
    await signedCall(send, signer, UNLOCK, clock.now());
    assert.equal(fleet.car(MODERN).state.locked, false);
    await signedCall(send, signer, LOCK, clock.now());
    assert.equal(fleet.car(MODERN).state.locked, true);
    assert.deepEqual(
      fleet.car(MODERN).history.map((h) => [h.name, h.via, h.domain, h.result]),
      [
        ['door_lock', 'signed', 2, true],
        ['door_unlock', 'signed', 2, true],
      ],
    );
  });

  it('Infotainment: climate on and a charge limit, answered with a CarServer.Response', async () => {
    const { clock, fleet, key, send } = setup();
    const signer = await handshake(send, key, MODERN, 3, clock.now());
    assert.deepEqual(carServerReason(await signedCall(send, signer, CLIMATE_ON, clock.now())), {
      ok: true,
      reason: '',
    });
    assert.equal(fleet.car(MODERN).state.climateOn, true);
    await signedCall(send, signer, setChargeLimit(72), clock.now());
    assert.equal(fleet.car(MODERN).state.chargeLimit, 72);
    const again = carServerReason(await signedCall(send, signer, setChargeLimit(72), clock.now()));
    assert.deepEqual(again, { ok: false, reason: 'already_set' });
  });

  it('refuses a key that is not enrolled, and every key on the unpaired car', async () => {
    const { clock, key, send } = setup();
    const stranger = PrivateKey.generate();
    await assert.rejects(
      () => handshake(send, stranger, MODERN, 3, clock.now()),
      (e: unknown) => e instanceof ProtocolError && e.code === 'key-not-paired',
    );
    await assert.rejects(
      () => handshake(send, key, UNPAIRED, 2, clock.now()),
      (e: unknown) => e instanceof ProtocolError && e.code === 'key-not-paired',
    );
  });

  it('injects any MessageFault on the next signed command, without executing it', async () => {
    const { clock, fleet, key, send } = setup();
    const signer = await handshake(send, key, MODERN, 2, clock.now());
    fleet.injectFault(MODERN, MessageFault.BUSY);
    await assert.rejects(
      () => signedCall(send, signer, UNLOCK, clock.now()),
      faultOf(MessageFault.BUSY),
    );
    assert.equal(fleet.car(MODERN).state.locked, true);
    await signedCall(send, signer, UNLOCK, clock.now());
    assert.equal(fleet.car(MODERN).state.locked, false);
  });

  it('a reboot (new epoch) and a changed vehicle key make the old session fail', async () => {
    const { clock, fleet, key, send } = setup();
    const signer = await handshake(send, key, MODERN, 3, clock.now());
    fleet.reboot(MODERN, 3);
    await assert.rejects(
      () => signedCall(send, signer, CLIMATE_ON, clock.now()),
      (e: unknown) => e instanceof ProtocolError && e.fault === MessageFault.INCORRECT_EPOCH,
    );
    const fresh = await handshake(send, key, MODERN, 3, clock.now());
    await signedCall(send, fresh, CLIMATE_ON, clock.now());
    fleet.changeVehicleKey(MODERN, 3);
    await assert.rejects(() => signedCall(send, fresh, CLIMATE_ON, clock.now()), ProtocolError);
  });

  it('a skewed vehicle clock makes a signature look expired', async () => {
    const { clock, fleet, key, send } = setup();
    const signer = await handshake(send, key, MODERN, 3, clock.now());
    fleet.skewClock(MODERN, 3600, 3);
    await assert.rejects(
      () => signedCall(send, signer, CLIMATE_ON, clock.now()),
      (e: unknown) => e instanceof ProtocolError && e.fault === MessageFault.TIME_EXPIRED,
    );
  });

  it('a signed command to an asleep car gets 408 and does not run', async () => {
    const { fleet, key, send, clock } = setup();
    const signer = await handshake(send, key, MODERN, 2, clock.now());
    fleet.car(MODERN).sleep();
    await assert.rejects(
      () => signedCall(send, signer, UNLOCK, clock.now()),
      (e: unknown) => e instanceof Error && 'status' in e && e.status === 408,
    );
    assert.equal(fleet.car(MODERN).state.locked, true);
  });
});

describe('simulated fleet through the vehicle layer (Dispatcher)', () => {
  it('signs for the modern car, falls back to REST for the legacy car, reports not paired', async () => {
    const { clock, fleet, key } = setup();
    const d = new Dispatcher({ transport: fleet, key, now: clock.now, sleep: async () => {} });
    const r = await d
      .vehicle(MODERN)
      .send({ domain: 3, payload: CLIMATE_ON }, { name: 'auto_conditioning_start' });
    assert.equal(r.via, 'signed');
    assert.equal(fleet.car(MODERN).state.climateOn, true);
    await d.vehicle(MODERN).send({ domain: 2, payload: UNLOCK }, { name: 'door_unlock' });
    assert.equal(fleet.car(MODERN).state.locked, false);

    await fleet.wakeUp(SIM_VINS.legacy);
    fleet.car(SIM_VINS.legacy).wakeDelayMs = 0;
    clock.advance(5_000);
    const legacy = await d
      .vehicle(SIM_VINS.legacy)
      .send({ domain: 2, payload: UNLOCK }, { name: 'door_unlock', params: {} });
    assert.equal(legacy.via, 'rest');
    assert.equal(fleet.car(SIM_VINS.legacy).state.locked, false);

    assert.equal((await d.vehicle(MODERN).checkPairing()).paired, true);
    assert.equal((await d.vehicle(UNPAIRED).checkPairing()).paired, false);
    await assert.rejects(
      () => d.vehicle(UNPAIRED).send({ domain: 2, payload: LOCK }, { name: 'door_lock' }),
      (e: unknown) => e instanceof VehicleCommandError && e.code === 'key_not_paired',
    );
    await d.close();
  });
});
