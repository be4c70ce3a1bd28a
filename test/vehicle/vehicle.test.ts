import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { create, toBinary } from '@bufbuild/protobuf';
import { ResponseSchema } from '../../src/gen/car_server_pb.js';
import { GenericError_E } from '../../src/gen/errors_pb.js';
import {
  FromVCSECMessageSchema,
  OperationStatus_E,
  SignedMessage_information_E,
} from '../../src/gen/vcsec_pb.js';
import { VehicleCommandError } from '../../src/vehicle/errors.js';
import { keyFingerprint } from '../../src/vehicle/pairing.js';
import { CLIMATE_ON, LOCK, setup, VIN } from '../helpers/vehicle-setup.js';

function vcsecReply(init: Parameters<typeof create<typeof FromVCSECMessageSchema>>[1]): Uint8Array {
  return toBinary(FromVCSECMessageSchema, create(FromVCSECMessageSchema, init));
}

describe('Vehicle.send', () => {
  test('a cold VCSEC command costs a VCSEC handshake plus the command, and no Infotainment handshake', async () => {
    const s = setup();
    const r = await s.vehicle.send(LOCK);
    assert.deepEqual(
      { result: r.result, via: r.via, domain: r.domain, vin: r.vin },
      { result: true, via: 'signed', domain: 'vcsec', vin: VIN },
    );
    assert.equal(s.transport.signedRequests(), 2);
    assert.deepEqual(
      s.transport.log.map((l) => `${l.kind}:${l.domain}`),
      ['handshake:2', 'command:2'],
    );
    assert.equal(s.car.executed.length, 1);
    assert.deepEqual(s.car.executed[0]?.payload, LOCK.payload);
  });

  test('a cold Infotainment command costs 2 requests, a warm one 1', async () => {
    const s = setup();
    await s.vehicle.send(CLIMATE_ON);
    assert.equal(s.transport.signedRequests(), 2);
    const before = s.vehicle.counter(3) ?? 0;
    await s.vehicle.send(CLIMATE_ON);
    assert.equal(s.transport.signedRequests(), 3);
    assert.equal(s.vehicle.counter(3), before + 1);
    assert.equal(s.transport.count('handshake'), 1);
    assert.deepEqual(s.transport.counterRegressions(), []);
  });

  test('the Infotainment reason text comes back with an OK result', async () => {
    const s = setup();
    const reply = toBinary(
      ResponseSchema,
      create(ResponseSchema, {
        actionStatus: {
          result: 0,
          resultReason: { reason: { case: 'plainText', value: 'already on' } },
        },
      }),
    );
    s.transport.inject(VIN, 'command', { kind: 'app', reply });
    const r = await s.vehicle.send(CLIMATE_ON);
    assert.equal(r.reason, 'already on');
  });

  test('an Infotainment ERROR is a command_failed error with the reason, not retried', async () => {
    const s = setup();
    const reply = toBinary(
      ResponseSchema,
      create(ResponseSchema, {
        actionStatus: {
          result: 1,
          resultReason: { reason: { case: 'plainText', value: 'user_present' } },
        },
      }),
    );
    s.transport.inject(VIN, 'command', { kind: 'app', reply });
    await assert.rejects(s.vehicle.send(CLIMATE_ON), (e: unknown) => {
      assert.ok(e instanceof VehicleCommandError);
      assert.equal(e.code, 'command_failed');
      assert.match(e.message, /car could not execute command: user_present/);
      assert.equal(e.mayHaveExecuted, false);
      return true;
    });
    assert.equal(s.transport.count('command'), 1);
  });

  test('a VCSEC nominal error is command_failed with the error name', async () => {
    const s = setup();
    const reply = vcsecReply({
      subMessage: {
        case: 'nominalError',
        value: { genericError: GenericError_E.GENERICERROR_CLOSURES_OPEN },
      },
    });
    s.transport.inject(VIN, 'command', { kind: 'app', reply });
    await assert.rejects(s.vehicle.send(LOCK), /vcsec could not execute command: closures_open/);
    assert.equal(s.transport.count('command'), 1);
  });

  test('VCSEC WAIT is busy: pause, re-sign with a new counter, resend', async () => {
    const s = setup();
    const reply = vcsecReply({
      subMessage: {
        case: 'commandStatus',
        value: { operationStatus: OperationStatus_E.OPERATIONSTATUS_WAIT },
      },
    });
    s.transport.inject(VIN, 'command', { kind: 'app', reply });
    await s.vehicle.send(LOCK);
    assert.equal(s.transport.count('command'), 2);
    assert.deepEqual(s.sleeps, [1000]);
    assert.deepEqual(s.transport.counterRegressions(), []);
  });

  test('VCSEC "not on whitelist" is key_not_paired', async () => {
    const s = setup();
    const reply = vcsecReply({
      subMessage: {
        case: 'commandStatus',
        value: {
          operationStatus: OperationStatus_E.OPERATIONSTATUS_ERROR,
          subMessage: {
            case: 'signedMessageStatus',
            value: {
              signedMessageInformation:
                SignedMessage_information_E.SIGNEDMESSAGE_INFORMATION_FAULT_NOT_ON_WHITELIST,
            },
          },
        },
      },
    });
    s.transport.inject(VIN, 'command', { kind: 'app', reply });
    await assert.rejects(s.vehicle.send(LOCK), { code: 'key_not_paired' });
  });

  test('100 concurrent Infotainment commands: one handshake, distinct increasing counters, no retries, < 32 in flight', async () => {
    const s = setup();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => s.vehicle.send(CLIMATE_ON)),
    );
    assert.equal(results.length, 100);
    assert.equal(s.transport.count('handshake'), 1);
    assert.equal(s.transport.count('command'), 100, 'no retries');
    assert.equal(s.car.executed.length, 100);
    const counters = s.transport.log.filter((l) => l.kind === 'command').map((l) => l.counter);
    assert.equal(new Set(counters).size, 100);
    for (let i = 1; i < counters.length; i++) {
      assert.ok((counters[i] ?? 0) > (counters[i - 1] ?? 0), 'counters increase');
    }
    assert.ok(s.transport.maxInFlight < 32, `in flight ${s.transport.maxInFlight}`);
    assert.ok(s.transport.maxInFlight > 1, 'commands did run concurrently');
  });

  test('VCSEC commands to one VIN are serialized', async () => {
    const s = setup();
    await Promise.all(Array.from({ length: 10 }, () => s.vehicle.send(LOCK)));
    assert.equal(s.transport.maxInFlight, 1);
    assert.equal(s.transport.count('command'), 10);
    assert.deepEqual(s.transport.counterRegressions(), []);
  });

  test('an aborted call sends nothing and says so', async () => {
    const s = setup();
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(s.vehicle.send(LOCK, { signal: ac.signal }), {
      code: 'deadline',
      mayHaveExecuted: false,
    });
    assert.equal(s.transport.signedRequests(), 0);
  });

  test('commands to different domains of one VIN do not share a session', async () => {
    const s = setup();
    await Promise.all([s.vehicle.send(LOCK), s.vehicle.send(CLIMATE_ON)]);
    assert.equal(s.transport.count('handshake'), 2);
    assert.ok(s.vehicle.counter(2) !== undefined && s.vehicle.counter(3) !== undefined);
  });
});

describe('pairing', () => {
  test('an unpaired key gives key_not_paired naming the VIN, the fingerprint and the _ak link', async () => {
    const s = setup({ paired: false, appDomain: 'https://Example.com/' });
    await assert.rejects(s.vehicle.send(LOCK), (e: unknown) => {
      assert.ok(e instanceof VehicleCommandError);
      assert.equal(e.code, 'key_not_paired');
      assert.equal(e.retryable, false);
      assert.ok(e.message.includes(VIN));
      assert.ok(e.message.includes(keyFingerprint(s.key.publicKey)));
      assert.ok(e.message.includes('https://tesla.com/_ak/example.com'));
      return true;
    });
    assert.equal(s.transport.signedRequests(), 1, 'the handshake alone tells');
    assert.equal(s.car.executed.length, 0);
  });

  test('without an app domain the error says to run tesla-mcp pair', async () => {
    const s = setup({ paired: false });
    await assert.rejects(s.vehicle.send(CLIMATE_ON), /tesla-mcp pair/);
  });

  test('checkPairing reports paired / not paired, and a paired check leaves a session for the next command', async () => {
    const s = setup({ paired: false, appDomain: 'example.com' });
    const no = await s.vehicle.checkPairing();
    assert.equal(no.paired, false);
    assert.equal(no.fingerprint, keyFingerprint(s.key.publicKey));
    assert.equal(no.pairingUrl, 'https://tesla.com/_ak/example.com');
    assert.match(no.message, /does not know our public key/);
    s.car.pair(s.key.publicKey);
    const yes = await s.vehicle.checkPairing();
    assert.equal(yes.paired, true);
    const before = s.transport.signedRequests();
    await s.vehicle.send(LOCK);
    assert.equal(s.transport.signedRequests() - before, 1);
  });

  test('keyFingerprint is the first 8 bytes of SHA-256 of the key, in hex', async () => {
    const { createHash } = await import('node:crypto');
    const s = setup();
    const expected = createHash('sha256').update(s.key.publicKey).digest().subarray(0, 8);
    assert.equal(keyFingerprint(s.key.publicKey), expected.toString('hex'));
  });
});
