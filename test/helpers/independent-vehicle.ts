/**
 * An independent vehicle side of Tesla's vehicle-command protocol, for cross-checking the
 * signing library from outside. Written only from upstream `protocol.md` and the field numbers
 * of `universal_message.proto` / `signatures.proto`: it imports nothing from `src/`, no
 * protobuf library and no `@noble/*`, only `node:crypto` (OpenSSL) and the small protobuf
 * reader/writer below. It shares nothing with `src/signing` except the bytes on the wire.
 *
 * It answers session-info requests (tagged per "Response authentication"), verifies
 * HMAC_PERSONALIZED and AES_GCM_PERSONALIZED commands (epoch, tag, expiry, strictly increasing
 * counter), builds plain or AES-GCM encrypted replies ("Response decryption") and fault
 * replies that carry fresh tagged session info ("Recovering from synchronization errors").
 *
 * @module
 */
import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHash,
  createHmac,
  createPrivateKey,
  type ECDH,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

// ---- protobuf wire format (varint 0, fixed64 1, length-delimited 2, fixed32 5) ----

export interface WireField {
  no: number;
  wire: 0 | 1 | 2 | 5;
  /** varint and fixed32 as a number; length-delimited as bytes; fixed64 as its 8 bytes. */
  value: number | Uint8Array;
}

/** Reads every field of one message (unknown ones included; callers skip what they ignore). */
export function readFields(buf: Uint8Array): WireField[] {
  const out: WireField[] = [];
  let i = 0;
  const varint = (): number => {
    let v = 0;
    for (let mul = 1; ; mul *= 128) {
      if (i >= buf.length || mul > 2 ** 63) throw new Error('protobuf: truncated varint');
      const b = buf[i++] as number;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
    }
  };
  const take = (n: number): Uint8Array => {
    if (n < 0 || i + n > buf.length) throw new Error('protobuf: truncated field');
    const bytes = buf.slice(i, i + n);
    i += n;
    return bytes;
  };
  while (i < buf.length) {
    const key = varint();
    const no = Math.floor(key / 8);
    const wire = key % 8;
    if (no === 0) throw new Error('protobuf: field number 0');
    if (wire === 0) out.push({ no, wire, value: varint() });
    else if (wire === 2) out.push({ no, wire, value: take(varint()) });
    else if (wire === 5) out.push({ no, wire, value: Buffer.from(take(4)).readUInt32LE(0) });
    else if (wire === 1) out.push({ no, wire, value: take(8) });
    else throw new Error(`protobuf: unsupported wire type ${wire}`);
  }
  return out;
}

/** Writes fields in the order called; zero / empty values are left out (proto3 defaults). */
export class ProtoWriter {
  readonly #parts: Uint8Array[] = [];
  #varint(v: number): void {
    const bytes: number[] = [];
    while (v >= 0x80) {
      bytes.push((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    bytes.push(v);
    this.#parts.push(Uint8Array.from(bytes));
  }
  /** A varint; `always` writes zero too (a set oneof member). */
  uint(no: number, v: number | undefined, always = false): this {
    if (v !== undefined && (v !== 0 || always)) {
      this.#varint(no * 8);
      this.#varint(v);
    }
    return this;
  }
  fixed32(no: number, v: number | undefined): this {
    if (v) {
      this.#varint(no * 8 + 5);
      const b = Buffer.alloc(4);
      b.writeUInt32LE(v, 0);
      this.#parts.push(Uint8Array.from(b));
    }
    return this;
  }
  /** Length-delimited bytes; `always` writes an empty value too (a present sub-message). */
  bytes(no: number, v: Uint8Array | undefined, always = false): this {
    if (v && (v.length > 0 || always)) {
      this.#varint(no * 8 + 2);
      this.#varint(v.length);
      this.#parts.push(v);
    }
    return this;
  }
  finish(): Uint8Array {
    return Uint8Array.from(Buffer.concat(this.#parts));
  }
}

const num = (f: WireField): number => (typeof f.value === 'number' ? f.value : 0);
const bin = (f: WireField): Uint8Array =>
  typeof f.value === 'number' ? new Uint8Array() : f.value;

// ---- the messages this side needs (field numbers from the .proto files) ----

export interface Destination {
  domain?: number;
  routingAddress?: Uint8Array;
}
export interface HmacData {
  epoch: Uint8Array;
  counter: number;
  expiresAt: number;
  tag: Uint8Array;
}
export interface GcmData extends HmacData {
  nonce: Uint8Array;
}
export interface SignatureData {
  signerPublicKey?: Uint8Array;
  gcmPersonalized?: GcmData;
  sessionInfoTag?: Uint8Array;
  hmacPersonalized?: HmacData;
  gcmResponse?: { nonce: Uint8Array; counter: number; tag: Uint8Array };
}
export interface RoutableMessage {
  to?: Destination;
  from?: Destination;
  payload?: Uint8Array;
  sessionInfoRequest?: { publicKey: Uint8Array; challenge: Uint8Array };
  sessionInfo?: Uint8Array;
  signatureData?: SignatureData;
  status?: { operationStatus: number; fault: number };
  requestUuid?: Uint8Array;
  uuid?: Uint8Array;
  flags?: number;
}
export interface SessionInfo {
  counter: number;
  publicKey: Uint8Array;
  epoch: Uint8Array;
  clockTime: number;
  status?: number;
}

function decodeDestination(b: Uint8Array): Destination {
  const d: Destination = {};
  for (const f of readFields(b)) {
    if (f.no === 1) d.domain = num(f);
    else if (f.no === 2) d.routingAddress = bin(f);
  }
  return d;
}

function encodeDestination(d: Destination): Uint8Array {
  return new ProtoWriter().uint(1, d.domain, true).bytes(2, d.routingAddress, true).finish();
}

function decodePersonalized(b: Uint8Array, gcm: boolean): GcmData {
  // HMAC_Personalized: epoch 1, counter 2, expires_at 3, tag 4.
  // AES_GCM_Personalized: epoch 1, nonce 2, counter 3, expires_at 4, tag 5.
  const d: GcmData = {
    epoch: new Uint8Array(),
    nonce: new Uint8Array(),
    counter: 0,
    expiresAt: 0,
    tag: new Uint8Array(),
  };
  const at = gcm ? 1 : 0;
  for (const f of readFields(b)) {
    if (f.no === 1) d.epoch = bin(f);
    else if (gcm && f.no === 2) d.nonce = bin(f);
    else if (f.no === 2 + at) d.counter = num(f);
    else if (f.no === 3 + at) d.expiresAt = num(f);
    else if (f.no === 4 + at) d.tag = bin(f);
  }
  return d;
}

function decodeSignatureData(b: Uint8Array): SignatureData {
  const s: SignatureData = {};
  for (const f of readFields(b)) {
    if (f.no === 1) {
      for (const g of readFields(bin(f))) if (g.no === 1) s.signerPublicKey = bin(g);
    } else if (f.no === 5) s.gcmPersonalized = decodePersonalized(bin(f), true);
    else if (f.no === 6) {
      for (const g of readFields(bin(f))) if (g.no === 1) s.sessionInfoTag = bin(g);
    } else if (f.no === 8) s.hmacPersonalized = decodePersonalized(bin(f), false);
    else if (f.no === 9) {
      const r: NonNullable<SignatureData['gcmResponse']> = {
        nonce: new Uint8Array(),
        counter: 0,
        tag: new Uint8Array(),
      };
      for (const g of readFields(bin(f))) {
        if (g.no === 1) r.nonce = bin(g);
        else if (g.no === 2) r.counter = num(g);
        else if (g.no === 3) r.tag = bin(g);
      }
      s.gcmResponse = r;
    }
  }
  return s;
}

function encodeSignatureData(s: SignatureData): Uint8Array {
  const w = new ProtoWriter();
  if (s.signerPublicKey) w.bytes(1, new ProtoWriter().bytes(1, s.signerPublicKey).finish(), true);
  const g = s.gcmPersonalized;
  if (g) {
    const inner = new ProtoWriter().bytes(1, g.epoch).bytes(2, g.nonce).uint(3, g.counter);
    w.bytes(5, inner.fixed32(4, g.expiresAt).bytes(5, g.tag).finish(), true);
  }
  if (s.sessionInfoTag) w.bytes(6, new ProtoWriter().bytes(1, s.sessionInfoTag).finish(), true);
  const h = s.hmacPersonalized;
  if (h) {
    const inner = new ProtoWriter().bytes(1, h.epoch).uint(2, h.counter).fixed32(3, h.expiresAt);
    w.bytes(8, inner.bytes(4, h.tag).finish(), true);
  }
  const r = s.gcmResponse;
  if (r)
    w.bytes(
      9,
      new ProtoWriter().bytes(1, r.nonce).uint(2, r.counter).bytes(3, r.tag).finish(),
      true,
    );
  return w.finish();
}

/** Decodes a `UniversalMessage.RoutableMessage`; unknown fields are skipped. */
export function decodeRoutable(bytes: Uint8Array): RoutableMessage {
  const m: RoutableMessage = {};
  for (const f of readFields(bytes)) {
    if (f.no === 6) m.to = decodeDestination(bin(f));
    else if (f.no === 7) m.from = decodeDestination(bin(f));
    else if (f.no === 10) m.payload = bin(f);
    else if (f.no === 12) {
      const st = { operationStatus: 0, fault: 0 };
      for (const g of readFields(bin(f))) {
        if (g.no === 1) st.operationStatus = num(g);
        else if (g.no === 2) st.fault = num(g);
      }
      m.status = st;
    } else if (f.no === 13) m.signatureData = decodeSignatureData(bin(f));
    else if (f.no === 14) {
      const r: NonNullable<RoutableMessage['sessionInfoRequest']> = {
        publicKey: new Uint8Array(),
        challenge: new Uint8Array(),
      };
      for (const g of readFields(bin(f))) {
        if (g.no === 1) r.publicKey = bin(g);
        else if (g.no === 2) r.challenge = bin(g);
      }
      m.sessionInfoRequest = r;
    } else if (f.no === 15) m.sessionInfo = bin(f);
    else if (f.no === 50) m.requestUuid = bin(f);
    else if (f.no === 51) m.uuid = bin(f);
    else if (f.no === 52) m.flags = num(f);
  }
  return m;
}

/** Encodes a `RoutableMessage` in field-number order. */
export function encodeRoutable(m: RoutableMessage): Uint8Array {
  const w = new ProtoWriter();
  if (m.to) w.bytes(6, encodeDestination(m.to), true);
  if (m.from) w.bytes(7, encodeDestination(m.from), true);
  w.bytes(10, m.payload, m.payload !== undefined);
  if (m.status) {
    const st = new ProtoWriter().uint(1, m.status.operationStatus).uint(2, m.status.fault);
    w.bytes(12, st.finish(), true);
  }
  if (m.signatureData) w.bytes(13, encodeSignatureData(m.signatureData), true);
  const r = m.sessionInfoRequest;
  if (r) w.bytes(14, new ProtoWriter().bytes(1, r.publicKey).bytes(2, r.challenge).finish(), true);
  w.bytes(15, m.sessionInfo, m.sessionInfo !== undefined);
  return w.bytes(50, m.requestUuid).bytes(51, m.uuid).uint(52, m.flags).finish();
}

/** `Signatures.SessionInfo`: counter 1, publicKey 2, epoch 3, clock_time 4 (fixed32), status 5. */
export function encodeSessionInfo(s: SessionInfo): Uint8Array {
  const w = new ProtoWriter().uint(1, s.counter).bytes(2, s.publicKey).bytes(3, s.epoch);
  return w.fixed32(4, s.clockTime).uint(5, s.status).finish();
}

export function decodeSessionInfo(b: Uint8Array): SessionInfo {
  const s: SessionInfo = {
    counter: 0,
    publicKey: new Uint8Array(),
    epoch: new Uint8Array(),
    clockTime: 0,
  };
  for (const f of readFields(b)) {
    if (f.no === 1) s.counter = num(f);
    else if (f.no === 2) s.publicKey = bin(f);
    else if (f.no === 3) s.epoch = bin(f);
    else if (f.no === 4) s.clockTime = num(f);
    else if (f.no === 5) s.status = num(f);
  }
  return s;
}

// ---- metadata and keys (protocol.md "Metadata serialization", "Key Agreement") ----

export const TAG = {
  SIGNATURE_TYPE: 0,
  DOMAIN: 1,
  PERSONALIZATION: 2,
  EPOCH: 3,
  EXPIRES_AT: 4,
  COUNTER: 5,
  CHALLENGE: 6,
  FLAGS: 7,
  REQUEST_HASH: 8,
  FAULT: 9,
} as const;
export const SIG = {
  AES_GCM_PERSONALIZED: 5,
  HMAC: 6,
  HMAC_PERSONALIZED: 8,
  AES_GCM_RESPONSE: 9,
} as const;

export function u32(v: number): Uint8Array {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v, 0);
  return Uint8Array.from(b);
}

export function tlv(tag: number, value: Uint8Array): Uint8Array {
  if (value.length > 255) throw new Error('metadata: value longer than 255 bytes');
  return Uint8Array.from([tag, value.length, ...value]);
}

/** Sorts by tag, TLV-encodes each item and appends 0xFF. */
export function serializeMetadata(items: ReadonlyArray<readonly [number, Uint8Array]>): Uint8Array {
  const sorted = [...items].sort((a, b) => a[0] - b[0]);
  return Uint8Array.from(
    Buffer.concat([...sorted.map(([t, v]) => tlv(t, v)), Uint8Array.of(0xff)]),
  );
}

const hmac = (key: Uint8Array, ...parts: Uint8Array[]): Uint8Array => {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return Uint8Array.from(h.digest());
};
const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'ascii'));
const same = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && timingSafeEqual(a, b);
const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The 32-byte private scalar of a SEC1 or PKCS#8 P-256 PEM, via OpenSSL. */
export function scalarFromPem(pem: string): Uint8Array {
  const jwk = createPrivateKey(pem).export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || !jwk.d) throw new Error('key: not a P-256 private key');
  return Uint8Array.from(Buffer.from(jwk.d, 'base64url'));
}

/** K = SHA1(ECDH x-coordinate)[:16]. */
export function sharedKey(ecdh: ECDH, peerPublicKey: Uint8Array): Uint8Array {
  const x = ecdh.computeSecret(peerPublicKey);
  return Uint8Array.from(createHash('sha1').update(x).digest().subarray(0, 16));
}

/** HMAC-SHA256(HMAC(K,"session info"), TLV(0,[6]) ‖ TLV(2,VIN) ‖ TLV(6,challenge) ‖ FF ‖ info). */
export function sessionInfoTag(
  k: Uint8Array,
  vin: string,
  challenge: Uint8Array,
  info: Uint8Array,
): Uint8Array {
  const m = serializeMetadata([
    [TAG.SIGNATURE_TYPE, Uint8Array.of(SIG.HMAC)],
    [TAG.PERSONALIZATION, ascii(vin)],
    [TAG.CHALLENGE, challenge],
  ]);
  return hmac(hmac(k, ascii('session info')), m, info);
}

/** Request metadata M (TAG_FLAGS only when non-zero). */
export function requestMetadata(o: {
  sigType: number;
  domain: number;
  vin: string;
  epoch: Uint8Array;
  expiresAt: number;
  counter: number;
  flags: number;
}): Uint8Array {
  const items: Array<[number, Uint8Array]> = [
    [TAG.SIGNATURE_TYPE, Uint8Array.of(o.sigType)],
    [TAG.DOMAIN, Uint8Array.of(o.domain)],
    [TAG.PERSONALIZATION, ascii(o.vin)],
    [TAG.EPOCH, o.epoch],
    [TAG.EXPIRES_AT, u32(o.expiresAt)],
    [TAG.COUNTER, u32(o.counter)],
  ];
  if (o.flags !== 0) items.push([TAG.FLAGS, u32(o.flags)]);
  return serializeMetadata(items);
}

/** Response metadata (flags always included, fault as uint32). */
export function responseMetadata(o: {
  domain: number;
  vin: string;
  counter: number;
  flags: number;
  requestHash: Uint8Array;
  fault: number;
}): Uint8Array {
  return serializeMetadata([
    [TAG.SIGNATURE_TYPE, Uint8Array.of(SIG.AES_GCM_RESPONSE)],
    [TAG.DOMAIN, Uint8Array.of(o.domain)],
    [TAG.PERSONALIZATION, ascii(o.vin)],
    [TAG.COUNTER, u32(o.counter)],
    [TAG.FLAGS, u32(o.flags)],
    [TAG.REQUEST_HASH, o.requestHash],
    [TAG.FAULT, u32(o.fault)],
  ]);
}

/** Signature type byte ‖ tag, cut to 17 bytes for VCSEC (domain 2). */
export function requestHash(sigType: number, domain: number, tag: Uint8Array): Uint8Array {
  const h = Uint8Array.from([sigType, ...tag]);
  return domain === 2 ? h.slice(0, 17) : h;
}

// ---- the vehicle ----

const FAULT = {
  UNKNOWN_KEY_ID: 3,
  INVALID_SIGNATURE: 5,
  INVALID_TOKEN_OR_COUNTER: 6,
  INVALID_DOMAINS: 8,
  DECODING: 10,
  INCORRECT_EPOCH: 15,
  IV_INCORRECT_LENGTH: 16,
  TIME_EXPIRED: 17,
} as const;
const FLAG_ENCRYPT_RESPONSE = 1;

export interface IndependentVehicleOptions {
  vin: string;
  domain: 2 | 3;
  /** 32-byte scalar or a SEC1/PKCS#8 PEM; a fresh key when absent. */
  privateKey?: Uint8Array | string;
  epoch?: Uint8Array;
  /** Local time in ms (default `Date.now`). */
  now?: () => number;
  /** Vehicle clock (seconds since the epoch began) at construction (default 0). */
  clockTime?: number;
  /** Counter reported to a key not seen before (default 0). */
  counter?: number;
  isAuthorized?: (clientPublicKey: Uint8Array) => boolean;
}

export type VehicleResult =
  | { kind: 'reply'; bytes: Uint8Array; fault: number }
  | {
      kind: 'command';
      payload: Uint8Array;
      clientPublicKey: Uint8Array;
      counter: number;
      flags: number;
      requestHash: Uint8Array;
      /** The reply; encrypted iff the request set FLAG_ENCRYPT_RESPONSE. `flags` = response flags. */
      respond(appPayload: Uint8Array, o?: { flags?: number }): Uint8Array;
    };

export class IndependentVehicle {
  readonly vin: string;
  readonly domain: 2 | 3;
  readonly publicKey: Uint8Array;
  readonly #ecdh: ECDH;
  readonly #now: () => number;
  readonly #isAuthorized: (k: Uint8Array) => boolean;
  readonly #startCounter: number;
  #epoch: Uint8Array;
  #timeZero: number;
  #counters = new Map<string, number>();
  #responseCounter = 0;

  constructor(o: IndependentVehicleOptions) {
    this.vin = o.vin;
    this.domain = o.domain;
    this.#ecdh = createECDH('prime256v1');
    if (o.privateKey === undefined) this.#ecdh.generateKeys();
    else
      this.#ecdh.setPrivateKey(
        typeof o.privateKey === 'string' ? scalarFromPem(o.privateKey) : o.privateKey,
      );
    this.publicKey = Uint8Array.from(this.#ecdh.getPublicKey());
    this.#now = o.now ?? Date.now;
    this.#isAuthorized = o.isAuthorized ?? (() => true);
    this.#startCounter = o.counter ?? 0;
    this.#epoch = o.epoch ?? Uint8Array.from(randomBytes(16));
    this.#timeZero = this.#now() - (o.clockTime ?? 0) * 1000;
  }

  get epoch(): Uint8Array {
    return this.#epoch.slice();
  }
  /** Seconds since the epoch began. */
  clockTime(): number {
    return Math.floor((this.#now() - this.#timeZero) / 1000);
  }
  /** New epoch, clock from 0, every counter reset. */
  reboot(epoch: Uint8Array = Uint8Array.from(randomBytes(16))): void {
    this.#epoch = epoch;
    this.#timeZero = this.#now();
    this.#counters.clear();
  }
  /** K for a client key (exported for vector tests). */
  sharedKey(clientPublicKey: Uint8Array): Uint8Array {
    return sharedKey(this.#ecdh, clientPublicKey);
  }

  handle(request: Uint8Array): VehicleResult {
    let m: RoutableMessage;
    try {
      m = decodeRoutable(request);
    } catch {
      return this.#fault({}, FAULT.DECODING);
    }
    if (m.to?.domain !== this.domain) return this.#fault(m, FAULT.INVALID_DOMAINS);
    if (m.sessionInfoRequest) {
      const key = m.sessionInfoRequest.publicKey;
      if (!this.#isAuthorized(key)) return this.#fault(m, FAULT.UNKNOWN_KEY_ID);
      return this.#reply(m, { ...this.#tagged(m, key) }, 0);
    }
    const sig = m.signatureData;
    const key = sig?.signerPublicKey;
    const data = sig?.hmacPersonalized ?? sig?.gcmPersonalized;
    if (!key || !data || m.payload === undefined) return this.#fault(m, FAULT.INVALID_SIGNATURE);
    if (!this.#isAuthorized(key)) return this.#fault(m, FAULT.UNKNOWN_KEY_ID);
    let k: Uint8Array;
    try {
      k = this.sharedKey(key);
    } catch {
      return this.#fault(m, FAULT.UNKNOWN_KEY_ID);
    }
    const resync = (fault: number) =>
      this.#reply(m, { ...this.#tagged(m, key), status: { operationStatus: 2, fault } }, fault);
    if (data.epoch.length > 0 && !same(data.epoch, this.#epoch))
      return resync(FAULT.INCORRECT_EPOCH);
    const flags = m.flags ?? 0;
    const gcm = sig.hmacPersonalized === undefined;
    const sigType = gcm ? SIG.AES_GCM_PERSONALIZED : SIG.HMAC_PERSONALIZED;
    const meta = requestMetadata({
      sigType,
      domain: this.domain,
      vin: this.vin,
      epoch: this.#epoch,
      expiresAt: data.expiresAt,
      counter: data.counter,
      flags,
    });
    let payload: Uint8Array;
    if (gcm) {
      const nonce = sig.gcmPersonalized?.nonce ?? new Uint8Array();
      if (nonce.length !== 12) return this.#fault(m, FAULT.IV_INCORRECT_LENGTH);
      const plain = gcmOpen(k, nonce, m.payload, data.tag, sha256(meta));
      if (!plain) return resync(FAULT.INVALID_SIGNATURE);
      payload = plain;
    } else {
      const expected = hmac(hmac(k, ascii('authenticated command')), meta, m.payload);
      if (!same(expected, data.tag)) return resync(FAULT.INVALID_SIGNATURE);
      payload = m.payload;
    }
    if (data.expiresAt < this.clockTime()) return resync(FAULT.TIME_EXPIRED);
    const id = hexOf(key);
    if (data.counter <= (this.#counters.get(id) ?? this.#startCounter))
      return resync(FAULT.INVALID_TOKEN_OR_COUNTER);
    this.#counters.set(id, data.counter);
    const hash = requestHash(sigType, this.domain, data.tag);
    const encrypt = (flags & (1 << FLAG_ENCRYPT_RESPONSE)) !== 0;
    return {
      kind: 'command',
      payload,
      clientPublicKey: key,
      counter: data.counter,
      flags,
      requestHash: hash,
      respond: (app, o = {}) => {
        if (!encrypt) return encodeRoutable({ ...this.#route(m), payload: app });
        const counter = ++this.#responseCounter;
        const rflags = o.flags ?? 0;
        const aad = sha256(
          responseMetadata({
            domain: this.domain,
            vin: this.vin,
            counter,
            flags: rflags,
            requestHash: hash,
            fault: 0,
          }),
        );
        const nonce = Uint8Array.from(randomBytes(12));
        const sealed = gcmSeal(k, nonce, app, aad);
        return encodeRoutable({
          ...this.#route(m),
          payload: sealed.ciphertext,
          signatureData: { gcmResponse: { nonce, counter, tag: sealed.tag } },
          flags: rflags,
        });
      },
    };
  }

  /** Session info for `key` and its tag over the request's uuid. */
  #tagged(
    m: RoutableMessage,
    key: Uint8Array,
  ): Pick<RoutableMessage, 'sessionInfo' | 'signatureData'> {
    const info = encodeSessionInfo({
      counter: this.#counters.get(hexOf(key)) ?? this.#startCounter,
      publicKey: this.publicKey,
      epoch: this.#epoch,
      clockTime: this.clockTime(),
    });
    const tag = sessionInfoTag(this.sharedKey(key), this.vin, m.uuid ?? new Uint8Array(), info);
    return { sessionInfo: info, signatureData: { sessionInfoTag: tag } };
  }
  #route(m: RoutableMessage): RoutableMessage {
    const r: RoutableMessage = { to: m.from ?? {}, from: { domain: this.domain } };
    if (m.uuid) r.requestUuid = m.uuid;
    return r;
  }
  #reply(m: RoutableMessage, extra: RoutableMessage, fault: number): VehicleResult {
    return { kind: 'reply', bytes: encodeRoutable({ ...this.#route(m), ...extra }), fault };
  }
  #fault(m: RoutableMessage, fault: number): VehicleResult {
    return this.#reply(m, { status: { operationStatus: 2, fault } }, fault);
  }
}

const sha256 = (b: Uint8Array): Uint8Array =>
  Uint8Array.from(createHash('sha256').update(b).digest());

function gcmSeal(k: Uint8Array, nonce: Uint8Array, plain: Uint8Array, aad: Uint8Array) {
  const c = createCipheriv('aes-128-gcm', k, nonce).setAAD(aad);
  const ciphertext = Uint8Array.from(Buffer.concat([c.update(plain), c.final()]));
  return { ciphertext, tag: Uint8Array.from(c.getAuthTag()) };
}

function gcmOpen(
  k: Uint8Array,
  nonce: Uint8Array,
  ct: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
): Uint8Array | undefined {
  if (tag.length !== 16) return undefined;
  try {
    const d = createDecipheriv('aes-128-gcm', k, nonce).setAAD(aad).setAuthTag(tag);
    return Uint8Array.from(Buffer.concat([d.update(ct), d.final()]));
  } catch {
    return undefined;
  }
}
