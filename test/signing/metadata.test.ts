import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { ProtocolError } from '../../src/signing/errors.js';
import {
  Metadata,
  requestHash,
  requestMetadata,
  SignatureType,
  sessionInfoMetadata,
} from '../../src/signing/metadata.js';
import { hex, loadVector, toHex } from '../helpers/vectors.js';

const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'ascii'));

test('protocol.md TLV of a VIN and of a counter', () => {
  const vin = loadVector('protocol-md.json', 'protocol-md.tlv-vin');
  const one = new Metadata().add(vin.input.tag, hex(vin.input.value)).serialize();
  assert.equal(toHex(one), `${vin.expected.tlv}ff`);
  const ctr = loadVector('protocol-md.json', 'protocol-md.tlv-counter');
  const two = new Metadata().addUint32(ctr.input.tag, ctr.input.value_uint32).serialize();
  assert.equal(toHex(two), `${ctr.expected.tlv}ff`);
});

test('protocol.md metadata serialization sorts by tag and ends with 0xff', () => {
  const v = loadVector('protocol-md.json', 'protocol-md.metadata-serialize');
  const items = [...v.input.items].sort((a, b) => a.tag - b.tag);
  const m = new Metadata();
  for (const it of items) m.add(it.tag, hex(it.value));
  assert.equal(toHex(m.serialize()), v.expected.serialized);
});

test('TestCheckSum and TestHash512CheckSum: the serialized metadata hashes to the upstream digests', () => {
  for (const [id, algo] of [
    ['authentication.TestCheckSum', 'sha256'],
    ['authentication.TestHash512CheckSum', 'sha512'],
  ] as const) {
    const v = loadVector('authentication.json', id);
    const m = new Metadata();
    for (const it of v.input.items) m.add(it.tag, hex(it.value));
    const ser = m.serialize();
    assert.equal(toHex(ser), v.input.serialized);
    assert.equal(createHash(algo).update(ser).digest('hex'), v.expected[algo]);
  }
  const v = loadVector('authentication.json', 'authentication.TestCheckSum');
  const m = new Metadata();
  for (const it of v.input.items) m.add(it.tag, hex(it.value));
  assert.equal(toHex(sha256(m.serialize())), v.expected.sha256);
});

test('TestOutOfOrder: a smaller tag fails, an equal tag is allowed', () => {
  const v = loadVector('authentication.json', 'authentication.TestOutOfOrder');
  const m = new Metadata();
  const results = v.input.adds.map((a: { tag: number; value: string }) => {
    try {
      m.add(a.tag, hex(a.value));
      return 'ok';
    } catch (err) {
      assert.ok(err instanceof ProtocolError);
      assert.equal(err.code, 'metadata');
      return 'errOutOfOrderMetadata';
    }
  });
  assert.deepEqual(results, v.expected.results);
  assert.doesNotThrow(() => new Metadata().add(1, hex('00')).add(1, hex('01')));
});

test('TestValueTooLong: a value over 255 bytes is refused', () => {
  const v = loadVector('authentication.json', 'authentication.TestValueTooLong');
  assert.throws(
    () => new Metadata().add(v.input.tag, new Uint8Array(v.input.value_length)),
    (e: unknown) => e instanceof ProtocolError && e.code === 'metadata',
  );
  assert.doesNotThrow(() => new Metadata().add(v.input.tag, new Uint8Array(255)));
});

test('protocol.md AES-GCM request metadata; FLAGS only when non-zero', () => {
  const v = loadVector('protocol-md.json', 'protocol-md.aes-gcm-metadata');
  const fields = {
    signatureType: v.input.signature_type,
    domain: v.input.domain,
    vin: ascii(v.input.vin),
    epoch: hex(v.input.epoch),
    expiresAt: v.input.expires_at,
    counter: v.input.counter,
    flags: 0,
  };
  assert.equal(toHex(requestMetadata(fields)), v.expected.metadata);
  const withFlags = toHex(requestMetadata({ ...fields, flags: 2 }));
  assert.equal(withFlags, `${v.expected.metadata.slice(0, -2)}070400000002ff`);
});

test('protocol.md session-info metadata; the challenge TLV is omitted when empty', () => {
  const v = loadVector('protocol-md.json', 'protocol-md.session-info-metadata');
  assert.equal(
    toHex(sessionInfoMetadata(ascii(v.input.vin), hex(v.input.challenge))),
    v.expected.metadata,
  );
  assert.equal(toHex(sessionInfoMetadata(ascii('abc'), new Uint8Array())), '0001060203616263ff');
});

test('TestRequestID: 0x08 || tag, cut to 17 bytes for VCSEC', () => {
  const v = loadVector('authentication.json', 'authentication.TestRequestID');
  const tag = hex(v.input.hmac_tag);
  assert.equal(
    toHex(requestHash(SignatureType.HMAC_PERSONALIZED, 2, tag)),
    v.expected.to_vcsec_domain_2,
  );
  assert.equal(
    toHex(requestHash(SignatureType.HMAC_PERSONALIZED, 3, tag)),
    v.expected.to_infotainment_domain_3,
  );
});
