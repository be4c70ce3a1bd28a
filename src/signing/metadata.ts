/**
 * Metadata serialization (protocol.md "Metadata serialization"): TLV items of
 * `tag(1) ‖ length(1) ‖ value`, tags in ascending order, terminated by 0xFF, hashed with the
 * payload by SHA-256 or HMAC-SHA256. Mirrors vehicle-command internal/authentication/metadata.go.
 *
 * @module
 */
import { concat, u32be } from './bytes.js';
import { ProtocolError } from './errors.js';

/** `Signatures.Tag`. */
export const Tag = {
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
  END: 255,
} as const;

/** `Signatures.SignatureType`. */
export const SignatureType = {
  AES_GCM: 0,
  AES_GCM_PERSONALIZED: 5,
  HMAC: 6,
  HMAC_PERSONALIZED: 8,
  AES_GCM_RESPONSE: 9,
} as const;

/** An incremental TLV writer. `add` with `undefined` writes nothing (Go skips nil values). */
export class Metadata {
  readonly #parts: Uint8Array[] = [];
  #last = -1;

  add(tag: number, value: Uint8Array | undefined): this {
    if (value === undefined) return this;
    if (tag < this.#last) {
      throw new ProtocolError('metadata', `metadata tags out of order: ${tag} after ${this.#last}`);
    }
    if (value.length > 255) {
      throw new ProtocolError(
        'metadata',
        `metadata value for tag ${tag} is ${value.length} bytes; at most 255 allowed`,
      );
    }
    this.#last = tag;
    this.#parts.push(Uint8Array.of(tag, value.length), value);
    return this;
  }

  addUint32(tag: number, value: number): this {
    return this.add(tag, u32be(value));
  }

  addByte(tag: number, value: number): this {
    return this.add(tag, Uint8Array.of(value));
  }

  /** The serialized items followed by the 0xFF terminator. */
  serialize(): Uint8Array {
    return concat(...this.#parts, Uint8Array.of(Tag.END));
  }
}

export interface RequestMetadataFields {
  signatureType: number;
  domain: number;
  vin: Uint8Array;
  epoch: Uint8Array;
  expiresAt: number;
  counter: number;
  flags: number;
}

/** Request metadata (protocol.md "Authorizing commands"): FLAGS only when non-zero. */
export function requestMetadata(f: RequestMetadataFields): Uint8Array {
  const m = new Metadata()
    .addByte(Tag.SIGNATURE_TYPE, f.signatureType)
    .addByte(Tag.DOMAIN, f.domain)
    .add(Tag.PERSONALIZATION, f.vin)
    .add(Tag.EPOCH, f.epoch)
    .addUint32(Tag.EXPIRES_AT, f.expiresAt)
    .addUint32(Tag.COUNTER, f.counter);
  if (f.flags > 0) m.addUint32(Tag.FLAGS, f.flags);
  return m.serialize();
}

export interface ResponseMetadataFields {
  domain: number;
  vin: Uint8Array;
  counter: number;
  flags: number;
  requestHash: Uint8Array;
  fault: number;
}

/** Response metadata (protocol.md "Response metadata"): FLAGS always present. */
export function responseMetadata(f: ResponseMetadataFields): Uint8Array {
  return new Metadata()
    .addByte(Tag.SIGNATURE_TYPE, SignatureType.AES_GCM_RESPONSE)
    .addByte(Tag.DOMAIN, f.domain)
    .add(Tag.PERSONALIZATION, f.vin)
    .addUint32(Tag.COUNTER, f.counter)
    .addUint32(Tag.FLAGS, f.flags)
    .add(Tag.REQUEST_HASH, f.requestHash)
    .addUint32(Tag.FAULT, f.fault)
    .serialize();
}

/** Session-info HMAC metadata: type HMAC, VIN, and the challenge (omitted when empty). */
export function sessionInfoMetadata(vin: Uint8Array, challenge: Uint8Array): Uint8Array {
  return new Metadata()
    .addByte(Tag.SIGNATURE_TYPE, SignatureType.HMAC)
    .add(Tag.PERSONALIZATION, vin)
    .add(Tag.CHALLENGE, challenge.length > 0 ? challenge : undefined)
    .serialize();
}

/**
 * The request hash bound into an encrypted reply (protocol.md "Request hash"): the signature
 * type byte followed by the request's tag, cut to 17 bytes for VCSEC (HMAC tags only: AES-GCM
 * tags are 16 bytes already).
 */
export function requestHash(signatureType: number, domain: number, tag: Uint8Array): Uint8Array {
  const t = domain === 2 ? tag.subarray(0, 16) : tag;
  const out = new Uint8Array(1 + t.length);
  out[0] = signatureType;
  out.set(t, 1);
  return out;
}
