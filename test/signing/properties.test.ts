import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ProtocolError } from '../../src/signing/errors.js';
import {
  completeHandshake,
  createHandshake,
  openUnsignedResponse,
} from '../../src/signing/handshake.js';
import { decodeSessionInfoFields, encodeSessionInfo } from '../../src/signing/session-info.js';
import { Signer } from '../../src/signing/signer.js';
import { Verifier, type VerifierResult } from '../../src/signing/verifier.js';
import { nodeKey } from '../helpers/node-key.js';
import { pair, TEST_VIN } from '../helpers/pair.js';

const onlyProtocolErrors = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ProtocolError, `unexpected ${String(err)}`);
  }
};

test('random payloads, flags and methods round-trip through the verifier', async () => {
  const domains = { 2: await pair(2), 3: await pair(3) };
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }),
      fc.constantFrom(2 as const, 3 as const),
      fc.constantFrom('hmac' as const, 'gcm' as const),
      fc.integer({ min: 0, max: 0xffff }),
      (payload, reply, domain, method, flags) => {
        const p = domains[domain];
        const req = p.signer.sign(payload, { method, flags, now: p.clock.now });
        const r: VerifierResult = p.verifier.handle(req.bytes);
        assert.equal(r.kind, 'command');
        if (r.kind !== 'command') return;
        assert.deepEqual(r.payload, payload);
        const out = p.signer.openResponse(req, r.respond(reply), p.clock.now);
        assert.deepEqual(out.payload, reply);
        assert.equal(out.encrypted, (flags & 2) !== 0);
      },
    ),
    { numRuns: 200 },
  );
});

test('random imported counters sign and verify, and the counter only grows', async () => {
  const p = await pair(3);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 0xfffffff0 }), async (counter) => {
      const v = new Verifier({
        key: p.vehicleKey,
        vin: TEST_VIN,
        domain: 3,
        now: () => p.clock.now,
        epoch: p.verifier.epoch,
      });
      const info = encodeSessionInfo({
        counter,
        publicKey: p.vehicleKey.publicKey,
        epoch: v.epoch,
        clockTime: 0,
      });
      const s = await Signer.import(p.client, TEST_VIN, 3, {
        sessionInfo: info,
        exportedAt: p.clock.now,
      });
      const req = s.sign(Uint8Array.of(1), { now: p.clock.now });
      assert.equal(req.counter, counter + 1);
      assert.equal(v.handle(req.bytes).kind, 'command');
    }),
    { numRuns: 50 },
  );
});

test('random bytes into every decoder throw only ProtocolError; the verifier never throws', async () => {
  const p = await pair(3);
  const hs = createHandshake(p.client.publicKey, 3);
  const req = p.signer.sign(Uint8Array.of(1), { now: p.clock.now });
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
      onlyProtocolErrors(() => decodeSessionInfoFields(bytes));
      onlyProtocolErrors(() => p.signer.openResponse(req, bytes, p.clock.now));
      onlyProtocolErrors(() => openUnsignedResponse(hs, bytes));
      try {
        await completeHandshake({ key: p.client, vin: TEST_VIN, request: hs, response: bytes });
      } catch (err) {
        assert.ok(err instanceof ProtocolError, String(err));
      }
      const r = p.verifier.handle(bytes);
      assert.ok(r.kind === 'reply' || r.kind === 'command');
    }),
    { numRuns: 500 },
  );
  const fresh = new Verifier({ key: nodeKey(), vin: TEST_VIN, domain: 2 });
  assert.equal(fresh.handle(new Uint8Array()).kind, 'reply');
});

test('a handshake or command with a key that is not on the curve gets a fault, not an exception', () => {
  const v = new Verifier({ key: nodeKey(), vin: TEST_VIN, domain: 3 });
  const bogus = new Uint8Array(65).fill(7);
  bogus[0] = 4;
  const r = v.handle(createHandshake(bogus, 3).bytes);
  assert.equal(r.kind, 'reply');
  assert.notEqual(r.kind === 'reply' && r.fault, 0);
});
