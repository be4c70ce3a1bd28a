/**
 * The signing library's CLIENT checked from outside: every exchange runs against
 * `test/helpers/independent-vehicle.ts`, a vehicle side written from protocol.md and the .proto
 * field numbers alone (node:crypto + a hand-written protobuf codec, nothing from `src/`).
 * Upstream publishes no fixed vector for HMAC_PERSONALIZED requests, TAG_FLAGS or response
 * decryption, so agreement between two implementations is the check. The helper itself is
 * first proved right on the protocol.md vectors.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  completeHandshake,
  createHandshake,
  type DomainId,
  PrivateKey,
  ProtocolError,
  type Signer,
} from '../../src/signing/index.js';
import {
  decodeRoutable,
  decodeSessionInfo,
  encodeRoutable,
  IndependentVehicle,
  type IndependentVehicleOptions,
  type RoutableMessage,
  requestMetadata,
  SIG,
  type SignatureData,
  serializeMetadata,
  sessionInfoTag,
  tlv,
  u32,
  type VehicleResult,
} from '../helpers/independent-vehicle.js';
import { hex, loadVector, toHex } from '../helpers/vectors.js';

const VIN = '5YJ3E1EA1PF000001';
const OTHER_VIN = '5YJSA1E26JF000002';
const START = 1_700_000_000_000;

const v = (id: string) => loadVector('protocol-md.json', `protocol-md.${id}`);

type GcmResponse = NonNullable<SignatureData['gcmResponse']>;
type Command = Extract<VehicleResult, { kind: 'command' }>;

function command(r: VehicleResult): Command {
  assert.equal(r.kind, 'command', r.kind === 'reply' ? `vehicle refused: fault ${r.fault}` : '');
  return r as Command;
}

function asReply(r: VehicleResult): Extract<VehicleResult, { kind: 'reply' }> {
  assert.equal(r.kind, 'reply', 'expected a protocol reply, got an accepted command');
  return r as Extract<VehicleResult, { kind: 'reply' }>;
}

function rejects(f: () => unknown, check: Partial<ProtocolError>): ProtocolError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ProtocolError, `expected a ProtocolError, got ${String(caught)}`);
  for (const [k, want] of Object.entries(check)) {
    assert.equal((caught as unknown as Record<string, unknown>)[k], want, k);
  }
  return caught;
}

/** `bytes` decoded by the independent codec, changed by `f`, encoded again. */
function edited(bytes: Uint8Array, f: (m: RoutableMessage) => void): Uint8Array {
  const m = decodeRoutable(bytes);
  f(m);
  return encodeRoutable(m);
}

/** A vehicle on a fake clock, a fresh client key and a completed handshake. */
async function paired(domain: DomainId, o: Partial<IndependentVehicleOptions> = {}) {
  const clock = { t: START };
  const vehicle = new IndependentVehicle({
    vin: VIN,
    domain,
    now: () => clock.t,
    clockTime: 1234,
    ...o,
  });
  const key = PrivateKey.generate();
  const signer = await handshake(vehicle, key, o.vin ?? VIN, clock.t);
  return { clock, vehicle, key, signer };
}

async function handshake(vehicle: IndependentVehicle, key: PrivateKey, vin: string, now: number) {
  const request = createHandshake(key.publicKey, vehicle.domain, { now });
  const reply = asReply(vehicle.handle(request.bytes));
  assert.equal(reply.fault, 0);
  return completeHandshake({ key, vin, request, response: reply.bytes, now });
}

describe('the independent vehicle on the protocol.md vectors', () => {
  test('TLV and metadata serialization', () => {
    assert.equal(toHex(tlv(2, hex(v('tlv-vin').input.value))), v('tlv-vin').expected.tlv);
    assert.equal(toHex(tlv(5, u32(100))), v('tlv-counter').expected.tlv);
    const items = v('metadata-serialize').input.items as { tag: number; value: string }[];
    const pairs = items.map((i) => [i.tag, hex(i.value)] as const);
    assert.equal(toHex(serializeMetadata(pairs)), v('metadata-serialize').expected.serialized);
    const gcm = v('aes-gcm-metadata').input;
    const meta = requestMetadata({
      sigType: gcm.signature_type,
      domain: gcm.domain,
      vin: gcm.vin,
      epoch: hex(gcm.epoch),
      expiresAt: gcm.expires_at,
      counter: gcm.counter,
      flags: 0,
    });
    assert.equal(toHex(meta), v('aes-gcm-metadata').expected.metadata);
  });

  test('keys: public key from the vehicle PEM, K from either side', () => {
    const vk = v('vehicle-key');
    const ck = v('client-key');
    const vehicle = new IndependentVehicle({
      vin: 'x',
      domain: 3,
      privateKey: vk.input.private_key_pem,
    });
    assert.equal(toHex(vehicle.publicKey), vk.expected.public_key);
    assert.equal(
      toHex(vehicle.sharedKey(hex(ck.expected.public_key))),
      v('shared-key-K').expected.K,
    );
    const client = new IndependentVehicle({
      vin: 'x',
      domain: 3,
      privateKey: hex(ck.expected.private_scalar),
    });
    assert.equal(
      toHex(client.sharedKey(hex(vk.expected.public_key))),
      v('shared-key-K').expected.K,
    );
  });

  test('a handshake answered with the upstream session info and tag', async () => {
    const decoded = v('session-info-decode');
    const clientPem = v('client-key').input.private_key_pem;
    const vehicle = new IndependentVehicle({
      vin: v('session-info-metadata').input.vin,
      domain: 3,
      privateKey: v('vehicle-key').input.private_key_pem,
      epoch: hex(decoded.expected.epoch),
      clockTime: decoded.expected.clock_time,
      counter: decoded.expected.counter,
      now: () => START,
    });
    const fields = v('handshake-request').expected.routable_message_fields;
    const request = encodeRoutable({
      to: { domain: 3 },
      from: { routingAddress: hex(fields['from_destination.routing_address']) },
      sessionInfoRequest: {
        publicKey: hex(fields['session_info_request.public_key']),
        challenge: new Uint8Array(),
      },
      uuid: hex(fields.uuid),
    });
    const reply = asReply(vehicle.handle(request));
    assert.equal(reply.fault, 0);
    const m = decodeRoutable(reply.bytes);
    assert.equal(toHex(m.sessionInfo ?? new Uint8Array()), decoded.input.session_info);
    assert.equal(
      toHex(m.signatureData?.sessionInfoTag ?? new Uint8Array()),
      v('session-info-tag').expected.tag,
    );
    assert.equal(
      toHex(m.to?.routingAddress ?? new Uint8Array()),
      decoded.expected.response_fields['to_destination.routing_address'],
    );
    assert.equal(m.from?.domain, 3);
    assert.equal(
      toHex(m.requestUuid ?? new Uint8Array()),
      decoded.expected.response_fields.request_uuid,
    );
    const info = decodeSessionInfo(m.sessionInfo ?? new Uint8Array());
    assert.deepEqual(
      { ...info, publicKey: toHex(info.publicKey), epoch: toHex(info.epoch) },
      {
        counter: 6,
        publicKey: decoded.expected.publicKey,
        epoch: decoded.expected.epoch,
        clockTime: 2650,
      },
    );
    const k = hex(v('shared-key-K').expected.K);
    const tag = sessionInfoTag(k, vehicle.vin, hex(fields.uuid), hex(decoded.input.session_info));
    assert.equal(toHex(tag), v('session-info-tag').expected.tag);
    // The library's client accepts the very same reply with the upstream client key.
    const libRequest = createHandshake(hex(fields['session_info_request.public_key']), 3, {
      uuid: hex(fields.uuid),
      routingAddress: hex(fields['from_destination.routing_address']),
      now: START,
    });
    assert.equal(
      toHex(libRequest.bytes),
      toHex(request),
      'same handshake bytes from both encoders',
    );
    const signer = await completeHandshake({
      key: PrivateKey.fromPem(clientPem),
      vin: vehicle.vin,
      request: libRequest,
      response: reply.bytes,
      now: START,
    });
    assert.equal(signer.counter, 6);
    assert.equal(toHex(signer.epoch), decoded.expected.epoch);
  });

  test('decodes the upstream tesla-control TX line (fields out of order)', () => {
    const tx = v('tx-debug-line');
    const m = decodeRoutable(hex(tx.input.routable_message));
    assert.equal(m.to?.domain, 2);
    assert.equal(
      toHex(m.from?.routingAddress ?? new Uint8Array()),
      tx.expected['from_destination.routing_address'],
    );
    assert.equal(toHex(m.payload ?? new Uint8Array()), tx.expected.protobuf_message_as_bytes);
    assert.equal(toHex(m.uuid ?? new Uint8Array()), tx.expected.uuid);
  });

  test('verifies the upstream AES-GCM command; a flipped bit or a replay is refused', () => {
    const f = v('aes-gcm-routable-message').expected.routable_message_fields;
    const gcm = v('aes-gcm-encrypt');
    const make = (tag: Uint8Array) =>
      encodeRoutable({
        to: { domain: 3 },
        from: { routingAddress: hex(f['from_destination.routing_address']) },
        payload: hex(f.protobuf_message_as_bytes),
        signatureData: {
          signerPublicKey: hex(f['signature_data.signer_identity.public_key']),
          gcmPersonalized: {
            epoch: hex(f['signature_data.AES_GCM_Personalized_data.epoch']),
            nonce: hex(f['signature_data.AES_GCM_Personalized_data.nonce']),
            counter: f['signature_data.AES_GCM_Personalized_data.counter'],
            expiresAt: f['signature_data.AES_GCM_Personalized_data.expires_at'],
            tag,
          },
        },
        uuid: hex(f.uuid),
      });
    const vehicle = new IndependentVehicle({
      vin: v('aes-gcm-metadata').input.vin,
      domain: 3,
      privateKey: v('vehicle-key').input.private_key_pem,
      epoch: hex(v('aes-gcm-metadata').input.epoch),
      clockTime: 2650,
      counter: 6,
      now: () => START,
    });
    const tag = hex(gcm.expected.tag);
    const bad = Uint8Array.from(tag);
    bad[15] = (bad[15] as number) ^ 0x80;
    assert.equal(asReply(vehicle.handle(make(bad))).fault, 5, 'INVALID_SIGNATURE');
    const ok = command(vehicle.handle(make(tag)));
    assert.equal(toHex(ok.payload), gcm.input.plaintext);
    assert.equal(ok.counter, 7);
    assert.equal(toHex(ok.requestHash), `0${SIG.AES_GCM_PERSONALIZED}${gcm.expected.tag}`);
    assert.equal(asReply(vehicle.handle(make(tag))).fault, 6, 'INVALID_TOKEN_OR_COUNTER');
  });
});

for (const domain of [2, 3] as const) {
  describe(`library client against the independent vehicle, domain ${domain}`, () => {
    test('handshake: the client reads the same session the vehicle holds', async () => {
      const { vehicle, signer, clock } = await paired(domain);
      assert.equal(toHex(signer.epoch), toHex(vehicle.epoch));
      assert.equal(toHex(signer.vehiclePublicKey), toHex(vehicle.publicKey));
      assert.equal(signer.counter, 0);
      assert.equal(signer.vehicleTime(clock.t), vehicle.clockTime());
    });

    test('default flags (2): HMAC verified, reply encrypted and opened, replay refused', async () => {
      const { vehicle, signer, key, clock } = await paired(domain);
      for (let i = 0; i < 3; i++) {
        const payload = Uint8Array.from(randomBytes(24 + i));
        const req = signer.sign(payload, { now: clock.t });
        const cmd = command(vehicle.handle(req.bytes));
        assert.deepEqual(cmd.payload, payload);
        assert.equal(cmd.flags, 2);
        assert.equal(cmd.counter, req.counter);
        assert.deepEqual(cmd.clientPublicKey, key.publicKey);
        assert.equal(toHex(cmd.requestHash), toHex(req.requestHash));
        assert.equal(req.requestHash.length, domain === 2 ? 17 : 33);
        const app = Uint8Array.from(randomBytes(10));
        const reply = cmd.respond(app, i === 2 ? { flags: 5 } : {});
        assert.ok(decodeRoutable(reply).signatureData?.gcmResponse, 'reply is encrypted');
        assert.deepEqual(signer.openResponse(req, reply, clock.t), {
          payload: app,
          encrypted: true,
        });
        rejects(() => signer.openResponse(req, reply, clock.t), { code: 'replayed-response' });
        clock.t += 1500;
      }
    });

    test('flags 0 (no TAG_FLAGS) and flags 1: verified, reply in plain text', async () => {
      const { vehicle, signer, clock } = await paired(domain);
      for (const flags of [0, 1]) {
        const payload = Uint8Array.from(randomBytes(16));
        const req = signer.sign(payload, { now: clock.t, flags });
        const cmd = command(vehicle.handle(req.bytes));
        assert.equal(cmd.flags, flags);
        assert.deepEqual(cmd.payload, payload);
        const app = Uint8Array.from(randomBytes(7));
        assert.deepEqual(signer.openResponse(req, cmd.respond(app), clock.t), {
          payload: app,
          encrypted: false,
        });
      }
    });

    test('AES-GCM requests (method gcm) decrypt; their encrypted reply opens', async () => {
      const { vehicle, signer, clock } = await paired(domain);
      const payload = Uint8Array.from(randomBytes(33));
      const req = signer.sign(payload, { now: clock.t, method: 'gcm' });
      const cmd = command(vehicle.handle(req.bytes));
      assert.deepEqual(cmd.payload, payload);
      assert.equal(toHex(cmd.requestHash), toHex(req.requestHash));
      assert.equal(req.requestHash.length, 17);
      const app = Uint8Array.from(randomBytes(12));
      assert.deepEqual(signer.openResponse(req, cmd.respond(app), clock.t), {
        payload: app,
        encrypted: true,
      });
    });

    test('a tampered reply (tag bit, counter, flags) does not open; the original does', async () => {
      const { vehicle, signer, clock } = await paired(domain);
      const req = signer.sign(Uint8Array.of(1, 2, 3), { now: clock.t });
      const app = Uint8Array.from(randomBytes(20));
      const reply = command(vehicle.handle(req.bytes)).respond(app);
      const edit = (f: (r: GcmResponse, m: RoutableMessage) => void) =>
        edited(reply, (m) => {
          const r = m.signatureData?.gcmResponse;
          assert.ok(r, 'reply carries AES_GCM_Response_data');
          f(r, m);
        });
      assert.equal(toHex(edit(() => {})), toHex(reply), 'the codec round-trips the reply');
      const flipTag = edit((r) => {
        r.tag[3] = (r.tag[3] as number) ^ 0x10;
      });
      const bumpCounter = edit((r) => {
        r.counter += 1;
      });
      const setFlags = edit((_r, m) => {
        m.flags = 4;
      });
      const flipBody = edit((_r, m) => {
        const p = m.payload as Uint8Array;
        p[0] = (p[0] as number) ^ 1;
      });
      for (const bad of [flipTag, bumpCounter, setFlags, flipBody]) {
        rejects(() => signer.openResponse(req, bad, clock.t), { code: 'bad-response-tag' });
      }
      assert.deepEqual(signer.openResponse(req, reply, clock.t).payload, app);
    });

    test('a tampered command (payload bit, flags, counter) is refused', async () => {
      const { vehicle, signer, clock } = await paired(domain);
      const req = signer.sign(Uint8Array.of(9, 8, 7, 6), { now: clock.t });
      const edit = (f: (m: RoutableMessage) => void) => edited(req.bytes, f);
      assert.equal(toHex(edit(() => {})), toHex(req.bytes), 'the codec round-trips the request');
      const tampered = [
        edit((m) => {
          const p = m.payload as Uint8Array;
          p[0] = (p[0] as number) ^ 1;
        }),
        edit((m) => {
          m.flags = 0;
        }),
        edit((m) => {
          const h = m.signatureData?.hmacPersonalized;
          if (h) h.counter += 1;
        }),
      ];
      for (const bad of tampered) assert.equal(asReply(vehicle.handle(bad)).fault, 5);
      command(vehicle.handle(req.bytes));
      assert.equal(asReply(vehicle.handle(req.bytes)).fault, 6, 'replayed counter');
    });

    test('vehicle reboot: INCORRECT_EPOCH with session info, applied; the re-signed command verifies', async () => {
      const { vehicle, signer, clock } = await paired(domain);
      command(vehicle.handle(signer.sign(Uint8Array.of(1), { now: clock.t }).bytes));
      clock.t += 60_000;
      vehicle.reboot();
      const stale = signer.sign(Uint8Array.of(2), { now: clock.t });
      const fault = asReply(vehicle.handle(stale.bytes));
      assert.equal(fault.fault, 15);
      assert.ok(decodeRoutable(fault.bytes).sessionInfo, 'fault carries session info');
      rejects(() => signer.openResponse(stale, fault.bytes, clock.t), {
        fault: 15,
        sessionUpdated: true,
        retryable: true,
      });
      assert.equal(toHex(signer.epoch), toHex(vehicle.epoch));
      assert.equal(signer.vehicleTime(clock.t), vehicle.clockTime());
      const again = signer.sign(Uint8Array.of(2), { now: clock.t });
      const cmd = command(vehicle.handle(again.bytes));
      assert.deepEqual(
        signer.openResponse(again, cmd.respond(Uint8Array.of(42)), clock.t).payload,
        Uint8Array.of(42),
      );
    });

    test('expired command: TIME_EXPIRED with session info; re-signed it verifies', async () => {
      const { vehicle, signer, clock } = await paired(domain);
      const req = signer.sign(Uint8Array.of(5), { now: clock.t, lifetimeMs: 2000 });
      clock.t += 10_000;
      const fault = asReply(vehicle.handle(req.bytes));
      assert.equal(fault.fault, 17);
      rejects(() => signer.openResponse(req, fault.bytes, clock.t), {
        fault: 17,
        sessionUpdated: true,
      });
      command(vehicle.handle(signer.sign(Uint8Array.of(5), { now: clock.t }).bytes));
    });

    test('a command signed for another VIN fails the check; its own vehicle accepts it', async () => {
      const clock = { t: START };
      const shared = {
        privateKey: Uint8Array.from(randomBytes(32)),
        epoch: Uint8Array.from(randomBytes(16)),
      };
      shared.privateKey[0] = 0x11; // keep the scalar below the group order
      const base = { domain, now: () => clock.t, clockTime: 99, ...shared };
      const mine = new IndependentVehicle({ vin: VIN, ...base });
      const other = new IndependentVehicle({ vin: OTHER_VIN, ...base });
      const key = PrivateKey.generate();
      const signer: Signer = await handshake(other, key, OTHER_VIN, clock.t);
      const req = signer.sign(Uint8Array.of(3, 3), { now: clock.t });
      const fault = asReply(mine.handle(req.bytes));
      assert.equal(fault.fault, 5, 'INVALID_SIGNATURE');
      // The session info in that fault is tagged for VIN, so the client for OTHER_VIN rejects it.
      rejects(() => signer.openResponse(req, fault.bytes, clock.t), {
        fault: 5,
        sessionInfoRejected: true,
      });
      assert.deepEqual(command(other.handle(req.bytes)).payload, Uint8Array.of(3, 3));
    });

    test('an unpaired key: the handshake fails with key-not-paired', async () => {
      const vehicle = new IndependentVehicle({ vin: VIN, domain, isAuthorized: () => false });
      const key = PrivateKey.generate();
      const request = createHandshake(key.publicKey, domain);
      const response = asReply(vehicle.handle(request.bytes)).bytes;
      await assert.rejects(completeHandshake({ key, vin: VIN, request, response }), {
        code: 'key-not-paired',
      });
    });
  });
}
