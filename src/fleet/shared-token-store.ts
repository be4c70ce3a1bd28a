/**
 * The Tesla tokens in the shared store (`--redis`), for several MCP server instances on one
 * account: one sealed record (AES-256-GCM under the state key, `src/vehicle/state-secrets.ts`;
 * never plaintext in Redis) and one lease for refreshing, so the instances refresh one at a time
 * and the others read the rotated tokens instead of spending the single-use refresh token again.
 * The shape is {@link TokenStore}'s, so the token manager works on either. On first use an empty
 * record is seeded from the local token file (`tesla-mcp login` writes it), if there is one.
 *
 * @module
 */

import { cliCommand } from '../util/cli-command.js';
import { openRecord, sealRecord } from '../vehicle/state-secrets.js';
import type { Lease, LeaseOptions } from '../vehicle/state-store.js';
import { FleetConfigError } from './errors.js';
import type { StoredTokens, TokenStore } from './token-store.js';

export interface SharedRecords {
  put(key: string, value: string, ttlMs?: number): Promise<void>;
  get(key: string): Promise<string | undefined>;
  delete(key: string): Promise<boolean>;
}

const RECORD = 'tesla';

export class SharedTokenStore {
  /** Where the tokens are, for messages (`redis host:port`). */
  readonly path: string;
  readonly #records: SharedRecords;
  readonly #lock: (name: string, o: LeaseOptions) => Promise<Lease>;
  readonly #key: Uint8Array;
  readonly #seed: TokenStore | undefined;

  constructor(o: {
    records: SharedRecords;
    lock: (name: string, o: LeaseOptions) => Promise<Lease>;
    /** The state key (32 bytes). */
    key: Uint8Array;
    description: string;
    /** The local token file, read once when the shared record is empty. */
    seed?: TokenStore | undefined;
  }) {
    this.path = o.description;
    this.#records = o.records;
    this.#lock = o.lock;
    this.#key = o.key;
    this.#seed = o.seed;
  }

  async read(): Promise<StoredTokens | undefined> {
    const sealed = await this.#records.get(RECORD);
    if (sealed === undefined) {
      const local = await this.#seed?.read();
      if (local) await this.write(local);
      return local;
    }
    let v: unknown;
    try {
      v = JSON.parse(openRecord(this.#key, RECORD, sealed));
    } catch {
      throw new FleetConfigError(
        `fleet: the Tesla tokens in ${this.path} were sealed with another state key: give every instance the same TESLA_MCP_STATE_KEY (or the same command key), or run \`${cliCommand('login')}\` again`,
      );
    }
    if (!v || typeof v !== 'object' || typeof (v as StoredTokens).access_token !== 'string') {
      throw new FleetConfigError(
        `fleet: the tokens in ${this.path} have no access_token: run \`${cliCommand('login')}\``,
      );
    }
    return v as StoredTokens;
  }

  async write(tokens: StoredTokens): Promise<void> {
    const data = { ...tokens, updated_at: new Date().toISOString() };
    await this.#records.put(RECORD, sealRecord(this.#key, RECORD, JSON.stringify(data)));
  }

  async remove(): Promise<boolean> {
    return this.#records.delete(RECORD);
  }

  /** Runs `fn` holding the refresh lease of every instance on this store. */
  async withLock<T>(
    fn: () => Promise<T>,
    o: { timeoutMs?: number; leaseMs?: number } = {},
  ): Promise<T> {
    const lease = await this.#lock('tokens', {
      leaseMs: o.leaseMs ?? 30_000,
      signal: AbortSignal.timeout(o.timeoutMs ?? 45_000),
    });
    try {
      return await fn();
    } finally {
      await lease.release().catch(() => {});
    }
  }
}
