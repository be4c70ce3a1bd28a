import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { RoutableMessageSchema } from '../../src/gen/universal_message_pb.js';
import { MessageFault, ProtocolError } from '../../src/signing/errors.js';
import {
  completeHandshake,
  createHandshake,
  createUnsignedRequest,
  openUnsignedResponse,
} from '../../src/signing/handshake.js';
import { encodeSessionInfo } from '../../src/signing/session-info.js';
import { Signer } from '../../src/signing/signer.js';
import { Verifier, type VerifierResult } from '../../src/signing/verifier.js';
import { nodeKey } from '../helpers/node-key.js';
import { pair, TEST_VIN } from '../helpers/pair.js';

const PAYLOAD = Uint8Array.of(0x12, 0x04, 0x52, 0x02, 0x08, 0x01);
const REPLY = Uint8Array.of(0x0a, 0x00);

function command(r: VerifierResult) {
  assert.equal(r.kind, 'command', r.kind === 'reply' ? `fault ${r.fault}` : '');
  return r as Extract<VerifierResult, { kind: 'command' }>;
}

function replyOf(r: VerifierResult) {
  assert.equal(r.kind, 'reply');
  return r as Extract<VerifierResult, { kind: 'reply' }>;
}

function isFault(code: number, check: (e: ProtocolError) => void = () => {}) {
  return (e: unknown) => {
    assert.ok(e instanceof ProtocolError, String(e));
    assert.equal(e.fault, code, e.message);
    check(e);
    return true;
  };
}

for (const domain of [2, 3] as const) {
  for (const method of ['hmac', 'gcm'] as const) {
    test(`domain ${domain}, ${method}: sign, verify, encrypted reply, decrypt`, async () => {
      const p = await pair(domain);
      const req = p.signer.sign(PAYLOAD, { method, now: p.clock.now });
      const cmd = command(p.verifier.handle(req.bytes));
      assert.deepEqual(cmd.payload, PAYLOAD);
      assert.equal(cmd.signed, true);
      const opened = p.signer.openResponse(req, cmd.respond(REPLY), p.clock.now);
      assert.deepEqual(opened, { payload: REPLY, encrypted: true });
      const plain = p.signer.sign(PAYLOAD, { method, flags: 0, now: p.clock.now });
      const out = p.signer.openResponse(
        plain,
        command(p.verifier.handle(plain.bytes)).respond(REPLY),
        p.clock.now,
      );
      assert.deepEqual(out, { payload: REPLY, encrypted: false });
    });
  }
}

describe('faults and recovery', () => {
  test('a replayed command is refused with fresh session info; the counter never goes back', async () => {
    const p = await pair(3);
    const req = p.signer.sign(PAYLOAD, { now: p.clock.now });
    command(p.verifier.handle(req.bytes));
    const replay = p.verifier.handle(req.bytes);
    assert.equal(replay.kind === 'reply' && replay.fault, MessageFault.INVALID_TOKEN_OR_COUNTER);
    const before = p.signer.counter;
    assert.throws(
      () => p.signer.openResponse(req, replyOf(replay).bytes, p.clock.now),
      isFault(6, (e) => {
        assert.equal(e.retryable, true);
        assert.equal(e.mayHaveSucceeded, false);
      }),
    );
    assert.ok(p.signer.counter >= before);
    const again = p.signer.sign(PAYLOAD, { now: p.clock.now });
    command(p.verifier.handle(again.bytes));
  });

  test('vehicle reboot: INCORRECT_EPOCH carries the new epoch; resend succeeds', async () => {
    const p = await pair(3);
    for (let i = 0; i < 5; i++)
      command(p.verifier.handle(p.signer.sign(PAYLOAD, { now: p.clock.now }).bytes));
    const counter = p.signer.counter;
    p.verifier.reboot();
    const req = p.signer.sign(PAYLOAD, { now: p.clock.now });
    const r = p.verifier.handle(req.bytes);
    assert.equal(r.kind === 'reply' && r.fault, MessageFault.INCORRECT_EPOCH);
    assert.throws(
      () => p.signer.openResponse(req, replyOf(r).bytes, p.clock.now),
      isFault(15, (e) => assert.equal(e.sessionUpdated, true)),
    );
    assert.deepEqual(p.signer.epoch, p.verifier.epoch);
    assert.ok(p.signer.counter >= counter + 1);
    command(p.verifier.handle(p.signer.sign(PAYLOAD, { now: p.clock.now }).bytes));
  });

  test('clock drift: TIME_EXPIRED resynchronises the clock', async () => {
    const p = await pair(2);
    p.verifier.skewClock(120);
    const req = p.signer.sign(PAYLOAD, { now: p.clock.now });
    const r = p.verifier.handle(req.bytes);
    assert.equal(r.kind === 'reply' && r.fault, MessageFault.TIME_EXPIRED);
    assert.throws(() => p.signer.openResponse(req, replyOf(r).bytes, p.clock.now), isFault(17));
    command(p.verifier.handle(p.signer.sign(PAYLOAD, { now: p.clock.now }).bytes));
  });

  test('an out-of-order command needs an expiry within 30 s', async () => {
    const p = await pair(3);
    const first = p.signer.sign(PAYLOAD, { now: p.clock.now, lifetimeMs: 60_000 });
    const second = p.signer.sign(PAYLOAD, { now: p.clock.now });
    command(p.verifier.handle(second.bytes));
    const late = p.verifier.handle(first.bytes);
    assert.equal(late.kind === 'reply' && late.fault, MessageFault.TIME_TO_LIVE_TOO_LONG);
    const shortFirst = p.signer.sign(PAYLOAD, { now: p.clock.now, lifetimeMs: 10_000 });
    const shortSecond = p.signer.sign(PAYLOAD, { now: p.clock.now });
    command(p.verifier.handle(shortSecond.bytes));
    command(p.verifier.handle(shortFirst.bytes));
  });

  test('a command signed for another VIN is refused', async () => {
    const p = await pair(3);
    const other = await pair(3, { vin: '5YJ3E1EA7JF000002' });
    const foreign = new Verifier({
      key: p.vehicleKey,
      vin: '5YJ3E1EA7JF000002',
      domain: 3,
      now: () => p.clock.now,
      epoch: p.verifier.epoch,
    });
    const req = p.signer.sign(PAYLOAD, { now: p.clock.now });
    const r = foreign.handle(req.bytes);
    assert.equal(r.kind === 'reply' && r.fault !== 0, true);
    assert.equal(r.kind === 'reply' && r.fault, MessageFault.INVALID_SIGNATURE);
    assert.equal(other.verifier.handle(req.bytes).kind, 'reply');
  });

  test('fault session info arriving more than 10 s after sending is not trusted', async () => {
    const p = await pair(3);
    p.verifier.reboot();
    const req = p.signer.sign(PAYLOAD, { now: p.clock.now });
    const r = p.verifier.handle(req.bytes);
    assert.throws(
      () => p.signer.openResponse(req, replyOf(r).bytes, p.clock.now + 11_000),
      isFault(15, (e) => {
        assert.equal(e.sessionUpdated, false);
        assert.equal(e.sessionInfoRejected, true);
      }),
    );
  });

  test("the vehicle's key changed: session info is rejected, never applied", async () => {
    const p = await pair(3);
    const replaced = new Verifier({
      key: nodeKey(),
      vin: TEST_VIN,
      domain: 3,
      now: () => p.clock.now,
      epoch: p.verifier.epoch,
    });
    const req = p.signer.sign(PAYLOAD, { now: p.clock.now });
    const r = replaced.handle(req.bytes);
    assert.equal(r.kind === 'reply' && r.fault, MessageFault.INVALID_SIGNATURE);
    const epoch = p.signer.epoch;
    assert.throws(
      () => p.signer.openResponse(req, replyOf(r).bytes, p.clock.now),
      isFault(5, (e) => {
        assert.equal(e.sessionInfoRejected, true);
        assert.equal(e.sessionUpdated, false);
      }),
    );
    assert.deepEqual(p.signer.epoch, epoch);
  });

  test('not paired: handshake and signed command both say key-not-paired', async () => {
    const client = nodeKey();
    const v = new Verifier({ key: nodeKey(), vin: TEST_VIN, domain: 2, isAuthorized: () => false });
    const hs = createHandshake(client.publicKey, 2);
    await assert.rejects(
      completeHandshake({
        key: client,
        vin: TEST_VIN,
        request: hs,
        response: replyOf(v.handle(hs.bytes)).bytes,
      }),
      (e: unknown) => e instanceof ProtocolError && e.code === 'key-not-paired',
    );
    const p = await pair(2);
    const locked = new Verifier({
      key: p.vehicleKey,
      vin: TEST_VIN,
      domain: 2,
      isAuthorized: () => false,
    });
    const req = p.signer.sign(PAYLOAD, { now: p.clock.now });
    assert.throws(
      () => p.signer.openResponse(req, replyOf(locked.handle(req.bytes)).bytes, p.clock.now),
      (e: unknown) => e instanceof ProtocolError && e.code === 'key-not-paired',
    );
  });
});

describe('replies', () => {
  test('a replayed encrypted reply is refused; a tampered one fails its tag', async () => {
    const p = await pair(3);
    const req = p.signer.sign(PAYLOAD, { now: p.clock.now });
    const reply = command(p.verifier.handle(req.bytes)).respond(REPLY);
    p.signer.openResponse(req, reply, p.clock.now);
    assert.throws(
      () => p.signer.openResponse(req, reply, p.clock.now),
      (e: unknown) => {
        return e instanceof ProtocolError && e.code === 'replayed-response' && e.mayHaveSucceeded;
      },
    );
    const req2 = p.signer.sign(PAYLOAD, { now: p.clock.now });
    const reply2 = fromBinary(
      RoutableMessageSchema,
      command(p.verifier.handle(req2.bytes)).respond(REPLY),
    );
    assert.equal(reply2.payload.case, 'protobufMessageAsBytes');
    const ct = reply2.payload.value as Uint8Array;
    ct[0] = (ct[0] as number) ^ 1;
    const bad = toBinary(RoutableMessageSchema, reply2);
    assert.throws(
      () => p.signer.openResponse(req2, bad, p.clock.now),
      (e: unknown) => {
        return e instanceof ProtocolError && e.code === 'bad-response-tag' && e.mayHaveSucceeded;
      },
    );
  });

  test('a reply to another request is refused', async () => {
    const p = await pair(3);
    const a = p.signer.sign(PAYLOAD, { now: p.clock.now });
    const b = p.signer.sign(PAYLOAD, { now: p.clock.now });
    const replyA = command(p.verifier.handle(a.bytes)).respond(REPLY);
    command(p.verifier.handle(b.bytes));
    assert.throws(
      () => p.signer.openResponse(b, replyA, p.clock.now),
      (e: unknown) => {
        return e instanceof ProtocolError && e.code === 'unexpected-response' && e.mayHaveSucceeded;
      },
    );
  });

  test('a VCSEC reply bound to another request hash does not decrypt', async () => {
    const p = await pair(2);
    const a = p.signer.sign(PAYLOAD, { now: p.clock.now, routingAddress: new Uint8Array(16) });
    const b = p.signer.sign(PAYLOAD, { now: p.clock.now, routingAddress: new Uint8Array(16) });
    const replyA = command(p.verifier.handle(a.bytes)).respond(REPLY);
    assert.throws(
      () => p.signer.openResponse(b, replyA, p.clock.now),
      (e: unknown) => {
        return e instanceof ProtocolError && e.code === 'bad-response-tag';
      },
    );
  });

  test('unsigned information request and its reply', () => {
    const v = new Verifier({ key: nodeKey(), vin: TEST_VIN, domain: 2 });
    const req = createUnsignedRequest(2, Uint8Array.of(0x0a, 0x02, 0x08, 0x05));
    const cmd = command(v.handle(req.bytes));
    assert.equal(cmd.signed, false);
    assert.deepEqual(openUnsignedResponse(req, cmd.respond(REPLY)), REPLY);
  });
});

describe('session cache', () => {
  test('export/import after a 30-minute gap keeps the clock; a wrong export time expires', async () => {
    const p = await pair(3);
    command(p.verifier.handle(p.signer.sign(PAYLOAD, { now: p.clock.now }).bytes));
    const exported = p.signer.export(p.clock.now);
    p.clock.now += 30 * 60_000;
    const restored = await Signer.import(p.client, TEST_VIN, 3, exported);
    assert.equal(restored.counter, p.signer.counter);
    const req = restored.sign(PAYLOAD, { now: p.clock.now });
    command(p.verifier.handle(req.bytes));
    const wrong = await Signer.import(p.client, TEST_VIN, 3, {
      ...exported,
      exportedAt: p.clock.now,
    });
    const r = p.verifier.handle(wrong.sign(PAYLOAD, { now: p.clock.now }).bytes);
    assert.equal(r.kind === 'reply' && r.fault, MessageFault.TIME_EXPIRED);
  });

  test('counter rollover is refused, and stays refused', async () => {
    const p = await pair(3);
    const info = encodeSessionInfo({
      counter: 0xffffffff,
      publicKey: p.vehicleKey.publicKey,
      epoch: p.verifier.epoch,
      clockTime: 10,
    });
    const s = await Signer.import(p.client, TEST_VIN, 3, {
      sessionInfo: info,
      exportedAt: p.clock.now,
    });
    for (let i = 0; i < 2; i++) {
      assert.throws(
        () => s.sign(PAYLOAD, { now: p.clock.now }),
        (e: unknown) => {
          return e instanceof ProtocolError && e.code === 'counter-rollover';
        },
      );
    }
    assert.throws(
      () => s.sign(PAYLOAD, { now: p.clock.now, lifetimeMs: 2 * 2 ** 30 * 1000 }),
      (e: unknown) => {
        return e instanceof ProtocolError && e.code === 'invalid-argument';
      },
    );
  });
});
