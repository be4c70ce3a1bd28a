/**
 * The `Tesla.SS256` JWS that Tesla uses for fleet-telemetry configuration
 * (vehicle-command `internal/authentication/jwt.go`, `pkg/sign`, `cmd/tesla-jws`).
 *
 * - Header `{"alg":"Tesla.SS256","typ":"JWT"}`.
 * - Claims: the caller's, with `iss` (standard base64, padded, of the 65-byte public key) and
 *   `aud` always overwritten. Keys are written sorted and `<`, `>`, `&`, U+2028/9 escaped, as
 *   Go's `encoding/json` does, so a token equals the Go tool's byte for byte.
 * - Signature: base64url of the 96-byte Schnorr signature (`schnorr.ts`) over the ASCII
 *   signing input `base64url(header) "." base64url(claims)`.
 *
 * @module
 */
import {
  bytesToUtf8,
  equalBytes,
  fromBase64,
  toBase64,
  toBase64Url,
  utf8ToBytes,
} from './bytes.js';
import { ProtocolError } from './errors.js';
import { PublicKey, type SchnorrSigningKey } from './keys.js';
import { SCHNORR_SIGNATURE_BYTES, schnorrVerify } from './schnorr.js';

export const JWS_ALGORITHM = 'Tesla.SS256';
/** `aud` of a fleet-wide telemetry configuration (`com.tesla.fleet.` + `TelemetryClient`). */
export const FLEET_TELEMETRY_AUDIENCE = 'com.tesla.fleet.TelemetryClient';

const HEADER = { alg: JWS_ALGORITHM, typ: 'JWT' } as const;
/** Tokens are a few KiB; refuse to parse anything absurdly large. */
const MAX_TOKEN_CHARS = 1_048_576;

function invalid(message: string): never {
  throw new ProtocolError('invalid-jws', message);
}

/** Sorts object keys recursively, as Go marshals maps. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    // Keys are defined, not assigned: a claim named `__proto__` stays a claim (as Go's
    // encoding/json writes it) instead of setting the copy's prototype and vanishing.
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      Object.defineProperty(out, key, {
        value: sortKeys((value as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** JSON as Go's `encoding/json` writes it: sorted keys, HTML-safe escapes. */
function goJson(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(sortKeys(value));
  } catch {
    throw new ProtocolError('invalid-argument', 'JWS claims must be JSON-serializable');
  }
  if (json === undefined) {
    throw new ProtocolError('invalid-argument', 'JWS claims must be JSON-serializable');
  }
  return json.replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Signs `claims` as a `Tesla.SS256` JWS for `audience`. `iss` and `aud` in `claims` are
 * replaced (the key's public key and `audience`); the input object is not modified.
 */
export function signJws(
  key: SchnorrSigningKey,
  claims: Record<string, unknown>,
  audience: string,
): string {
  if (!isPlainObject(claims)) {
    throw new ProtocolError('invalid-argument', 'JWS claims must be a JSON object');
  }
  if (typeof audience !== 'string' || audience === '') {
    throw new ProtocolError('invalid-argument', 'JWS audience must be a non-empty string');
  }
  const body = { ...claims, iss: toBase64(key.publicKey), aud: audience };
  const input = `${toBase64Url(utf8ToBytes(goJson(HEADER)))}.${toBase64Url(utf8ToBytes(goJson(body)))}`;
  const signature = key.signSchnorr(utf8ToBytes(input));
  return `${input}.${toBase64Url(signature)}`;
}

/** The JWS for `fleet_telemetry_config_jws`: `aud` = `com.tesla.fleet.TelemetryClient`. */
export function signFleetTelemetryConfig(
  key: SchnorrSigningKey,
  config: Record<string, unknown>,
): string {
  return signJws(key, config, FLEET_TELEMETRY_AUDIENCE);
}

/** A JWS for one vehicle: `aud` = `com.tesla.vehicle.<VIN>.<app>`. */
export function signVehicleJws(
  key: SchnorrSigningKey,
  vin: string,
  app: string,
  claims: Record<string, unknown>,
): string {
  if (typeof vin !== 'string' || !/^[A-Za-z0-9]{1,32}$/.test(vin)) {
    throw new ProtocolError(
      'invalid-argument',
      'expected an alphanumeric VIN for the JWS audience',
    );
  }
  if (typeof app !== 'string' || app === '') {
    throw new ProtocolError('invalid-argument', 'JWS app name must be a non-empty string');
  }
  return signJws(key, claims, `com.tesla.vehicle.${vin}.${app}`);
}

export interface VerifyJwsOptions {
  /** Require `aud` to equal this (or, for an array `aud`, to contain it). */
  audience?: string;
  /** Require the `iss` key to be this 65-byte public key. */
  publicKey?: Uint8Array;
  /** Clock for `exp`/`nbf`, in ms (default `Date.now()`). */
  now?: number;
}

export interface VerifiedJws {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** The signer's 65-byte public key, from `iss`. */
  publicKey: Uint8Array;
}

/** A short rendering of an untrusted value for an error message. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'none';
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}

function decodeSegment(segment: string, name: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(segment) || segment.length % 4 === 1) {
    invalid(`the JWS ${name} is not base64url`);
  }
  return fromBase64(segment);
}

function decodeJsonObject(segment: string, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytesToUtf8(decodeSegment(segment, name)));
  } catch (err) {
    if (err instanceof ProtocolError && err.code === 'invalid-jws') throw err;
    invalid(`the JWS ${name} is not valid JSON`);
  }
  if (!isPlainObject(value)) invalid(`the JWS ${name} is not a JSON object`);
  return value;
}

/**
 * Verifies a `Tesla.SS256` JWS: the algorithm, the signature against the key in `iss`, and,
 * when asked, `aud` and the expected key; `exp`/`nbf` are checked when present. Returns the
 * header, the claims and the signer's public key; any failure is `ProtocolError('invalid-jws')`.
 */
export function verifyJws(token: string, opts: VerifyJwsOptions = {}): VerifiedJws {
  if (typeof token !== 'string') invalid(`expected a JWS string, found ${typeof token}`);
  if (token.length > MAX_TOKEN_CHARS) invalid('the JWS is too large');
  const parts = token.trim().split('.');
  if (parts.length !== 3) invalid(`expected a JWS of 3 dot-separated parts, found ${parts.length}`);
  const [h = '', p = '', s = ''] = parts;
  const header = decodeJsonObject(h, 'header');
  if (header.alg !== JWS_ALGORITHM) {
    invalid(`expected alg ${JWS_ALGORITHM}, found ${show(header.alg)}`);
  }
  const claims = decodeJsonObject(p, 'claims');
  const iss = claims.iss;
  if (typeof iss !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(iss) || iss.length % 4 !== 0) {
    invalid('the JWS iss claim is not a base64 public key');
  }
  let publicKey: Uint8Array;
  try {
    publicKey = PublicKey.fromBytes(fromBase64(iss)).bytes;
  } catch {
    invalid('the JWS iss claim is not a valid P-256 public key');
  }
  const signature = decodeSegment(s, 'signature');
  if (signature.length !== SCHNORR_SIGNATURE_BYTES) {
    invalid(
      `expected a ${SCHNORR_SIGNATURE_BYTES}-byte signature, found ${signature.length} bytes`,
    );
  }
  if (!schnorrVerify(publicKey, utf8ToBytes(`${h}.${p}`), signature)) {
    invalid('the JWS signature does not verify against the iss key');
  }
  if (opts.publicKey !== undefined && !equalBytes(opts.publicKey, publicKey)) {
    invalid('the JWS was signed by a different key than expected');
  }
  if (opts.audience !== undefined) {
    const aud = claims.aud;
    const ok = Array.isArray(aud) ? aud.includes(opts.audience) : aud === opts.audience;
    if (!ok) invalid(`expected aud ${opts.audience}, found ${show(aud)}`);
  }
  const nowSeconds = (opts.now ?? Date.now()) / 1000;
  if (typeof claims.exp === 'number' && nowSeconds >= claims.exp) invalid('the JWS has expired');
  if (typeof claims.nbf === 'number' && nowSeconds < claims.nbf)
    invalid('the JWS is not valid yet');
  return { header, claims, publicKey };
}
