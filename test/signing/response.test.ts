/**
 * Opening replies (src/signing/response.ts): "hold response encryption". Once a domain has
 * answered a request with FLAG_ENCRYPT_RESPONSE encrypted, a plaintext or stripped reply is
 * refused as tampering (the command may have executed), in this session and after export/import.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { RoutableMessageSchema } from '../../src/gen/universal_message_pb.js';
import { ProtocolError } from '../../src/signing/errors.js';
import { type SignedRequest, Signer } from '../../src/signing/signer.js';
import type { VerifierResult } from '../../src/signing/verifier.js';
import { type Pair, pair, TEST_VIN } from '../helpers/pair.js';

const REPLY = Uint8Array.of(0x12, 0x04, 0x52, 0x02, 0x08, 0x01);

function command(r: VerifierResult) {
  assert.equal(r.kind, 'command');
  return r as Extract<VerifierResult, { kind: 'command' }>;
}

/** Signs one command and returns it with the vehicle's genuine (encrypted) reply. */
function exchange(p: Pair, signer = p.signer, flags?: number) {
  const req = signer.sign(Uint8Array.of(1), {
    now: p.clock.now,
    ...(flags === undefined ? {} : { flags }),
  });
  const cmd = command(p.verifier.handle(req.bytes));
  return { req, reply: cmd.respond(REPLY), cmd };
}

/** The genuine reply with its AES-GCM data removed and the plaintext put in its place. */
function plaintextOf(reply: Uint8Array): Uint8Array {
  const m = fromBinary(RoutableMessageSchema, reply);
  m.subSigData = { case: undefined };
  m.payload = { case: 'protobufMessageAsBytes', value: REPLY };
  return toBinary(RoutableMessageSchema, m);
}

function outcome(signer: Signer, req: SignedRequest, bytes: Uint8Array, now: number): string {
  try {
    const out = signer.openResponse({ ...req }, bytes, now);
    const genuine = Buffer.from(out.payload).equals(Buffer.from(REPLY));
    return out.encrypted && genuine ? 'genuine' : `accepted (encrypted ${out.encrypted})`;
  } catch (err) {
    assert.ok(err instanceof ProtocolError, String(err));
    assert.equal(err.mayHaveSucceeded, true, `${err.code} must leave the outcome unknown`);
    return err.code;
  }
}

for (const domain of [2, 3] as const) {
  describe(`domain ${domain}: hold response encryption`, () => {
    test('no single bit flip of a genuine encrypted reply is accepted as anything but the genuine reply', async () => {
      const p = await pair(domain);
      const warm = exchange(p);
      p.signer.openResponse(warm.req, warm.reply, p.clock.now);
      assert.equal(p.signer.encryptsResponses, true);
      const { req, reply } = exchange(p);
      const seen = new Map<string, number>();
      for (let bit = 0; bit < reply.length * 8; bit++) {
        const flipped = reply.slice();
        flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
        const o = outcome(p.signer, req, flipped, p.clock.now);
        assert.ok(o === 'genuine' || !o.startsWith('accepted'), `bit ${bit}: ${o}`);
        seen.set(o, (seen.get(o) ?? 0) + 1);
      }
      // Some flips remove the AES-GCM data (e.g. signature_data's field tag 13 becomes 12).
      assert.ok((seen.get('unencrypted-response') ?? 0) > 0, JSON.stringify([...seen]));
    });

    test('before the domain has answered encrypted, such a stripped reply is indistinguishable from old firmware', async () => {
      const p = await pair(domain);
      const { req, reply } = exchange(p);
      assert.equal(p.signer.encryptsResponses, false);
      const out = p.signer.openResponse(req, plaintextOf(reply), p.clock.now);
      assert.deepEqual(out, { payload: REPLY, encrypted: false });
      assert.equal(p.signer.encryptsResponses, false);
    });

    test('a plaintext answer after an encrypted one is refused: outcome unknown', async () => {
      const p = await pair(domain);
      const first = exchange(p);
      assert.equal(p.signer.openResponse(first.req, first.reply, p.clock.now).encrypted, true);
      const second = exchange(p);
      assert.throws(
        () => p.signer.openResponse(second.req, plaintextOf(second.reply), p.clock.now),
        (e) =>
          e instanceof ProtocolError && e.code === 'unencrypted-response' && e.mayHaveSucceeded,
      );
      // The genuine reply still opens: the session itself is unharmed.
      assert.equal(p.signer.openResponse(second.req, second.reply, p.clock.now).encrypted, true);
    });

    test('the hold survives export and import (the session cache)', async () => {
      const p = await pair(domain);
      const first = exchange(p);
      p.signer.openResponse(first.req, first.reply, p.clock.now);
      const exported = p.signer.export(p.clock.now);
      assert.equal(exported.encryptsResponses, true);
      const restored = await Signer.import(p.client, TEST_VIN, domain, exported);
      assert.equal(restored.encryptsResponses, true);
      const next = exchange(p, restored);
      assert.throws(
        () => restored.openResponse(next.req, plaintextOf(next.reply), p.clock.now),
        (e) => e instanceof ProtocolError && e.code === 'unencrypted-response',
      );
      // An export from before the field existed (no `encryptsResponses`) imports as not held.
      const { encryptsResponses: _, ...old } = exported;
      assert.equal((await Signer.import(p.client, TEST_VIN, domain, old)).encryptsResponses, false);
    });

    test('a request without FLAG_ENCRYPT_RESPONSE still takes a plaintext reply', async () => {
      const p = await pair(domain);
      p.signer.requireEncryptedResponses();
      const { req, reply } = exchange(p, p.signer, 0);
      assert.deepEqual(p.signer.openResponse(req, reply, p.clock.now), {
        payload: REPLY,
        encrypted: false,
      });
    });
  });
}
