/**
 * Where a 421 sent each caller (the proxy's callers bring their own tokens). The Fleet API
 * answers 421 with the base URL of the account's region; the Go proxy then remembers that host
 * for the token's `sub` claim. The claims are not verified here (Tesla does that), so a caller
 * could forge a token with another user's `sub` and poison that user's entry. The key is the
 * SHA-256 of the token itself instead: a forged token can only move its own requests. (A
 * refreshed token learns its host again, with one more 421.)
 *
 * @module
 */
import { createHash } from 'node:crypto';

/** The memory key of a caller's token: its SHA-256, hex (the token itself is never kept). */
export function callerKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Base URLs learned from 421 answers, per caller key; bounded, least recently used out first. */
export class HostMemory {
  readonly #byKey = new Map<string, string>();
  readonly #max: number;

  constructor(max = 10_000) {
    this.#max = max;
  }

  get(key: string): string | undefined {
    return this.#byKey.get(key);
  }

  set(key: string, baseUrl: string): void {
    this.#byKey.delete(key);
    this.#byKey.set(key, baseUrl);
    if (this.#byKey.size > this.#max) {
      const oldest = this.#byKey.keys().next().value;
      if (oldest !== undefined) this.#byKey.delete(oldest);
    }
  }

  get size(): number {
    return this.#byKey.size;
  }
}
