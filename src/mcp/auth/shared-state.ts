/**
 * The OAuth server's state in the shared store (`--redis`), for several MCP HTTP instances
 * behind one URL: a token issued by one instance is accepted by every other, a code or a refresh
 * token is single-use across all of them, and a replay seen by any instance revokes the grant
 * everywhere.
 *
 * - Record names are `access:`, `refresh:`, `used:` (an exchanged refresh token), `code:`,
 *   `code-used:` and `revoked:` (a revoked family) followed by a SHA-256 hash: never a token, a
 *   code or a grant id. Each record expires with what it describes.
 * - Values are sealed with AES-256-GCM under the state key (`src/vehicle/state-secrets.ts`,
 *   `TESLA_MCP_STATE_KEY` or derived from the command key), with the record's name as associated
 *   data, as the shared Tesla tokens are: the store never holds a grant in plaintext.
 * - Single use rests on the store's delete, which is true for one caller only (Redis `DEL`):
 *   the redeemer first writes the `used` record (so a later replay is recognised), then deletes
 *   the live one; whoever deletes it is first, any other redemption is a replay.
 * - A family is revoked by a `revoked:` record that every read checks, so tokens the winner of a
 *   race issues after the revocation are dead as well.
 *
 * @module
 */
import { openRecord, sealRecord } from '../../vehicle/state-secrets.js';
import { sha256Hex } from './crypto.js';
import type { CodeRecord, GrantRecord, OAuthState, RefreshRecord, TakenCode } from './state.js';

/** What this state needs of the shared store (`RedisStateStore.records`). */
export interface SharedOAuthRecords {
  put(key: string, value: string, ttlMs?: number): Promise<void>;
  get(key: string): Promise<string | undefined>;
  delete(key: string): Promise<boolean>;
}

export interface SharedOAuthStateOptions {
  records: SharedOAuthRecords;
  /** The state key (32 bytes). */
  key: Uint8Array;
  now?: () => number;
  /** How long a revocation is remembered: at least the longest token lifetime (default 31 days). */
  revokedTtlMs?: number;
  /** Told once when a record does not open (sealed under another state key). */
  warn?: (message: string) => void;
}

export class SharedOAuthState implements OAuthState {
  readonly #records: SharedOAuthRecords;
  readonly #key: Uint8Array;
  readonly #now: () => number;
  readonly #revokedTtlMs: number;
  readonly #warn: ((message: string) => void) | undefined;
  #warned = false;

  constructor(o: SharedOAuthStateOptions) {
    this.#records = o.records;
    this.#key = o.key;
    this.#now = o.now ?? Date.now;
    this.#revokedTtlMs = o.revokedTtlMs ?? 31 * 86_400_000;
    this.#warn = o.warn;
  }

  async #put(name: string, value: object, expiresAt: number): Promise<void> {
    const ttl = Math.max(1, expiresAt - this.#now());
    await this.#records.put(name, sealRecord(this.#key, name, JSON.stringify(value)), ttl);
  }

  async #get<T>(name: string): Promise<T | undefined> {
    const sealed = await this.#records.get(name);
    if (sealed === undefined) return undefined;
    try {
      return JSON.parse(openRecord(this.#key, name, sealed)) as T;
    } catch {
      if (!this.#warned) {
        this.#warned = true;
        this.#warn?.(
          'oauth: a grant in the shared store was sealed with another state key, so it is refused: give every instance the same TESLA_MCP_STATE_KEY (or the same command key)',
        );
      }
      return undefined;
    }
  }

  async #live<T extends GrantRecord>(rec: T | undefined): Promise<T | undefined> {
    if (rec === undefined || typeof rec.familyId !== 'string') return undefined;
    const revoked = await this.#records.get(`revoked:${sha256Hex(rec.familyId)}`);
    return revoked === undefined ? rec : undefined;
  }

  async getAccess(hash: string): Promise<GrantRecord | undefined> {
    return this.#live(await this.#get<GrantRecord>(`access:${hash}`));
  }

  async getRefresh(hash: string): Promise<RefreshRecord | undefined> {
    const rec =
      (await this.#get<RefreshRecord>(`refresh:${hash}`)) ??
      (await this.#get<RefreshRecord>(`used:${hash}`));
    return this.#live(rec);
  }

  async putTokens(
    access: { hash: string; rec: GrantRecord },
    refresh: { hash: string; rec: RefreshRecord },
  ): Promise<void> {
    await this.#put(`access:${access.hash}`, access.rec, access.rec.expiresAt);
    await this.#put(`refresh:${refresh.hash}`, refresh.rec, refresh.rec.expiresAt);
  }

  async useRefresh(hash: string, rec: RefreshRecord): Promise<boolean> {
    const used = { ...rec, usedAt: this.#now() };
    await this.#put(`used:${hash}`, used, rec.expiresAt);
    const first = await this.#records.delete(`refresh:${hash}`);
    if (first) rec.usedAt = used.usedAt;
    return first;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.#records.put(
      `revoked:${sha256Hex(familyId)}`,
      String(this.#now()),
      this.#revokedTtlMs,
    );
  }

  async putCode(hash: string, code: CodeRecord): Promise<void> {
    await this.#put(`code:${hash}`, code, code.expiresAt);
  }

  async takeCode(hash: string): Promise<TakenCode | undefined> {
    const code = await this.#get<CodeRecord>(`code:${hash}`);
    if (code === undefined) {
      const used = await this.#get<CodeRecord>(`code-used:${hash}`);
      return used === undefined ? undefined : { code: used, first: false };
    }
    await this.#put(`code-used:${hash}`, code, code.expiresAt);
    return { code, first: await this.#records.delete(`code:${hash}`) };
  }
}
