/**
 * PEM armour and a small, strict ASN.1 DER reader and writer: just enough for P-256 keys in
 * SEC1 (`EC PRIVATE KEY`, RFC 5915), PKCS#8 (`PRIVATE KEY`, RFC 5208/5958) and SPKI
 * (`PUBLIC KEY`, RFC 5480). The reader accepts definite, minimal lengths only and rejects
 * trailing bytes at every level; anything it does not understand is a
 * `ProtocolError('invalid-key')` that says what was expected and what was found. Point and
 * scalar validation (on the curve, in range) is done by `keys.ts`.
 *
 * @module
 */
import { fromBase64, toBase64 } from './bytes.js';
import { ProtocolError } from './errors.js';

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const OID = 0x06;
const CONTEXT_0 = 0xa0;
const CONTEXT_1 = 0xa1;

const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_P256 = '1.2.840.10045.3.1.7';

/** Names for the algorithm and curve identifiers people are likely to feed us by mistake. */
const KNOWN_OIDS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.1': 'an RSA key',
  '1.2.840.113549.1.1.10': 'an RSA-PSS key',
  '1.2.840.10040.4.1': 'a DSA key',
  '1.3.101.110': 'an X25519 key',
  '1.3.101.111': 'an X448 key',
  '1.3.101.112': 'an Ed25519 key',
  '1.3.101.113': 'an Ed448 key',
  '1.2.840.10045.3.1.1': 'a P-192 key',
  '1.3.132.0.33': 'a P-224 key',
  '1.3.132.0.34': 'a P-384 key',
  '1.3.132.0.35': 'a P-521 key',
  '1.3.132.0.10': 'a secp256k1 key',
  '1.3.36.3.3.2.8.1.1.7': 'a brainpoolP256r1 key',
};

/** At most this many characters of PEM text are examined (key files are a few hundred). */
const MAX_PEM_CHARS = 65_536;

function fail(message: string): never {
  throw new ProtocolError('invalid-key', message);
}

function describeOid(oid: string): string {
  return KNOWN_OIDS[oid] ?? `an unsupported key type (OID ${oid})`;
}

// ---------------------------------------------------------------------------------------------
// PEM

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

/** Labels that are not keys and may accompany one (`openssl ecparam -genkey` writes both). */
const IGNORED_LABELS: ReadonlySet<string> = new Set(['EC PARAMETERS']);

/**
 * Finds the single key block in PEM text and decodes its base64 strictly (standard alphabet,
 * padded). Text outside the block is ignored, as OpenSSL does; two key blocks are an error.
 */
export function decodePem(text: string): PemBlock {
  if (typeof text !== 'string') fail(`expected PEM text, found ${typeof text}`);
  if (text.trim() === '') fail('the key is empty: expected a PEM-encoded P-256 key');
  if (text.length > MAX_PEM_CHARS) {
    fail(`expected a PEM key of a few hundred characters, found ${text.length} characters`);
  }
  if (/Proc-Type:\s*4,\s*ENCRYPTED/i.test(text)) {
    fail(
      'expected an unencrypted key, found an encrypted one; decrypt it first (openssl pkey -in key.pem -out plain.pem)',
    );
  }
  const re = /-----BEGIN ([A-Z0-9 ]{1,40})-----([^-]*)-----END ([A-Z0-9 ]{1,40})-----/g;
  const blocks: { label: string; body: string }[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const [, begin = '', body = '', end = ''] = m;
    if (begin !== end) fail(`PEM block "BEGIN ${begin}" ends with "END ${end}"`);
    if (!IGNORED_LABELS.has(begin)) blocks.push({ label: begin, body });
  }
  if (blocks.length === 0) {
    fail(
      text.includes('-----BEGIN')
        ? 'expected a PEM key block, found a malformed or unterminated PEM block'
        : 'expected a PEM-encoded key (-----BEGIN ... KEY-----), found no PEM block',
    );
  }
  if (blocks.length > 1) {
    fail(`expected one key in the PEM text, found ${blocks.length} PEM blocks`);
  }
  const { label, body } = blocks[0] as { label: string; body: string };
  const lines = body.split(/\r?\n/).map((l) => l.trim());
  const b64: string[] = [];
  for (const line of lines) {
    if (/^[A-Za-z][A-Za-z0-9-]*:/.test(line)) {
      fail(`expected base64 in the ${label} block, found a PEM header line`);
    }
    b64.push(line);
  }
  const joined = b64.join('');
  if (joined === '' || joined.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(joined)) {
    fail(`the ${label} block does not contain valid base64`);
  }
  return { label, der: fromBase64(joined) };
}

export function encodePem(label: string, der: Uint8Array): string {
  const b64 = toBase64(der);
  let out = `-----BEGIN ${label}-----\n`;
  for (let i = 0; i < b64.length; i += 64) out += `${b64.slice(i, i + 64)}\n`;
  return `${out}-----END ${label}-----\n`;
}

// ---------------------------------------------------------------------------------------------
// DER reader

/** Reads consecutive DER elements from a byte string; every read checks the expected tag. */
export class DerReader {
  readonly #buf: Uint8Array;
  readonly #what: string;
  #pos = 0;

  constructor(buf: Uint8Array, what: string) {
    this.#buf = buf;
    this.#what = what;
  }

  get done(): boolean {
    return this.#pos >= this.#buf.length;
  }

  peekTag(): number | undefined {
    return this.#buf[this.#pos];
  }

  /** Reads one element with tag `tag` and returns its contents. */
  read(tag: number, name: string): Uint8Array {
    const found = this.#buf[this.#pos];
    if (found === undefined) fail(`${this.#what} is truncated: expected ${name}`);
    if (found !== tag) fail(`${this.#what} is malformed: expected ${name}`);
    let p = this.#pos + 1;
    const first = this.#buf[p++];
    if (first === undefined) fail(`${this.#what} is truncated`);
    let len = first;
    if (first >= 0x80) {
      const n = first & 0x7f;
      if (n === 0) fail(`${this.#what} uses an indefinite length, which DER forbids`);
      if (n > 3) fail(`${this.#what} is too large`);
      len = 0;
      for (let i = 0; i < n; i++) {
        const b = this.#buf[p++];
        if (b === undefined) fail(`${this.#what} is truncated`);
        if (i === 0 && b === 0) fail(`${this.#what} uses a non-minimal length`);
        len = len * 256 + b;
      }
      if (len < 0x80) fail(`${this.#what} uses a non-minimal length`);
    }
    if (p + len > this.#buf.length) fail(`${this.#what} is truncated`);
    this.#pos = p + len;
    return this.#buf.subarray(p, p + len);
  }

  readOptional(tag: number, name: string): Uint8Array | undefined {
    return this.peekTag() === tag ? this.read(tag, name) : undefined;
  }

  /** A small non-negative INTEGER (a version field). */
  readSmallInt(name: string): number {
    const v = this.read(INTEGER, name);
    if (v.length === 0 || v.length > 1 || (v[0] as number) >= 0x80) {
      fail(`${this.#what} is malformed: ${name} is not a small non-negative integer`);
    }
    return v[0] as number;
  }

  readOid(name: string): string {
    return decodeOid(this.read(OID, name), this.#what);
  }

  end(): void {
    if (!this.done) fail(`${this.#what} has unexpected trailing data`);
  }
}

function decodeOid(v: Uint8Array, what: string): string {
  if (v.length === 0 || v.length > 32) fail(`${what} contains a malformed object identifier`);
  const arcs: number[] = [];
  let acc = 0;
  let fresh = true;
  for (const b of v) {
    if (fresh && b === 0x80) fail(`${what} contains a non-minimal object identifier`);
    acc = acc * 128 + (b & 0x7f);
    if (acc > Number.MAX_SAFE_INTEGER / 128) fail(`${what} contains an oversized identifier`);
    fresh = (b & 0x80) === 0;
    if (fresh) {
      arcs.push(acc);
      acc = 0;
    }
  }
  if (!fresh) fail(`${what} contains a truncated object identifier`);
  const head = arcs[0] as number;
  const first = head < 40 ? 0 : head < 80 ? 1 : 2;
  return [first, head - first * 40, ...arcs.slice(1)].join('.');
}

/** A BIT STRING holding whole bytes (unused-bits octet 0), as key material always is. */
function bitStringBytes(v: Uint8Array, what: string): Uint8Array {
  if (v.length < 1 || v[0] !== 0) fail(`${what} has a malformed public key bit string`);
  return v.subarray(1);
}

// ---------------------------------------------------------------------------------------------
// DER writer

function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  if (n < 0x100) return Uint8Array.of(0x81, n);
  return Uint8Array.of(0x82, n >>> 8, n & 0xff);
}

function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const head = encodeLength(len);
  const out = new Uint8Array(1 + head.length + len);
  out[0] = tag;
  out.set(head, 1);
  let off = 1 + head.length;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [];
  const values = [(arcs[0] as number) * 40 + (arcs[1] as number), ...arcs.slice(2)];
  for (const value of values) {
    const chunk = [value & 0x7f];
    for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) {
      chunk.unshift((v & 0x7f) | 0x80);
    }
    bytes.push(...chunk);
  }
  return tlv(OID, Uint8Array.from(bytes));
}

const EC_ALGORITHM = tlv(SEQUENCE, encodeOid(OID_EC_PUBLIC_KEY), encodeOid(OID_P256));

// ---------------------------------------------------------------------------------------------
// Key structures

export type ParsedKey =
  | { readonly kind: 'private'; readonly scalar: Uint8Array; readonly publicKey?: Uint8Array }
  | { readonly kind: 'public'; readonly point: Uint8Array };

/** AlgorithmIdentifier: must be id-ecPublicKey on the named curve P-256. */
function checkAlgorithm(der: Uint8Array, what: string): void {
  const r = new DerReader(der, what);
  const oid = r.readOid('an algorithm identifier');
  if (oid !== OID_EC_PUBLIC_KEY) fail(`expected a P-256 key, found ${describeOid(oid)}`);
  checkCurveParameters(r, what);
  r.end();
}

function checkCurveParameters(r: DerReader, what: string): void {
  const tag = r.peekTag();
  if (tag === OID) {
    const curve = r.readOid('a named curve');
    if (curve !== OID_P256) fail(`expected a P-256 key, found ${describeOid(curve)}`);
  } else if (tag === SEQUENCE) {
    fail('expected a P-256 key with a named curve, found explicit curve parameters');
  } else {
    fail(`${what} does not name its curve: expected P-256`);
  }
}

/** SEC1 ECPrivateKey (RFC 5915): version 1, the scalar, optional [0] curve, optional [1] point. */
function parseSec1(der: Uint8Array, what: string): ParsedKey {
  const outer = new DerReader(der, what);
  const r = new DerReader(outer.read(SEQUENCE, 'an ECPrivateKey sequence'), what);
  outer.end();
  const version = r.readSmallInt('the version');
  if (version !== 1) fail(`${what} has version ${version}; expected an EC private key (version 1)`);
  const scalar = r.read(OCTET_STRING, 'the private scalar');
  const params = r.readOptional(CONTEXT_0, 'curve parameters');
  if (params) {
    const p = new DerReader(params, what);
    checkCurveParameters(p, what);
    p.end();
  }
  const pub = r.readOptional(CONTEXT_1, 'the public key');
  let publicKey: Uint8Array | undefined;
  if (pub) {
    const p = new DerReader(pub, what);
    publicKey = bitStringBytes(p.read(BIT_STRING, 'a public key bit string'), what);
    p.end();
  }
  r.end();
  if (scalar.length === 0 || scalar.length > 32) {
    fail(`expected a 32-byte P-256 private scalar, found ${scalar.length} bytes`);
  }
  const padded = new Uint8Array(32);
  padded.set(scalar, 32 - scalar.length);
  return publicKey
    ? { kind: 'private', scalar: padded, publicKey }
    : { kind: 'private', scalar: padded };
}

/** PKCS#8 PrivateKeyInfo / OneAsymmetricKey wrapping a SEC1 key. */
function parsePkcs8(der: Uint8Array, what: string): ParsedKey {
  const outer = new DerReader(der, what);
  const r = new DerReader(outer.read(SEQUENCE, 'a PrivateKeyInfo sequence'), what);
  outer.end();
  const version = r.readSmallInt('the version');
  if (version > 1) fail(`${what} has unsupported version ${version}`);
  checkAlgorithm(r.read(SEQUENCE, 'an algorithm identifier'), what);
  const inner = parseSec1(r.read(OCTET_STRING, 'the private key'), what);
  r.readOptional(CONTEXT_0, 'attributes');
  r.readOptional(0x81, 'the public key');
  r.end();
  return inner;
}

/** SubjectPublicKeyInfo (RFC 5480). */
function parseSpki(der: Uint8Array, what: string): ParsedKey {
  const outer = new DerReader(der, what);
  const r = new DerReader(outer.read(SEQUENCE, 'a SubjectPublicKeyInfo sequence'), what);
  outer.end();
  checkAlgorithm(r.read(SEQUENCE, 'an algorithm identifier'), what);
  const point = bitStringBytes(r.read(BIT_STRING, 'the public key bit string'), what);
  r.end();
  return { kind: 'public', point };
}

/** Parses the key in PEM text by its label. */
export function parseKeyPem(text: string): ParsedKey {
  const { label, der } = decodePem(text);
  switch (label) {
    case 'EC PRIVATE KEY':
      return parseSec1(der, 'the EC PRIVATE KEY');
    case 'PRIVATE KEY':
      return parsePkcs8(der, 'the PRIVATE KEY');
    case 'PUBLIC KEY':
      return parseSpki(der, 'the PUBLIC KEY');
    case 'ENCRYPTED PRIVATE KEY':
      return fail(
        'expected an unencrypted P-256 key, found an encrypted PKCS#8 key; decrypt it first (openssl pkey -in key.pem -out plain.pem)',
      );
    case 'RSA PRIVATE KEY':
    case 'RSA PUBLIC KEY':
      return fail('expected a P-256 key, found an RSA key');
    case 'OPENSSH PRIVATE KEY':
      return fail('expected a PEM P-256 key, found an OpenSSH key; convert it to PEM first');
    default:
      return fail(`expected an EC PRIVATE KEY, PRIVATE KEY or PUBLIC KEY block, found ${label}`);
  }
}

/** Parses a DER key whose structure (SPKI, PKCS#8 or SEC1) is recognised from its shape. */
export function parseKeyDer(der: Uint8Array): ParsedKey {
  const body = new DerReader(der, 'the DER key').read(SEQUENCE, 'a DER key sequence');
  const r = new DerReader(body, 'the DER key');
  if (r.peekTag() === SEQUENCE) return parseSpki(der, 'the DER public key');
  const version = r.readSmallInt('the version');
  return version === 1 && r.peekTag() === OCTET_STRING
    ? parseSec1(der, 'the DER EC private key')
    : parsePkcs8(der, 'the DER PKCS#8 key');
}

function bitString(bytes: Uint8Array): Uint8Array {
  return tlv(BIT_STRING, Uint8Array.of(0), bytes);
}

/** SEC1 ECPrivateKey DER, with the curve and the public key (what `openssl ec` writes). */
export function encodeSec1(
  scalar: Uint8Array,
  publicKey: Uint8Array,
  withCurve = true,
): Uint8Array {
  const parts = [tlv(INTEGER, Uint8Array.of(1)), tlv(OCTET_STRING, scalar)];
  if (withCurve) parts.push(tlv(CONTEXT_0, encodeOid(OID_P256)));
  parts.push(tlv(CONTEXT_1, bitString(publicKey)));
  return tlv(SEQUENCE, ...parts);
}

/** PKCS#8 PrivateKeyInfo DER (what `openssl pkey` writes). */
export function encodePkcs8(scalar: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const inner = encodeSec1(scalar, publicKey, false);
  return tlv(SEQUENCE, tlv(INTEGER, Uint8Array.of(0)), EC_ALGORITHM, tlv(OCTET_STRING, inner));
}

export function encodeSpki(publicKey: Uint8Array): Uint8Array {
  return tlv(SEQUENCE, EC_ALGORITHM, bitString(publicKey));
}
