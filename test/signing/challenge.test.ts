/**
 * Which challenge a session-info tag is checked with (vehicle-command
 * internal/dispatcher/dispatcher.go `checkForSessionUpdate` → `processHello(GetRequestUuid())`):
 * the reply's `request_uuid` when present; without one, our request's uuid or else the empty
 * challenge. Replies are built from the library Verifier's session info, tagged with a chosen
 * challenge, and addressed by hand.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { RoutableMessageSchema } from '../../src/gen/universal_message_pb.js';
import { MessageFault, ProtocolError } from '../../src/signing/errors.js';
import { completeHandshake, createHandshake } from '../../src/signing/handshake.js';
import type { SignedRequest } from '../../src/signing/signer.js';
import { Verifier } from '../../src/signing/verifier.js';
import { sessionInfoTag } from '../helpers/independent-vehicle.js';
import { nodeKey } from '../helpers/node-key.js';
import { pair, TEST_VIN } from '../helpers/pair.js';

const OTHER_UUID = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const EMPTY = new Uint8Array();

interface Addressed {
  domain: number;
  uuid: Uint8Array;
  routingAddress: Uint8Array;
}

/** A reply to `req` carrying session info tagged with `challenge`, naming `requestUuid`. */
function sessionInfoReply(
  verifier: Verifier,
  clientKey: Uint8Array,
  req: Addressed,
  o: { challenge: Uint8Array; requestUuid: Uint8Array; fault?: number },
): Uint8Array {
  const { info, tag } = verifier.sessionInfo(clientKey, o.challenge);
  assert.ok(tag);
  const msg = create(RoutableMessageSchema, {
    fromDestination: { subDestination: { case: 'domain', value: req.domain } },
    toDestination: { subDestination: { case: 'routingAddress', value: req.routingAddress } },
    payload: { case: 'sessionInfo', value: info },
    subSigData: {
      case: 'signatureData',
      value: { sigType: { case: 'sessionInfoTag', value: { tag } } },
    },
    requestUuid: o.requestUuid,
    ...(o.fault
      ? { signedMessageStatus: { operationStatus: 2, signedMessageFault: o.fault } }
      : {}),
  });
  return toBinary(RoutableMessageSchema, msg);
}

type Expect = 'accepted' | 'bad-session-info' | 'unexpected-response';
type Uuid = 'ours' | 'other' | 'none';

/** Reply `request_uuid`, tag challenge, expected outcome. */
const CASES: [string, Uuid, Uuid, Expect][] = [
  ['request_uuid present, tag over it', 'ours', 'ours', 'accepted'],
  ['no request_uuid, tag over our uuid', 'none', 'ours', 'accepted'],
  ['no request_uuid, tag over the empty challenge', 'none', 'none', 'accepted'],
  ["no request_uuid, tag over another request's uuid", 'none', 'other', 'bad-session-info'],
  ['request_uuid present, tag over the empty challenge', 'ours', 'none', 'bad-session-info'],
  [
    "another request's uuid swapped in, with its genuine tag",
    'other',
    'other',
    'unexpected-response',
  ],
];

const resolve = (u: Uuid, ours: Uint8Array) =>
  u === 'ours' ? ours : u === 'other' ? OTHER_UUID : EMPTY;

for (const domain of [2, 3] as const) {
  describe(`domain ${domain}: handshake reply`, () => {
    const now = 1_700_000_000_000;
    const client = nodeKey();
    const verifier = new Verifier({ key: nodeKey(), vin: TEST_VIN, domain, now: () => now });
    const request = createHandshake(client.publicKey, domain, { now });
    for (const [name, requestUuid, challenge, expect] of CASES) {
      test(`${name}: ${expect}`, async () => {
        const response = sessionInfoReply(verifier, client.publicKey, request, {
          challenge: resolve(challenge, request.uuid),
          requestUuid: resolve(requestUuid, request.uuid),
        });
        const run = completeHandshake({ key: client, vin: TEST_VIN, request, response, now });
        if (expect === 'accepted') {
          const signer = await run;
          assert.deepEqual(signer.epoch, verifier.epoch);
        } else {
          await assert.rejects(run, (e) => e instanceof ProtocolError && e.code === expect);
        }
      });
    }
  });

  describe(`domain ${domain}: fault with session info`, () => {
    for (const [name, requestUuid, challenge, expect] of CASES) {
      test(`${name}: ${expect}`, async () => {
        const p = await pair(domain);
        const req: SignedRequest = p.signer.sign(Uint8Array.of(1), { now: p.clock.now });
        p.verifier.reboot(); // the session info now names a new epoch
        const reply = sessionInfoReply(p.verifier, p.client.publicKey, req, {
          challenge: resolve(challenge, req.uuid),
          requestUuid: resolve(requestUuid, req.uuid),
          fault: MessageFault.INCORRECT_EPOCH,
        });
        const err = (() => {
          try {
            p.signer.openResponse(req, reply, p.clock.now);
          } catch (e) {
            return e;
          }
          assert.fail('a fault reply must throw');
        })();
        assert.ok(err instanceof ProtocolError);
        if (expect === 'unexpected-response') {
          assert.equal(err.code, 'unexpected-response');
          assert.notDeepEqual(p.signer.epoch, p.verifier.epoch);
          return;
        }
        assert.equal(err.fault, MessageFault.INCORRECT_EPOCH);
        assert.equal(err.sessionUpdated, expect === 'accepted');
        assert.equal(err.sessionInfoRejected, expect === 'bad-session-info');
        assert.equal(
          Buffer.compare(p.signer.epoch, p.verifier.epoch) === 0,
          expect === 'accepted',
          'the session moves to the new epoch only with an authentic tag',
        );
      });
    }
  });

  test(`domain ${domain}: the Verifier's session-info replies name the request, and the tag verifies against that uuid as Tesla's client checks it`, async () => {
    const p = await pair(domain);
    const k = p.vehicleKey.sessionKey(p.client.publicKey);
    const hs = createHandshake(p.client.publicKey, domain, { now: p.clock.now });
    const req = p.signer.sign(Uint8Array.of(1), { now: p.clock.now });
    p.verifier.reboot();
    const faulted = p.verifier.handle(req.bytes);
    const replies = [
      [hs.uuid, p.verifier.handle(hs.bytes)],
      [req.uuid, faulted],
    ] as const;
    for (const [uuid, r] of replies) {
      assert.equal(r.kind, 'reply');
      if (r.kind !== 'reply') continue;
      const m = fromBinary(RoutableMessageSchema, r.bytes);
      assert.equal(m.payload.case, 'sessionInfo');
      assert.deepEqual(m.requestUuid, uuid, 'request_uuid echoed');
      const sig = m.subSigData.value?.sigType;
      assert.equal(sig?.case, 'sessionInfoTag');
      if (sig?.case !== 'sessionInfoTag' || m.payload.case !== 'sessionInfo') continue;
      assert.deepEqual(sig.value.tag, sessionInfoTag(k, TEST_VIN, m.requestUuid, m.payload.value));
    }
    assert.equal(faulted.kind === 'reply' && faulted.fault, MessageFault.INCORRECT_EPOCH);
  });
}

test('VCSEC command replies without session info still leave request_uuid out (protocol.md "Messages")', async () => {
  const p = await pair(2);
  const req = p.signer.sign(Uint8Array.of(1), { now: p.clock.now });
  const r = p.verifier.handle(req.bytes);
  assert.equal(r.kind, 'command');
  if (r.kind !== 'command') return;
  assert.equal(fromBinary(RoutableMessageSchema, r.respond(EMPTY)).requestUuid.length, 0);
  assert.equal(fromBinary(RoutableMessageSchema, r.fail(MessageFault.BUSY)).requestUuid.length, 0);
  const opened = p.signer.openResponse(req, r.respond(EMPTY), p.clock.now);
  assert.equal(opened.encrypted, true);
});
