/**
 * The simulator's key material, on node:crypto (OpenSSL): each simulated vehicle domain gets a
 * fresh P-256 key per run, held in memory only. Using OpenSSL here (rather than the signing
 * library's noble keys) means the simulator's half of every ECDH is computed independently of
 * the client's, so the two cannot share one misunderstanding.
 *
 * @module
 */
import { createECDH, createHash } from 'node:crypto';
import type { VehicleKey } from '../signing/verifier.js';

/** A fresh vehicle-side key: ECDH and K = SHA1(shared x)[0:16]. The scalar never leaves. */
export function generateVehicleKey(): VehicleKey {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    publicKey: Uint8Array.from(ecdh.getPublicKey()),
    sessionKey(peer: Uint8Array): Uint8Array {
      const x = ecdh.computeSecret(Buffer.from(peer));
      return Uint8Array.from(createHash('sha1').update(x).digest().subarray(0, 16));
    },
  };
}

/** VCSEC's key identifier: the first 4 bytes of SHA-1 of the public key. */
export function keyId(publicKey: Uint8Array): Uint8Array {
  return Uint8Array.from(createHash('sha1').update(publicKey).digest().subarray(0, 4));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
