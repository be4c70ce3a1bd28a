/**
 * Secrets at rest in the shared store (Tesla tokens): AES-256-GCM (@noble/ciphers) under the
 * state key, with the record's name as associated data, so a sealed value moved to another
 * key name does not open. The state key is `TESLA_MCP_STATE_KEY` (32 bytes as 64 hex), or else
 * one derived from the command key: ECDH of the command key with a P-256 point of unknown
 * discrete log (RFC 9380 hash-to-curve of a fixed label), through HKDF-SHA256. Every instance
 * holding the command key derives the same key; Redis alone never can.
 *
 * @module
 */
import { gcm } from '@noble/ciphers/aes.js';
import { p256_hasher } from '@noble/curves/nist.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Env } from '../config/paths.js';
import { randomBytes, utf8ToBytes } from '../signing/bytes.js';
import { stateKeyFromEnv } from './open-store.js';
import type { CommandKey } from './types.js';

const LABEL = 'tesla-mcp state store key v1';
const PREFIX = 'v1.';

/** The state key: `TESLA_MCP_STATE_KEY`, or derived from the command key. */
export async function stateSecretKey(env: Env, key: CommandKey): Promise<Uint8Array> {
  const explicit = stateKeyFromEnv(env);
  if (explicit) return explicit;
  const point = p256_hasher.hashToCurve(utf8ToBytes(LABEL)).toBytes(false);
  const shared = await key.sessionKey(point);
  return hkdf(sha256, shared, utf8ToBytes('tesla-mcp'), utf8ToBytes(LABEL), 32);
}

/** `plaintext` sealed under `key` for the record `name`. */
export function sealRecord(key: Uint8Array, name: string, plaintext: string): string {
  const nonce = randomBytes(12);
  const sealed = gcm(key, nonce, utf8ToBytes(name)).encrypt(utf8ToBytes(plaintext));
  const out = new Uint8Array(nonce.length + sealed.length);
  out.set(nonce);
  out.set(sealed, nonce.length);
  return `${PREFIX}${Buffer.from(out).toString('base64')}`;
}

/** The plaintext of a sealed record; throws when it was not sealed under `key` for `name`. */
export function openRecord(key: Uint8Array, name: string, sealed: string): string {
  if (!sealed.startsWith(PREFIX)) throw new Error('state store: not a sealed record');
  const bytes = Uint8Array.from(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
  const plain = gcm(key, bytes.subarray(0, 12), utf8ToBytes(name)).decrypt(bytes.subarray(12));
  return new TextDecoder().decode(plain);
}
