/**
 * One-time confirmation tokens for risky tools when the client cannot ask the user itself (no
 * MCP elicitation: Claude Desktop, Claude.ai). The first call of a gated tool runs nothing and
 * answers with what would happen and a token; only a second call carrying that token runs it.
 *
 * A token is 256 random bits, valid for 5 minutes, and good for one call: the same tool, the same
 * arguments (canonical JSON, so key order does not matter) and the same MCP session. The store
 * never holds the token: entries are keyed by its SHA-256, and the binding is an HMAC keyed by the
 * token, compared in constant time. Every presentation consumes the token, whether it matches or
 * not, so a wrong guess at the arguments costs the model a new round trip, never a second run.
 *
 * What this proves is limited: that the model was told, in words, what the call would do before
 * it made it. Only elicitation puts the question to the user (README "Security").
 *
 * @module
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../util/safe-equal.js';
import { randomToken, sha256Hex } from './auth/crypto.js';

/** How long a confirmation token stays valid (the `TESLA_MCP_CONFIRM` contract: 5 minutes). */
export const CONFIRMATION_TTL_MS = 5 * 60_000;

/** The store keeps an entry this much longer, so a late token is refused as "expired". */
const EXPIRED_GRACE_MS = 60_000;

/**
 * Where pending tokens wait: a small key-value store with expiry, so that several server
 * processes can share one (Redis) while a single process keeps them in memory.
 */
export interface PendingStore {
  /** Stores `value` under `key` for `ttlMs`. */
  put(key: string, value: string, ttlMs: number): Promise<void>;
  /** The live value under `key`, or undefined (never stored, deleted or expired). */
  get(key: string): Promise<string | undefined>;
  /**
   * Removes `key`; true only for the caller that removed a live entry, so of two concurrent
   * redemptions of one token exactly one goes on (Redis `DEL` answers the same way).
   */
  delete(key: string): Promise<boolean>;
}

/** The in-process {@link PendingStore}: expiry by the injected clock, at most `max` entries. */
export class MemoryPendingStore implements PendingStore {
  readonly #entries = new Map<string, { value: string; expiresAt: number }>();
  readonly #now: () => number;
  readonly #max: number;

  constructor(o: { now?: () => number; max?: number } = {}) {
    this.#now = o.now ?? Date.now;
    this.#max = o.max ?? 10_000;
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    const now = this.#now();
    for (const [k, e] of this.#entries) if (e.expiresAt <= now) this.#entries.delete(k);
    // A full store drops its oldest entry (Map order is insertion order).
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: now + ttlMs });
  }

  async get(key: string): Promise<string | undefined> {
    const e = this.#entries.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  async delete(key: string): Promise<boolean> {
    const e = this.#entries.get(key);
    this.#entries.delete(key);
    return e !== undefined && e.expiresAt > this.#now();
  }
}

/** The call a token is bound to. */
export interface ConfirmationCall {
  tool: string;
  /** The MCP session (`Mcp-Session-Id` over HTTP, else one id per server instance). */
  session: string;
  /** The validated arguments, without the token. */
  args: Record<string, unknown>;
}

/**
 * Why a token did or did not allow the call: `ok`; `unknown` (never issued, already used, or
 * gone from the store); `expired`; `mismatch` (issued for another tool, arguments or session).
 */
export type Redemption = 'ok' | 'unknown' | 'expired' | 'mismatch';

/** JSON with object keys sorted at every level and `undefined` members left out. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]]),
    );
  });
}

interface Pending {
  binding: string;
  expiresAt: number;
}

export class Confirmations {
  readonly #store: PendingStore;
  readonly #now: () => number;
  readonly #ttlMs: number;

  constructor(o: { store?: PendingStore; now?: () => number; ttlMs?: number } = {}) {
    this.#now = o.now ?? Date.now;
    this.#store = o.store ?? new MemoryPendingStore({ now: this.#now });
    this.#ttlMs = o.ttlMs ?? CONFIRMATION_TTL_MS;
  }

  /** Seconds a new token stays valid. */
  get ttlSeconds(): number {
    return Math.round(this.#ttlMs / 1000);
  }

  /** A new single-use token for exactly `call`. */
  async issue(call: ConfirmationCall): Promise<{ token: string; expiresAt: number }> {
    const token = randomToken('ct_');
    const expiresAt = this.#now() + this.#ttlMs;
    const pending: Pending = { binding: bind(token, call), expiresAt };
    await this.#store.put(keyOf(token), JSON.stringify(pending), this.#ttlMs + EXPIRED_GRACE_MS);
    return { token, expiresAt };
  }

  /** Consumes `token` and says whether it allows `call`. */
  async redeem(token: string, call: ConfirmationCall): Promise<Redemption> {
    const key = keyOf(token);
    const raw = await this.#store.get(key);
    if (raw === undefined) return 'unknown';
    if (!(await this.#store.delete(key))) return 'unknown';
    let pending: Pending;
    try {
      pending = JSON.parse(raw) as Pending;
    } catch {
      return 'unknown';
    }
    if (typeof pending.binding !== 'string' || typeof pending.expiresAt !== 'number') {
      return 'unknown';
    }
    if (pending.expiresAt <= this.#now()) return 'expired';
    return safeEqual(pending.binding, bind(token, call)) ? 'ok' : 'mismatch';
  }
}

function keyOf(token: string): string {
  return sha256Hex(token);
}

function bind(token: string, call: ConfirmationCall): string {
  return createHmac('sha256', token)
    .update(`${call.tool}\n${call.session}\n${canonicalJson(call.args)}`)
    .digest('hex');
}
