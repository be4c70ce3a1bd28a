/**
 * A P-256 key backed by node:crypto (OpenSSL): an implementation independent of the signing
 * library's noble-based keys, so the protocol tests cannot share one misunderstanding of ECDH.
 */
import { createECDH, createHash } from 'node:crypto';

export interface NodeKey {
  readonly publicKey: Uint8Array;
  sessionKey(peer: Uint8Array): Uint8Array;
}

export function nodeKey(scalarHex?: string): NodeKey {
  const ecdh = createECDH('prime256v1');
  if (scalarHex) ecdh.setPrivateKey(Buffer.from(scalarHex, 'hex'));
  else ecdh.generateKeys();
  return {
    publicKey: Uint8Array.from(ecdh.getPublicKey()),
    sessionKey(peer: Uint8Array): Uint8Array {
      const x = ecdh.computeSecret(Buffer.from(peer));
      return Uint8Array.from(createHash('sha1').update(x).digest().subarray(0, 16));
    },
  };
}
