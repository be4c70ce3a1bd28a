/**
 * The steps of one signed command (src/vehicle/signed-call.ts), one at a time: each gets a
 * `Call` and one input (an error, a signer, a reply payload) and must say what to do next and
 * update the call's budget; no transport, no loop.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { create, toBinary } from '@bufbuild/protobuf';
import { ResponseSchema } from '../../src/gen/car_server_pb.js';
import {
  FromVCSECMessageSchema,
  OperationStatus_E,
  WhitelistOperation_information_E,
} from '../../src/gen/vcsec_pb.js';
import { DEFAULT_FLAGS } from '../../src/signing/constants.js';
import { faultError, MessageFault, ProtocolError } from '../../src/signing/errors.js';
import { encodeSessionInfo } from '../../src/signing/session-info.js';
import { Signer } from '../../src/signing/signer.js';
import { VehicleCommandError } from '../../src/vehicle/errors.js';
import {
  afterHandshakeError,
  afterReply,
  afterReplyError,
  afterSendError,
  type Call,
  checkTime,
  exhausted,
  MAX_LIFETIME_MS,
  type Next,
  signCommand,
} from '../../src/vehicle/signed-call.js';
import { FleetHttpError } from '../../src/vehicle/transport.js';
import { pair, TEST_VIN } from '../helpers/pair.js';

const NOW = 1_700_000_000_000;

function call(o: Partial<Call> = {}): Call {
  return {
    vin: TEST_VIN,
    publicKey: new Uint8Array(65).fill(4),
    appDomain: 'example.com',
    idempotent: false,
    deadline: NOW + 10_000,
    signal: new AbortController().signal,
    sends: 0,
    maxAttempts: 4,
    unknownRetried: false,
    invalidSignatures: 0,
    rehandshaken: false,
    last: undefined,
    ...o,
  };
}

function thrown(next: Next, code: string): VehicleCommandError {
  assert.equal(next.do, 'throw');
  const err = next.do === 'throw' ? next.error : undefined;
  assert.ok(err instanceof VehicleCommandError, String(err));
  assert.equal(err.code, code, err.message);
  return err;
}

/** A ProtocolError as the signer throws it for a fault with (or without) applied session info. */
function fault(code: number, o: { sessionUpdated?: boolean; sessionInfoRejected?: boolean } = {}) {
  return faultError(code, o);
}

describe('step 0: afterHandshakeError', () => {
  test('422 switches to REST; not paired and 401 are surfaced without spending an attempt', () => {
    const c = call();
    assert.equal(afterHandshakeError(c, new FleetHttpError({ status: 422 })).do, 'rest');
    const notPaired = new ProtocolError('key-not-paired', 'not paired');
    assert.match(
      thrown(afterHandshakeError(c, notPaired), 'key_not_paired').message,
      /example\.com/,
    );
    thrown(afterHandshakeError(c, new FleetHttpError({ status: 401 })), 'unauthorized');
    assert.equal(c.sends, 0);
  });

  test('a busy vehicle pauses, unusable session info retries at once; each spends an attempt', () => {
    const c = call();
    assert.deepEqual(afterHandshakeError(c, fault(MessageFault.BUSY)), { do: 'pause' });
    assert.equal(c.sends, 1);
    assert.equal(c.last?.faultName, 'BUSY');
    const late = new ProtocolError('bad-session-info', 'too late', { retryable: true });
    assert.deepEqual(afterHandshakeError(c, late), { do: 'retry' });
    assert.equal(c.sends, 2);
    assert.equal(c.last?.code, 'bad_reply');
  });

  test('a bug is not swallowed', () => {
    assert.throws(() => afterHandshakeError(call(), new RangeError('bug')), RangeError);
  });
});

describe('step 1: signCommand', () => {
  test('signs with FLAG_ENCRYPT_RESPONSE, expires at the deadline (10 s at most), spends an attempt', async () => {
    const p = await pair(3);
    const c = call({ deadline: p.clock.now + 4_000 });
    const req = signCommand(p.signer, Uint8Array.of(1), c, p.clock.now);
    assert.ok(req);
    assert.equal(req.flags, DEFAULT_FLAGS);
    assert.equal(req.expiresAt, p.signer.vehicleTime(p.clock.now) + 4);
    assert.equal(c.sends, 1);
    const far = signCommand(
      p.signer,
      Uint8Array.of(1),
      call({ deadline: p.clock.now + 60_000 }),
      p.clock.now,
    );
    assert.equal(far?.expiresAt, p.signer.vehicleTime(p.clock.now) + MAX_LIFETIME_MS / 1000);
  });

  test('an exhausted counter gives undefined (drop the session) and still spends an attempt', async () => {
    const p = await pair(3);
    const exported = p.signer.export(p.clock.now);
    const info = encodeSessionInfo({
      counter: 0xffffffff,
      publicKey: p.vehicleKey.publicKey,
      epoch: p.verifier.epoch,
      clockTime: 0,
    });
    const full = await Signer.import(p.client, TEST_VIN, 3, { ...exported, sessionInfo: info });
    const c = call({ deadline: p.clock.now + 5_000 });
    assert.equal(signCommand(full, Uint8Array.of(1), c, p.clock.now), undefined);
    assert.equal(c.sends, 1);
  });
});

describe('step 2: afterSendError', () => {
  const lost = () => new FleetHttpError({ status: 0, message: 'fleet: connection lost' });

  test('no answer: a non-idempotent command is never resent', () => {
    const err = thrown(afterSendError(call(), lost()), 'unknown_outcome');
    assert.equal(err.mayHaveExecuted, true);
  });

  test('no answer: an idempotent command is resent once, then surfaced', () => {
    const c = call({ idempotent: true });
    assert.deepEqual(afterSendError(c, lost()), { do: 'retry' });
    assert.equal(c.unknownRetried, true);
    thrown(afterSendError(c, lost()), 'unknown_outcome');
  });

  test('422 switches to REST; 408 is surfaced as asleep', () => {
    assert.equal(afterSendError(call(), new FleetHttpError({ status: 422 })).do, 'rest');
    thrown(afterSendError(call(), new FleetHttpError({ status: 408 })), 'asleep');
  });
});

describe('step 3a: afterReplyError', () => {
  test('a sync fault with authentic session info: re-sign at once', () => {
    const c = call();
    const next = afterReplyError(c, fault(MessageFault.INCORRECT_EPOCH, { sessionUpdated: true }));
    assert.deepEqual(next, { do: 'retry' });
    assert.equal(c.last?.faultName, 'INCORRECT_EPOCH');
    assert.equal(c.rehandshaken, false);
  });

  test('without usable session info: re-handshake once, then key_changed', () => {
    const c = call();
    const stale = () => fault(MessageFault.INCORRECT_EPOCH, { sessionInfoRejected: true });
    assert.deepEqual(afterReplyError(c, stale()), { do: 'rehandshake' });
    assert.equal(c.rehandshaken, true);
    thrown(afterReplyError(c, stale()), 'key_changed');
  });

  test('INVALID_SIGNATURE twice (even with session info) counts as a stale session', () => {
    const c = call();
    const bad = () => fault(MessageFault.INVALID_SIGNATURE, { sessionUpdated: true });
    assert.deepEqual(afterReplyError(c, bad()), { do: 'retry' });
    assert.deepEqual(afterReplyError(c, bad()), { do: 'rehandshake' });
    assert.equal(c.invalidSignatures, 0);
    thrown(afterReplyError(c, bad()), 'key_changed');
  });

  test('BUSY pauses; a surfaced fault and tampering are thrown; not paired names the fix', () => {
    assert.deepEqual(afterReplyError(call(), fault(MessageFault.BUSY)), { do: 'pause' });
    thrown(afterReplyError(call(), fault(MessageFault.INSUFFICIENT_PRIVILEGES)), 'fault');
    const plain = new ProtocolError('unencrypted-response', 'plaintext', {
      mayHaveSucceeded: true,
    });
    const err = thrown(afterReplyError(call(), plain), 'unknown_outcome');
    assert.match(err.message, /not encrypted/);
    thrown(afterReplyError(call(), fault(MessageFault.UNKNOWN_KEY_ID)), 'key_not_paired');
  });
});

describe('step 3b: afterReply', () => {
  const carServer = (result: number, reason = '') =>
    toBinary(
      ResponseSchema,
      create(ResponseSchema, {
        actionStatus: {
          result,
          ...(reason ? { resultReason: { reason: { case: 'plainText', value: reason } } } : {}),
        },
      }),
    );

  test('OK replies become results for both domains', () => {
    const info = afterReply(call(), 3, carServer(0, 'done'));
    assert.equal(info.do, 'return');
    assert.deepEqual(info.do === 'return' && { ...info.result, response: undefined }, {
      result: true,
      reason: 'done',
      vin: TEST_VIN,
      via: 'signed',
      domain: 'infotainment',
      response: undefined,
    });
    const vcsec = afterReply(call(), 2, new Uint8Array());
    assert.equal(vcsec.do === 'return' && vcsec.result.domain, 'vcsec');
  });

  test('refusal, busy, not paired and an unreadable reply', () => {
    assert.match(
      thrown(afterReply(call(), 3, carServer(1, 'is_charging')), 'command_failed').message,
      /is_charging/,
    );
    const wait = toBinary(
      FromVCSECMessageSchema,
      create(FromVCSECMessageSchema, {
        subMessage: {
          case: 'commandStatus',
          value: { operationStatus: OperationStatus_E.OPERATIONSTATUS_WAIT },
        },
      }),
    );
    const c = call();
    assert.deepEqual(afterReply(c, 2, wait), { do: 'pause' });
    assert.equal(c.last?.code, 'busy');
    const notOnList = toBinary(
      FromVCSECMessageSchema,
      create(FromVCSECMessageSchema, {
        subMessage: {
          case: 'commandStatus',
          value: {
            operationStatus: OperationStatus_E.OPERATIONSTATUS_ERROR,
            subMessage: {
              case: 'whitelistOperationStatus',
              value: {
                whitelistOperationInformation:
                  WhitelistOperation_information_E.WHITELISTOPERATION_INFORMATION_PUBLIC_KEY_NOT_ON_WHITELIST,
              },
            },
          },
        },
      }),
    );
    thrown(afterReply(call(), 2, notOnList), 'key_not_paired');
    const garbage = thrown(afterReply(call(), 3, Uint8Array.of(0xff, 0xff)), 'unknown_outcome');
    assert.equal(garbage.mayHaveExecuted, true);
  });
});

describe('checkTime and exhausted', () => {
  test('too little time left: deadline before any send, unknown outcome after one, else the last error', () => {
    const late = NOW + 9_500;
    assert.doesNotThrow(() => checkTime(call(), NOW));
    assert.throws(
      () => checkTime(call(), late),
      (e) => e instanceof VehicleCommandError && e.code === 'deadline' && e.retryable,
    );
    assert.throws(
      () => checkTime(call({ sends: 1 }), late),
      (e) => e instanceof VehicleCommandError && e.code === 'unknown_outcome' && e.mayHaveExecuted,
    );
    const last = new VehicleCommandError('busy', 'busy', { vin: TEST_VIN, retryable: true });
    assert.throws(
      () => checkTime(call({ sends: 1, last }), late),
      (e) => e === last,
    );
    const aborted = new AbortController();
    aborted.abort();
    assert.throws(() => checkTime(call({ signal: aborted.signal }), NOW), VehicleCommandError);
  });

  test('out of attempts: busy with the last fault, or the last unknown outcome as it was', () => {
    const busy = exhausted(
      call({
        sends: 4,
        last: new VehicleCommandError('fault', 'vehicle: x', {
          vin: TEST_VIN,
          fault: 1,
          faultName: 'BUSY',
        }),
      }),
    );
    assert.equal(busy.code, 'busy');
    assert.equal(busy.faultName, 'BUSY');
    assert.match(busy.message, /after 4 attempt\(s\)/);
    const unknown = new VehicleCommandError('unknown_outcome', 'lost', {
      vin: TEST_VIN,
      mayHaveExecuted: true,
    });
    assert.equal(exhausted(call({ last: unknown })), unknown);
  });
});
