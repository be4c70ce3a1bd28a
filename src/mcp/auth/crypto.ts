/**
 * Small primitives for the MCP server's auth: random opaque tokens, SHA-256 hashes (what the
 * OAuth state file stores instead of tokens) and the PKCE S256 transform
 * (RFC 7636 §4.2).
 *
 * @module
 */
import { createHash, randomBytes, scryptSync } from 'node:crypto';

/** A fresh opaque secret: `prefix` + 32 random bytes, base64url (256 bits of entropy). */
export function randomToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Lower-case hex SHA-256 of a UTF-8 string. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

const fingerprints = new Map<string, string>();

/**
 * A fingerprint of the static client's secret, stored with each grant so that a new
 * `MCP_CLIENT_SECRET` revokes what the old one obtained. scrypt (RFC 7914, N = 2^14, r = 8), so
 * a copied state file does not make a weak operator-chosen secret cheap to guess offline.
 * Computed once per secret in a process.
 */
export function secretFingerprint(clientId: string, secret: string): string {
  const key = sha256Hex(`${clientId}\n${secret}`);
  let fp = fingerprints.get(key);
  if (fp === undefined) {
    const salt = `tesla-mcp oauth client secret\n${clientId}`;
    fp = scryptSync(secret, salt, 16, { N: 1 << 14, r: 8, p: 1 }).toString('hex');
    fingerprints.set(key, fp);
  }
  return fp;
}

/** `BASE64URL(SHA256(ASCII(code_verifier)))`, the S256 code challenge of a verifier. */
export function pkceChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** RFC 7636 §4.1: 43 to 128 characters of `[A-Z] [a-z] [0-9] - . _ ~`. */
export const PKCE_VERIFIER_RE = /^[A-Za-z0-9\-._~]{43,128}$/;

/** An S256 challenge is 32 bytes base64url without padding: exactly 43 characters. */
export const PKCE_S256_CHALLENGE_RE = /^[A-Za-z0-9\-_]{43}$/;
