import assert from 'node:assert/strict';
import { test } from 'node:test';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { SignatureDataSchema } from '../../src/gen/signatures_pb.js';
import { DestinationSchema, RoutableMessageSchema } from '../../src/gen/universal_message_pb.js';
import { ProtocolError } from '../../src/signing/errors.js';
import { completeHandshake, createHandshake } from '../../src/signing/handshake.js';
import { SessionKeys } from '../../src/signing/session.js';
import { decodeSessionInfoFields } from '../../src/signing/session-info.js';
import { nodeKey } from '../helpers/node-key.js';
import { hex, loadVector, toHex } from '../helpers/vectors.js';

const VIN = '5YJ30123456789ABC';
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'ascii'));
const md = (id: string) => loadVector('protocol-md.json', `protocol-md.${id}`);
const client = () => nodeKey(md('client-key').expected.private_scalar);
const vehicle = () => nodeKey(md('vehicle-key').expected.private_scalar);

/** The vehicle's handshake reply of protocol.md, built from its vector fields. */
function vectorReply(
  tag: Uint8Array,
  sessionInfo: Uint8Array,
  requestUuid: Uint8Array,
): Uint8Array {
  const f = md('session-info-decode').expected.response_fields;
  return toBinary(
    RoutableMessageSchema,
    create(RoutableMessageSchema, {
      toDestination: create(DestinationSchema, {
        subDestination: { case: 'routingAddress', value: hex(f['to_destination.routing_address']) },
      }),
      fromDestination: create(DestinationSchema, { subDestination: { case: 'domain', value: 3 } }),
      payload: { case: 'sessionInfo', value: sessionInfo },
      subSigData: {
        case: 'signatureData',
        value: create(SignatureDataSchema, { sigType: { case: 'sessionInfoTag', value: { tag } } }),
      },
      requestUuid,
    }),
  );
}

test('protocol.md K from both sides, and the session info subkey', () => {
  const v = md('shared-key-K');
  assert.equal(toHex(client().sessionKey(hex(v.input.vehicle_public_key))), v.expected.K);
  assert.equal(toHex(vehicle().sessionKey(client().publicKey)), v.expected.K);
  const sk = md('session-info-key');
  assert.equal(
    toHex(new SessionKeys(hex(sk.input.K)).subkey(sk.input.label)),
    sk.expected.session_info_key,
  );
});

test('protocol.md session-info tag, from the client side and from the vehicle side', () => {
  const v = md('session-info-tag');
  const info = hex(v.input.session_info);
  const challenge = hex(md('session-info-metadata').input.challenge);
  const clientSide = new SessionKeys(client().sessionKey(vehicle().publicKey));
  const vehicleSide = new SessionKeys(vehicle().sessionKey(client().publicKey));
  assert.equal(toHex(clientSide.sessionInfoTag(ascii(VIN), challenge, info)), v.expected.tag);
  assert.equal(toHex(vehicleSide.sessionInfoTag(ascii(VIN), challenge, info)), v.expected.tag);
  assert.ok(clientSide.verifySessionInfoTag(ascii(VIN), challenge, info, hex(v.expected.tag)));
  // Negative twins: a flipped tag bit, another VIN, another challenge, a changed info byte.
  const flipped = hex(v.expected.tag);
  flipped[31] = (flipped[31] as number) ^ 1;
  assert.ok(!clientSide.verifySessionInfoTag(ascii(VIN), challenge, info, flipped));
  assert.ok(
    !clientSide.verifySessionInfoTag(
      ascii('5YJ30123456789ABD'),
      challenge,
      info,
      hex(v.expected.tag),
    ),
  );
  const otherChallenge = challenge.slice();
  otherChallenge[0] = (otherChallenge[0] as number) ^ 0x80;
  assert.ok(
    !clientSide.verifySessionInfoTag(ascii(VIN), otherChallenge, info, hex(v.expected.tag)),
  );
  const changed = info.slice();
  changed[1] = 7; // counter 6 → 7
  assert.ok(!clientSide.verifySessionInfoTag(ascii(VIN), challenge, changed, hex(v.expected.tag)));
});

test('protocol.md session info decodes to counter 6, epoch, clock 2650', () => {
  const v = md('session-info-decode');
  const info = decodeSessionInfoFields(hex(v.input.session_info));
  assert.equal(info.counter, v.expected.counter);
  assert.equal(toHex(info.publicKey), v.expected.publicKey);
  assert.equal(toHex(info.epoch), v.expected.epoch);
  assert.equal(info.clockTime, v.expected.clock_time);
});

test('protocol.md handshake request fields', () => {
  const f = md('handshake-request').expected.routable_message_fields;
  const req = createHandshake(client().publicKey, 3, {
    uuid: hex(f.uuid),
    routingAddress: hex(f['from_destination.routing_address']),
  });
  const m = fromBinary(RoutableMessageSchema, req.bytes);
  assert.deepEqual(m.toDestination?.subDestination, { case: 'domain', value: 3 });
  assert.equal(m.fromDestination?.subDestination.case, 'routingAddress');
  assert.equal(
    toHex(m.fromDestination?.subDestination.value as Uint8Array),
    f['from_destination.routing_address'],
  );
  assert.equal(m.payload.case, 'sessionInfoRequest');
  assert.equal(
    toHex(m.payload.value?.publicKey as Uint8Array),
    f['session_info_request.public_key'],
  );
  assert.equal(toHex(m.uuid), f.uuid);
  assert.equal(m.flags, 0);
  assert.equal(m.subSigData.case, undefined);
});

test('the protocol.md handshake reply completes the handshake; the AES-GCM example is reproduced', async () => {
  const f = md('handshake-request').expected.routable_message_fields;
  const uuid = hex(f.uuid);
  const req = createHandshake(client().publicKey, 3, {
    uuid,
    routingAddress: hex(f['from_destination.routing_address']),
    now: 1_000_000,
  });
  const info = hex(md('session-info-decode').input.session_info);
  const tag = hex(md('session-info-tag').expected.tag);
  const signer = await completeHandshake({
    key: client(),
    vin: VIN,
    request: req,
    response: vectorReply(tag, info, uuid),
    now: 1_000_000,
  });
  assert.equal(signer.counter, 6);
  assert.equal(signer.vehicleTime(1_000_000), 2650);

  const gcm = md('aes-gcm-encrypt');
  const want = md('aes-gcm-routable-message').expected.routable_message_fields;
  const signed = signer.sign(hex(md('hvac-on-action').expected.payload), {
    method: 'gcm',
    flags: 0,
    now: 1_000_000,
    lifetimeMs: 5000,
    nonce: hex(gcm.input.nonce),
    routingAddress: hex(want['from_destination.routing_address']),
  });
  assert.equal(signed.counter, 7);
  assert.equal(signed.expiresAt, 2655);
  const m = fromBinary(RoutableMessageSchema, signed.bytes);
  assert.equal(toHex(m.payload.value as Uint8Array), gcm.expected.ciphertext);
  assert.equal(toHex(m.payload.value as Uint8Array), want.protobuf_message_as_bytes);
  const sd = m.subSigData.value;
  assert.equal(
    toHex(sd?.signerIdentity?.identityType.value as Uint8Array),
    want['signature_data.signer_identity.public_key'],
  );
  assert.equal(sd?.sigType.case, 'AESGCMPersonalizedData');
  const g = sd?.sigType.value as {
    epoch: Uint8Array;
    nonce: Uint8Array;
    counter: number;
    expiresAt: number;
    tag: Uint8Array;
  };
  assert.equal(toHex(g.epoch), want['signature_data.AES_GCM_Personalized_data.epoch']);
  assert.equal(toHex(g.nonce), want['signature_data.AES_GCM_Personalized_data.nonce']);
  assert.equal(g.counter, want['signature_data.AES_GCM_Personalized_data.counter']);
  assert.equal(g.expiresAt, want['signature_data.AES_GCM_Personalized_data.expires_at']);
  assert.equal(toHex(g.tag), gcm.expected.tag);
  assert.equal(toHex(signed.requestHash), `05${gcm.expected.tag}`);
});

test('handshake negative twins: bad tag, other uuid, late reply, not paired', async () => {
  const f = md('handshake-request').expected.routable_message_fields;
  const uuid = hex(f.uuid);
  const req = createHandshake(client().publicKey, 3, {
    uuid,
    routingAddress: hex(f['from_destination.routing_address']),
    now: 0,
  });
  const info = hex(md('session-info-decode').input.session_info);
  const tag = hex(md('session-info-tag').expected.tag);
  const bad = tag.slice();
  bad[0] = (bad[0] as number) ^ 1;
  const reject = async (response: Uint8Array, code: string, now = 0) =>
    assert.rejects(
      completeHandshake({ key: client(), vin: VIN, request: req, response, now }),
      (e: unknown) => e instanceof ProtocolError && e.code === code,
    );
  await reject(vectorReply(bad, info, uuid), 'bad-session-info');
  await reject(vectorReply(tag, info, hex('00'.repeat(16))), 'unexpected-response');
  await reject(vectorReply(tag, info, uuid), 'bad-session-info', 11_000);
  await assert.rejects(
    completeHandshake({
      key: client(),
      vin: '5YJ30123456789ABD',
      request: req,
      response: vectorReply(tag, info, uuid),
      now: 0,
    }),
    (e: unknown) => e instanceof ProtocolError && e.code === 'bad-session-info',
  );
  const notPaired = Uint8Array.of(0x28, 0x01); // SessionInfo{status: KEY_NOT_ON_WHITELIST}
  await reject(vectorReply(new Uint8Array(32), notPaired, uuid), 'key-not-paired');
});
