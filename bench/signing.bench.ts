/**
 * Signing-library throughput: each protocol path with its primitives from noble (what ships,
 * portable) next to the same path with its primitives from node:crypto (OpenSSL), and the ratio.
 * Protobuf encoding, metadata and checks are the same code on both sides, so the ratio isolates
 * the cost of the primitives.
 */
import {
  createDecipheriv,
  createHash,
  createHmac,
  generateKeyPairSync,
  sign as nodeSign,
} from 'node:crypto';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { SignatureDataSchema } from '../src/gen/signatures_pb.js';
import { RoutableMessageSchema } from '../src/gen/universal_message_pb.js';
import { toBase64 } from '../src/signing/bytes.js';
import { completeHandshake, createHandshake } from '../src/signing/handshake.js';
import { PrivateKey } from '../src/signing/keys.js';
import { requestMetadata, responseMetadata, SignatureType } from '../src/signing/metadata.js';
import type { SignedRequest } from '../src/signing/signer.js';
import { Verifier, type VerifierResult } from '../src/signing/verifier.js';
import { nodeKey } from '../test/helpers/node-key.js';
import { fmt, type Measurement, measure, measureAsync, table } from './harness.js';

const VIN = '5YJ3E1EA7JF000001';
const PAYLOAD = Uint8Array.of(0x12, 0x04, 0x52, 0x02, 0x08, 0x01); // auto_conditioning_start
const REPLY = Uint8Array.of(0x0a, 0x02, 0x08, 0x00); // CarServer.Response{actionStatus{OK}}

function replyBytes(r: VerifierResult): Uint8Array {
  if (r.kind !== 'reply') throw new Error('bench setup: expected a handshake reply');
  return r.bytes;
}

export async function run(): Promise<void> {
  const now = Date.now();
  const client = PrivateKey.generate();
  const vehicleKey = PrivateKey.generate();
  const verifier = new Verifier({ key: vehicleKey, vin: VIN, domain: 3, now: () => now });
  const hs = createHandshake(client.publicKey, 3, { now });
  const hsReply = replyBytes(verifier.handle(hs.bytes));
  const signer = await completeHandshake({
    key: client,
    vin: VIN,
    request: hs,
    response: hsReply,
    now,
  });

  // Native reference state: the same session key, via node:crypto.
  const K = Buffer.from(client.sessionKey(vehicleKey.publicKey));
  const cmdKey = createHmac('sha256', K).update('authenticated command').digest();
  const vinBytes = Buffer.from(VIN, 'ascii');
  const epoch = signer.epoch;
  let nativeCounter = 1_000_000;

  const rows: [Measurement, Measurement, string][] = [];

  // 1. HMAC-sign a command: metadata + tag + protobuf encode + base64.
  const ours = measure('sign (noble HMAC)', () =>
    toBase64(signer.sign(PAYLOAD, { now, lifetimeMs: 10_000 }).bytes),
  );
  const native = measure('sign (node:crypto HMAC)', () => {
    const counter = ++nativeCounter;
    const expiresAt = 100;
    const md = requestMetadata({
      signatureType: SignatureType.HMAC_PERSONALIZED,
      domain: 3,
      vin: vinBytes,
      epoch,
      expiresAt,
      counter,
      flags: 2,
    });
    const tag = createHmac('sha256', cmdKey).update(md).update(PAYLOAD).digest();
    const msg = create(RoutableMessageSchema, {
      toDestination: { subDestination: { case: 'domain', value: 3 } },
      fromDestination: { subDestination: { case: 'routingAddress', value: new Uint8Array(16) } },
      payload: { case: 'protobufMessageAsBytes', value: PAYLOAD },
      subSigData: {
        case: 'signatureData',
        value: create(SignatureDataSchema, {
          signerIdentity: { identityType: { case: 'publicKey', value: client.publicKey } },
          sigType: { case: 'HMACPersonalizedData', value: { epoch, counter, expiresAt, tag } },
        }),
      },
      uuid: new Uint8Array(16),
      flags: 2,
    });
    return Buffer.from(toBinary(RoutableMessageSchema, msg)).toString('base64');
  });
  rows.push([ours, native, 'metadata + HMAC + protobuf encode + base64']);

  // 2. Decrypt an encrypted response (decode, routing checks, metadata, AES-GCM, window).
  const req = signer.sign(PAYLOAD, { now, lifetimeMs: 10_000 });
  const cmd = verifier.handle(req.bytes);
  if (cmd.kind !== 'command') throw new Error('bench setup: command not verified');
  const reply = cmd.respond(REPLY);
  const oursDec = measure('decrypt (noble AES-GCM)', () =>
    signer.openResponse({ ...req } as SignedRequest, reply, now),
  );
  const nativeDec = measure('decrypt (node:crypto AES-GCM)', () => {
    const m = fromBinary(RoutableMessageSchema, reply);
    const sig = m.subSigData.value?.sigType;
    if (sig?.case !== 'AESGCMResponseData' || m.payload.case !== 'protobufMessageAsBytes') {
      throw new Error('bench: not an encrypted reply');
    }
    const md = responseMetadata({
      domain: 3,
      vin: vinBytes,
      counter: sig.value.counter,
      flags: m.flags,
      requestHash: req.requestHash,
      fault: 0,
    });
    const d = createDecipheriv('aes-128-gcm', K, sig.value.nonce);
    d.setAAD(createHash('sha256').update(md).digest());
    d.setAuthTag(sig.value.tag);
    return Buffer.concat([d.update(m.payload.value), d.final()]);
  });
  rows.push([oursDec, nativeDec, 'decode + metadata + AES-GCM open + replay window']);

  // 3. Full handshake: parse the reply, ECDH, K, session-info tag check.
  const nodeClient = nodeKey();
  const nodeHs = createHandshake(nodeClient.publicKey, 3, { now });
  const nodeHsReply = replyBytes(verifier.handle(nodeHs.bytes));
  const oursHs = await measureAsync('handshake (noble ECDH)', () =>
    completeHandshake({ key: client, vin: VIN, request: hs, response: hsReply, now }),
  );
  const nativeHs = await measureAsync('handshake (node:crypto ECDH)', () =>
    completeHandshake({ key: nodeClient, vin: VIN, request: nodeHs, response: nodeHsReply, now }),
  );
  rows.push([oursHs, nativeHs, 'ECDH + SHA-1 + session-info HMAC check']);

  // 4. Schnorr sign (Tesla.SS256). node:crypto has no Schnorr: ECDSA P-256 is the nearest
  //    native operation (one fixed-base scalar multiplication plus hashing).
  const message = new TextEncoder().encode('{"hostname":"telemetry.example.com","port":443}');
  const oursSchnorr = measure('Schnorr sign (noble)', () => client.signSchnorr(message));
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const nativeSchnorr = measure('ECDSA sign (node:crypto)', () =>
    nodeSign('sha256', message, privateKey),
  );
  rows.push([oursSchnorr, nativeSchnorr, 'RFC 6979 nonce + scalar mult + SHA-256']);

  table(
    ['path', 'ours ops/s (median)', 'node:crypto ops/s (median)', 'ratio (native / ours)', 'what'],
    rows.map(([a, b, what]) => [
      a.name,
      fmt(a.opsPerSec),
      fmt(b.opsPerSec),
      (b.opsPerSec / a.opsPerSec).toFixed(2),
      what,
    ]),
  );
}
