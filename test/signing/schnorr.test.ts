import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { ProtocolError } from '../../src/signing/errors.js';
import { PrivateKey } from '../../src/signing/keys.js';
import { rfc6979Nonce, SchnorrKey, schnorrSign, schnorrVerify } from '../../src/signing/schnorr.js';
import { hex, loadVector, toHex } from '../helpers/vectors.js';

const jws = (id: string) => loadVector('jws.json', `schnorr.${id}`);
const sha256 = (b: Uint8Array) => Uint8Array.from(createHash('sha256').update(b).digest());

function signVector() {
  const v = jws('TestSign');
  const scalar = hex(v.input.private_scalar);
  return {
    scalar,
    message: hex(v.input.message),
    signature: hex(v.expected.signature),
    publicKey: PrivateKey.fromScalar(scalar).publicKey,
  };
}

test('TestDeterministicNonce: RFC 6979 A.2.5 nonce for "sample"', () => {
  const v = jws('TestDeterministicNonce');
  const nonce = rfc6979Nonce(hex(v.input.private_scalar), sha256(hex(v.input.message)));
  assert.equal(toHex(nonce), v.expected.nonce);
});

test('TestRejectionSampling: a first candidate ≥ n is resampled; h1 keeps its leading zero', () => {
  const v = jws('TestRejectionSampling');
  assert.equal(
    toHex(rfc6979Nonce(hex(v.input.private_scalar), hex(v.input.digest))),
    v.expected.nonce,
  );
});

test('TestSign: the upstream signature of "hello world", byte for byte', () => {
  const { scalar, message, signature } = signVector();
  assert.equal(toHex(schnorrSign(scalar, message)), toHex(signature));
  const schnorrKey = new SchnorrKey(scalar);
  assert.equal(toHex(schnorrKey.sign(message)), toHex(signature));
  assert.ok(!JSON.stringify(schnorrKey).includes('03000000'));
  assert.equal(
    toHex(PrivateKey.fromScalar(scalar).signSchnorr(message)),
    toHex(signature),
    'PrivateKey.signSchnorr is the same algorithm',
  );
});

test('TestVerify and its negative cases', () => {
  const { message, signature, publicKey } = signVector();
  assert.equal(schnorrVerify(publicKey, message, signature), true);

  const flippedMessage = message.slice();
  flippedMessage[0] = (flippedMessage[0] as number) ^ 1;
  assert.equal(schnorrVerify(publicKey, flippedMessage, signature), false, 'message[0] ^= 1');

  const other = new Uint8Array(32);
  other[0] = 4;
  assert.equal(
    schnorrVerify(PrivateKey.fromScalar(other).publicKey, message, signature),
    false,
    'key of a different scalar',
  );

  for (let i = 0; i < signature.length; i++) {
    const bad = signature.slice();
    bad[i] = (bad[i] as number) ^ 0x01;
    assert.equal(schnorrVerify(publicKey, message, bad), false, `signature byte ${i} flipped`);
  }

  const badPrefix = publicKey.slice();
  badPrefix[0] = (badPrefix[0] as number) ^ 1;
  assert.equal(schnorrVerify(badPrefix, message, signature), false, 'bad key prefix');
  const zeroKey = new Uint8Array(65);
  zeroKey[0] = 4;
  assert.equal(schnorrVerify(zeroKey, message, signature), false, 'all-zero key');
  assert.equal(schnorrVerify(publicKey, message, signature.subarray(0, 95)), false, '95 bytes');
  assert.equal(schnorrVerify(publicKey, message, new Uint8Array(97)), false, '97 bytes');
});

test('verify refuses r ≥ n and an off-curve V', () => {
  const { message, signature, publicKey } = signVector();
  const rHigh = signature.slice();
  rHigh.fill(0xff, 64);
  assert.equal(schnorrVerify(publicKey, message, rHigh), false);
  const offCurve = signature.slice();
  offCurve[0] = (offCurve[0] as number) ^ 0x80;
  assert.equal(schnorrVerify(publicKey, message, offCurve), false);
});

test('sign rejects a zero, out-of-range or wrongly sized scalar with ProtocolError', () => {
  const bad = [
    new Uint8Array(32),
    new Uint8Array(32).fill(0xff),
    new Uint8Array(31).fill(1),
    new Uint8Array(33).fill(1),
  ];
  for (const scalar of bad) {
    assert.throws(
      () => schnorrSign(scalar, new Uint8Array(1)),
      (e: unknown) => e instanceof ProtocolError,
    );
  }
  assert.throws(
    () => rfc6979Nonce(signVector().scalar, new Uint8Array(31)),
    (e: unknown) => e instanceof ProtocolError,
  );
});

test('property: sign → verify round-trips; any other message or key fails', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ maxLength: 200 }),
      fc.uint8Array({ minLength: 1, maxLength: 200 }),
      (seed, message, other) => {
        seed[0] = ((seed[0] as number) & 0x7f) | 0x01; // in [1, n)
        const key = PrivateKey.fromScalar(seed);
        const sig = key.signSchnorr(message);
        assert.equal(sig.length, 96);
        assert.equal(toHex(schnorrSign(seed, message)), toHex(sig), 'deterministic');
        assert.equal(schnorrVerify(key.publicKey, message, sig), true);
        const different = Uint8Array.from([...message, ...other]);
        assert.equal(schnorrVerify(key.publicKey, different, sig), false);
      },
    ),
    { numRuns: 40 },
  );
});

test('property: random bytes never verify and never throw', () => {
  const { publicKey, message } = signVector();
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 100 }),
      fc.uint8Array({ maxLength: 100 }),
      (key, sig) => {
        assert.equal(schnorrVerify(key, message, sig), false);
        assert.equal(schnorrVerify(publicKey, message, sig), false);
      },
    ),
    { numRuns: 200 },
  );
});
