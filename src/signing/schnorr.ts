/**
 * Schnorr signatures over P-256 with SHA-256, as Tesla's `internal/schnorr` defines them for
 * the `Tesla.SS256` JWS (`internal/authentication/jwt.go`). This is not ECDSA.
 *
 * - Nonce k: RFC 6979 HMAC-DRBG over the 32-byte scalar and h1 = SHA256(message) mod n.
 * - V = k·G, A = a·G, c = SHA256(LV(G) ‖ LV(V) ‖ LV(A) ‖ LV(message)) with LV = u32be length ‖
 *   bytes and points 65-byte uncompressed; c is reduced mod n.
 * - r = (k − a·c) mod n; the signature is Vx ‖ Vy ‖ r (96 bytes).
 * - Verify: V == c·A + r·G.
 *
 * JavaScript BigInt arithmetic is not constant time; the nonce derivation and point
 * multiplications follow noble's constant-time paths, the scalar products do not.
 *
 * @module
 */
import { p256 } from '@noble/curves/nist.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, u32be } from './bytes.js';
import { ProtocolError } from './errors.js';

export const SCHNORR_SIGNATURE_BYTES = 96;

const Point = p256.Point;
const N = Point.Fn.ORDER;
const G_BYTES = Point.BASE.toBytes(false);

function mod(a: bigint): bigint {
  const r = a % N;
  return r >= 0n ? r : r + N;
}

function scalarFromBytes(scalar: Uint8Array): bigint {
  if (!(scalar instanceof Uint8Array) || scalar.length !== 32) {
    throw new ProtocolError('invalid-argument', 'Schnorr private scalar must be 32 bytes');
  }
  const a = bytesToNumberBE(scalar);
  if (a === 0n || a >= N) {
    throw new ProtocolError('invalid-key', 'Schnorr private scalar must be in [1, n-1]');
  }
  return a;
}

/**
 * The RFC 6979 nonce (§3.2, qlen = hlen = 256) for a 32-byte scalar and a 32-byte digest.
 * Exported for the upstream nonce vectors.
 */
export function rfc6979Nonce(scalar: Uint8Array, digest: Uint8Array): Uint8Array {
  scalarFromBytes(scalar);
  if (!(digest instanceof Uint8Array) || digest.length !== 32) {
    throw new ProtocolError('invalid-argument', 'RFC 6979 digest must be 32 bytes');
  }
  const h1 = numberToBytesBE(mod(bytesToNumberBE(digest)), 32);
  let k = new Uint8Array(32);
  let v = new Uint8Array(32).fill(1);
  k = hmac(sha256, k, concat(v, Uint8Array.of(0), scalar, h1));
  v = hmac(sha256, k, v);
  k = hmac(sha256, k, concat(v, Uint8Array.of(1), scalar, h1));
  v = hmac(sha256, k, v);
  for (;;) {
    v = hmac(sha256, k, v);
    const candidate = bytesToNumberBE(v);
    if (candidate >= 1n && candidate < N) return v;
    k = hmac(sha256, k, concat(v, Uint8Array.of(0)));
    v = hmac(sha256, k, v);
  }
}

function lv(bytes: Uint8Array): Uint8Array {
  return concat(u32be(bytes.length), bytes);
}

function challenge(v: Uint8Array, a: Uint8Array, message: Uint8Array): bigint {
  return mod(bytesToNumberBE(sha256(concat(lv(G_BYTES), lv(v), lv(a), lv(message)))));
}

/**
 * A Schnorr signing key: the scalar and its public point A, computed once. The point is always
 * derived here, never taken from a caller: a deterministic nonce with a mismatched A would give
 * two signatures of one message different challenges and reveal the scalar.
 */
export class SchnorrKey {
  readonly #scalar: Uint8Array;
  readonly #a: bigint;
  readonly #publicKey: Uint8Array;

  /** Throws `ProtocolError` for a scalar of the wrong size or out of range. */
  constructor(scalar: Uint8Array) {
    this.#a = scalarFromBytes(scalar);
    this.#scalar = scalar.slice();
    this.#publicKey = Point.BASE.multiply(this.#a).toBytes(false);
  }

  /** 96 bytes Vx ‖ Vy ‖ r. Deterministic. */
  sign(message: Uint8Array): Uint8Array {
    const k = bytesToNumberBE(rfc6979Nonce(this.#scalar, sha256(message)));
    const vBytes = Point.BASE.multiply(k).toBytes(false);
    const c = challenge(vBytes, this.#publicKey, message);
    const r = mod(k - this.#a * c);
    return concat(vBytes.subarray(1), numberToBytesBE(r, 32));
  }

  toString(): string {
    return 'SchnorrKey(<redacted>)';
  }

  toJSON(): string {
    return this.toString();
  }
}

/**
 * Signs `message` with the 32-byte private scalar: 96 bytes Vx ‖ Vy ‖ r. Deterministic.
 * Throws `ProtocolError` for a scalar of the wrong size or out of range.
 */
export function schnorrSign(scalar: Uint8Array, message: Uint8Array): Uint8Array {
  return new SchnorrKey(scalar).sign(message);
}

/**
 * Whether `signature` (96 bytes) is a valid Schnorr signature of `message` by `publicKey`
 * (65-byte uncompressed point). Never throws: a malformed key or signature (wrong length, a
 * point off the curve, r ≥ n) is simply not valid.
 */
export function schnorrVerify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    if (!(publicKey instanceof Uint8Array) || publicKey.length !== 65 || publicKey[0] !== 4) {
      return false;
    }
    if (!(signature instanceof Uint8Array) || signature.length !== SCHNORR_SIGNATURE_BYTES) {
      return false;
    }
    if (!(message instanceof Uint8Array)) return false;
    const A = Point.fromBytes(publicKey);
    const vBytes = concat(Uint8Array.of(4), signature.subarray(0, 64));
    const V = Point.fromBytes(vBytes);
    const r = bytesToNumberBE(signature.subarray(64));
    if (r >= N) return false;
    const c = challenge(vBytes, publicKey, message);
    const expected = A.multiplyUnsafe(c).add(Point.BASE.multiplyUnsafe(r));
    return !expected.is0() && expected.equals(V);
  } catch {
    return false;
  }
}
