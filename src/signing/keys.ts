/**
 * P-256 keys for the vehicle-command protocol (vehicle-command `pkg/protocol/protocol.md`
 * "Key Agreement").
 *
 * - {@link KeyAgreement}: the one capability the signer needs from a private key, so the key
 *   can live in an HSM, a KMS or an OS keychain instead of this process.
 * - {@link PrivateKey}: an in-memory implementation. The scalar sits in a `#private` field and
 *   leaves only through {@link PrivateKey.toPem} (to write a key file); `toString`, `toJSON`
 *   and Node's `inspect` show the public key only.
 * - {@link PublicKey}: a validated point, read from SPKI PEM, 65-byte raw (or 33-byte
 *   compressed), hex or base64, or derived from a private-key PEM.
 *
 * Every failure is a `ProtocolError('invalid-key')` saying what was expected and what was found.
 *
 * @module
 */
import { p256 } from '@noble/curves/nist.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, bytesToUtf8, equalBytes, fromBase64, hexToBytes } from './bytes.js';
import { ProtocolError } from './errors.js';
import {
  encodePem,
  encodePkcs8,
  encodeSec1,
  encodeSpki,
  type ParsedKey,
  parseKeyDer,
  parseKeyPem,
} from './pem.js';
import { SchnorrKey } from './schnorr.js';

/** An ECDH key the session layer can use without seeing the private scalar. */
export interface KeyAgreement {
  /** The 65-byte uncompressed public key (04 ‖ X ‖ Y). */
  readonly publicKey: Uint8Array;
  /** K = SHA1(ECDH shared x, left-padded to 32 bytes)[0:16] with the peer's 65-byte key. */
  sessionKey(peerPublicKey: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** A key that can make `Tesla.SS256` Schnorr signatures (a {@link PrivateKey}, or an HSM). */
export interface SchnorrSigningKey {
  readonly publicKey: Uint8Array;
  signSchnorr(message: Uint8Array): Uint8Array;
}

const Point = p256.Point;
type P256Point = InstanceType<typeof Point>;
const N = Point.Fn.ORDER;
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const SHARED_KEY_BYTES = 16;

function fail(message: string): never {
  throw new ProtocolError('invalid-key', message);
}

/** Runs a parser and turns anything that is not already an `invalid-key` error into one. */
function guarded<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ProtocolError && err.code !== 'decoding') throw err;
    return fail(`could not read ${what}`);
  }
}

function decodePoint(bytes: Uint8Array, what: string, allowCompressed: boolean): P256Point {
  if (!(bytes instanceof Uint8Array)) fail(`expected ${what} as bytes, found ${typeof bytes}`);
  const prefix = bytes[0];
  const uncompressed = bytes.length === 65 && prefix === 4;
  const compressed = allowCompressed && bytes.length === 33 && (prefix === 2 || prefix === 3);
  if (!uncompressed && !compressed) {
    const first = prefix === undefined ? 'nothing' : `0x${prefix.toString(16).padStart(2, '0')}`;
    fail(
      `expected ${what} as a 65-byte uncompressed P-256 point (04 ‖ X ‖ Y)${allowCompressed ? ' or 33-byte compressed point' : ''}, found ${bytes.length} bytes starting with ${first}`,
    );
  }
  let point: P256Point;
  try {
    point = Point.fromBytes(bytes);
    point.assertValidity();
  } catch {
    return fail(`${what} is not a point on the P-256 curve`);
  }
  if (point.is0()) fail(`${what} is the point at infinity`);
  return point;
}

/** Printable ASCII and whitespace only: a PEM, hex or base64 file read as bytes. */
function isText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  for (const b of bytes) {
    if (b > 0x7e || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) return false;
  }
  return true;
}

function scalarToBigint(scalar: Uint8Array): bigint {
  if (!(scalar instanceof Uint8Array) || scalar.length !== 32) {
    fail(`expected a 32-byte P-256 private scalar, found ${scalar?.length ?? 0} bytes`);
  }
  const d = bytesToNumberBE(scalar);
  if (d === 0n) fail('the private scalar is zero, which is not a valid P-256 key');
  if (d >= N) fail('the private scalar is not below the P-256 group order');
  return d;
}

export class PublicKey {
  readonly #bytes: Uint8Array;

  private constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** A 65-byte uncompressed or 33-byte compressed point; stored uncompressed. */
  static fromBytes(bytes: Uint8Array): PublicKey {
    return new PublicKey(decodePoint(bytes, 'the public key', true).toBytes(false));
  }

  /** Hex of the raw point (whitespace and a `0x` prefix are ignored). */
  static fromHex(hex: string): PublicKey {
    if (typeof hex !== 'string') fail(`expected a hex public key, found ${typeof hex}`);
    const clean = hex.replace(/\s+/g, '').replace(/^0x/i, '');
    if (clean.length === 0 || clean.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(clean)) {
      fail('expected the public key as an even-length hex string');
    }
    return PublicKey.fromBytes(hexToBytes(clean));
  }

  /** SPKI `PUBLIC KEY`, or the public half of an `EC PRIVATE KEY` / `PRIVATE KEY` PEM. */
  static fromPem(pem: string): PublicKey {
    return publicFromParsed(guarded('the PEM key', () => parseKeyPem(pem)));
  }

  /**
   * Any of the encodings people store public keys in: PEM (public or private), hex, standard
   * base64 of the raw point (a JWS `iss`), or bytes that are a raw point, DER, or such text.
   */
  static parse(input: string | Uint8Array): PublicKey {
    if (input instanceof Uint8Array) {
      if (input.length === 0) fail('the public key is empty');
      const b0 = input[0];
      if ((input.length === 65 && b0 === 4) || (input.length === 33 && (b0 === 2 || b0 === 3))) {
        return PublicKey.fromBytes(input);
      }
      if (isText(input)) return PublicKey.parse(bytesToUtf8(input));
      if (b0 === 0x30) return publicFromParsed(guarded('the DER key', () => parseKeyDer(input)));
      return fail(
        `expected a public key as a raw point, DER, PEM or hex, found ${input.length} unrecognised bytes`,
      );
    }
    if (typeof input !== 'string') fail(`expected a public key, found ${typeof input}`);
    const text = input.trim();
    if (text === '') fail('the public key is empty');
    if (text.includes('-----BEGIN')) return PublicKey.fromPem(text);
    if (/^(0x)?[0-9a-fA-F\s]+$/.test(text)) return PublicKey.fromHex(text);
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0) {
      return PublicKey.fromBytes(fromBase64(text));
    }
    return fail('expected a public key as PEM, hex or base64, found none of these');
  }

  /** The 65-byte uncompressed encoding (a copy). */
  get bytes(): Uint8Array {
    return this.#bytes.slice();
  }

  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`), as `openssl ec -pubout` writes. */
  toPem(): string {
    return encodePem('PUBLIC KEY', encodeSpki(this.#bytes));
  }

  toHex(): string {
    return bytesToHex(this.#bytes);
  }

  /**
   * A short identifier for logs and file names: the first 8 bytes of SHA-256 over the 65-byte
   * uncompressed key, as 16 lowercase hex characters. Not a security boundary.
   */
  fingerprint(): string {
    return bytesToHex(sha256(this.#bytes).subarray(0, 8));
  }

  equals(other: PublicKey | Uint8Array): boolean {
    const bytes = other instanceof PublicKey ? other.#bytes : other;
    return bytes instanceof Uint8Array && equalBytes(this.#bytes, bytes);
  }

  toString(): string {
    return this.toHex();
  }

  toJSON(): string {
    return this.toHex();
  }

  [INSPECT](): string {
    return `PublicKey(${this.toHex()})`;
  }
}

/** The key of a parsed SEC1/PKCS#8 structure, checked against its embedded public key. */
function privateFromParsed(parsed: ParsedKey & { kind: 'private' }): PrivateKey {
  const key = PrivateKey.fromScalar(parsed.scalar);
  const embedded = parsed.publicKey;
  if (embedded !== undefined) {
    const pub = guarded('the embedded public key', () => PublicKey.fromBytes(embedded));
    if (!pub.equals(key.public)) {
      fail('the public key stored in the key file does not match its private scalar');
    }
  }
  return key;
}

/** The public key of a parsed key file; for a private key, derived (and checked if embedded). */
function publicFromParsed(parsed: ParsedKey): PublicKey {
  if (parsed.kind === 'public') return PublicKey.fromBytes(parsed.point);
  return privateFromParsed(parsed).public;
}

export class PrivateKey implements KeyAgreement, SchnorrSigningKey {
  readonly #scalar: Uint8Array;
  readonly #d: bigint;
  readonly #public: PublicKey;
  #schnorr: SchnorrKey | undefined;

  private constructor(scalar: Uint8Array, d: bigint) {
    this.#scalar = scalar;
    this.#d = d;
    this.#public = PublicKey.fromBytes(Point.BASE.multiply(d).toBytes(false));
  }

  /** A fresh random key (WebCrypto randomness via noble). */
  static generate(): PrivateKey {
    return PrivateKey.fromScalar(p256.utils.randomSecretKey());
  }

  /** A key from its 32-byte big-endian scalar; 0 and values ≥ n are rejected. */
  static fromScalar(scalar: Uint8Array): PrivateKey {
    const d = scalarToBigint(scalar);
    return new PrivateKey(scalar.slice(), d);
  }

  /** SEC1 `EC PRIVATE KEY` or PKCS#8 `PRIVATE KEY` PEM, P-256 only, unencrypted. */
  static fromPem(pem: string): PrivateKey {
    const parsed = guarded('the PEM key', () => parseKeyPem(pem));
    if (parsed.kind === 'public') {
      fail('expected a private key (EC PRIVATE KEY or PRIVATE KEY), found a public key');
    }
    return privateFromParsed(parsed);
  }

  /** The 65-byte uncompressed public key (a copy). */
  get publicKey(): Uint8Array {
    return this.#public.bytes;
  }

  get public(): PublicKey {
    return this.#public;
  }

  /** ECDH with a 65-byte uncompressed peer key: the shared x-coordinate, 32 bytes. */
  sharedSecret(peerPublicKey: Uint8Array): Uint8Array {
    const peer = decodePoint(peerPublicKey, 'the peer public key', false);
    return peer.multiply(this.#d).toBytes(false).slice(1, 33);
  }

  /** K = SHA1(shared x)[0:16], the session key of protocol.md "Key Agreement". */
  sessionKey(peerPublicKey: Uint8Array): Uint8Array {
    return sha1(this.sharedSecret(peerPublicKey)).slice(0, SHARED_KEY_BYTES);
  }

  /** A 96-byte `Tesla.SS256` Schnorr signature (see `schnorr.ts`). */
  signSchnorr(message: Uint8Array): Uint8Array {
    this.#schnorr ??= new SchnorrKey(this.#scalar);
    return this.#schnorr.sign(message);
  }

  /**
   * The key as PEM: `sec1` (`EC PRIVATE KEY`, the default, as `openssl ec` writes) or `pkcs8`
   * (`PRIVATE KEY`, as `openssl pkey` writes). The only way the scalar leaves this object: use
   * it to write a key file with mode 0600, never to log.
   */
  toPem(format: 'sec1' | 'pkcs8' = 'sec1'): string {
    const scalar = numberToBytesBE(this.#d, 32);
    const pub = this.#public.bytes;
    if (format === 'pkcs8') return encodePem('PRIVATE KEY', encodePkcs8(scalar, pub));
    if (format === 'sec1') return encodePem('EC PRIVATE KEY', encodeSec1(scalar, pub));
    return fail(`expected the PEM format 'sec1' or 'pkcs8', found ${String(format)}`);
  }

  toString(): string {
    return `PrivateKey(<redacted>, public ${this.#public.toHex().slice(0, 16)}…)`;
  }

  toJSON(): { type: 'p256-private-key'; publicKey: string } {
    return { type: 'p256-private-key', publicKey: this.#public.toHex() };
  }

  [INSPECT](): string {
    return this.toString();
  }
}
