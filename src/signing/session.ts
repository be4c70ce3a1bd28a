/**
 * Session keys (protocol.md "Key Agreement", "Response authentication"): the shared key
 * K = SHA1(ECDH shared x, left-padded to 32 bytes)[0:16], its HMAC subkeys
 * HMAC-SHA256(K, "session info") and HMAC-SHA256(K, "authenticated command"), and AES-128-GCM
 * with K. The subkeys' HMAC inner/outer states are computed once per session and cloned per
 * message, so signing a command costs two SHA-256 compressions of key setup less.
 *
 * @module
 */
import { gcm } from '@noble/ciphers/aes.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes, utf8ToBytes } from './bytes.js';
import { ProtocolError } from './errors.js';
import { sessionInfoMetadata } from './metadata.js';

export const LABEL_SESSION_INFO = 'session info';
export const LABEL_MESSAGE_AUTH = 'authenticated command';
export const SHARED_KEY_BYTES = 16;
export const EPOCH_BYTES = 16;
export const NONCE_BYTES = 12;
export const GCM_TAG_BYTES = 16;

/** K = SHA1(x)[0:16], where x is the ECDH shared x-coordinate as 32 big-endian bytes. */
export function sessionKeyFromSharedSecret(sharedX: Uint8Array): Uint8Array {
  if (sharedX.length !== 32) {
    throw new ProtocolError(
      'invalid-argument',
      `shared secret must be 32 bytes, got ${sharedX.length}`,
    );
  }
  return sha1(sharedX).slice(0, SHARED_KEY_BYTES);
}

type Hmac = ReturnType<typeof hmac.create>;

/** A keyed HMAC-SHA256 whose key schedule is computed once. */
class KeyedHmac {
  readonly #base: Hmac;
  constructor(key: Uint8Array) {
    this.#base = hmac.create(sha256, key);
  }
  mac(...parts: readonly Uint8Array[]): Uint8Array {
    const h = this.#base.clone();
    for (const p of parts) h.update(p);
    return h.digest();
  }
}

/** The symmetric state of one authenticated session with one vehicle domain. */
export class SessionKeys {
  readonly #key: Uint8Array;
  readonly #infoMac: KeyedHmac;
  readonly #commandMac: KeyedHmac;

  constructor(sharedKey: Uint8Array) {
    if (sharedKey.length !== SHARED_KEY_BYTES) {
      throw new ProtocolError(
        'invalid-argument',
        `session key K must be ${SHARED_KEY_BYTES} bytes, got ${sharedKey.length}`,
      );
    }
    this.#key = sharedKey.slice();
    this.#infoMac = new KeyedHmac(hmac(sha256, this.#key, utf8ToBytes(LABEL_SESSION_INFO)));
    this.#commandMac = new KeyedHmac(hmac(sha256, this.#key, utf8ToBytes(LABEL_MESSAGE_AUTH)));
  }

  /** HMAC-SHA256(K, label): exposed for the protocol.md subkey vector. */
  subkey(label: string): Uint8Array {
    return hmac(sha256, this.#key, utf8ToBytes(label));
  }

  /** HMAC tag of an HMAC_PERSONALIZED command: HMAC(K', metadata ‖ payload). */
  commandTag(metadata: Uint8Array, payload: Uint8Array): Uint8Array {
    return this.#commandMac.mac(metadata, payload);
  }

  /** Session-info tag over the exact received `sessionInfo` bytes. */
  sessionInfoTag(vin: Uint8Array, challenge: Uint8Array, sessionInfo: Uint8Array): Uint8Array {
    return this.#infoMac.mac(sessionInfoMetadata(vin, challenge), sessionInfo);
  }

  /**
   * Constant-time check of a session-info tag against one challenge, or against each of a list
   * (true when any matches; every candidate is computed and compared).
   */
  verifySessionInfoTag(
    vin: Uint8Array,
    challenge: Uint8Array | readonly Uint8Array[],
    sessionInfo: Uint8Array,
    tag: Uint8Array,
  ): boolean {
    const challenges = challenge instanceof Uint8Array ? [challenge] : challenge;
    let ok = false;
    for (const c of challenges) {
      ok = equalBytes(this.sessionInfoTag(vin, c, sessionInfo), tag) || ok;
    }
    return ok;
  }

  /** AES-128-GCM with K; AAD = SHA256(metadata). Returns ciphertext and tag separately. */
  encrypt(
    nonce: Uint8Array,
    plaintext: Uint8Array,
    metadata: Uint8Array,
  ): { ciphertext: Uint8Array; tag: Uint8Array } {
    const sealed = gcm(this.#key, nonce, sha256(metadata)).encrypt(plaintext);
    return {
      ciphertext: sealed.subarray(0, sealed.length - GCM_TAG_BYTES),
      tag: sealed.subarray(sealed.length - GCM_TAG_BYTES),
    };
  }

  /** AES-128-GCM open; `undefined` when the tag does not verify. */
  decrypt(
    nonce: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    metadata: Uint8Array,
  ): Uint8Array | undefined {
    if (nonce.length !== NONCE_BYTES || tag.length !== GCM_TAG_BYTES) return undefined;
    const sealed = new Uint8Array(ciphertext.length + GCM_TAG_BYTES);
    sealed.set(ciphertext);
    sealed.set(tag, ciphertext.length);
    try {
      return gcm(this.#key, nonce, sha256(metadata)).decrypt(sealed);
    } catch {
      return undefined;
    }
  }
}
