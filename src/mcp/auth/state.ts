/**
 * The OAuth server's state ({@link OAuthState}): issued access and refresh tokens and pending
 * authorization codes, each keyed by the **SHA-256 hash** of the token or code (the raw value is
 * never stored).
 *
 * {@link OAuthStateStore} is one instance's: tokens in `CONFIG/oauth-state.json` (mode 0600,
 * written with `writeFileAtomic`), codes in memory (they live two minutes). With `--redis`,
 * `shared-state.ts` keeps all of it in the shared store, so every instance sees every grant.
 *
 * Every token belongs to a grant *family* (one authorization); a replayed refresh token or code
 * revokes its whole family (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2).
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../util/fs.js';
import { OAuthStateError } from './errors.js';

/** What an access or refresh token grants. Times are milliseconds since the epoch. */
export interface GrantRecord {
  clientId: string;
  /** The RFC 8707 resource (the MCP URL) the token is bound to. */
  resource: string;
  /** Space-separated scopes, possibly empty. */
  scope: string;
  familyId: string;
  expiresAt: number;
  /** `secretFingerprint()` of the client secret the grant was made under (never the secret). */
  secretFp?: string;
}

export interface RefreshRecord extends GrantRecord {
  /** Set once the token has been exchanged; a second exchange is a replay. */
  usedAt?: number;
}

/** A pending authorization code. */
export interface CodeRecord {
  clientId: string;
  redirectUri: string;
  /** The PKCE S256 challenge. */
  challenge: string;
  resource: string;
  scope: string;
  familyId: string;
  expiresAt: number;
}

/** A code taken for redemption: `first` only for the one redemption that took it first. */
export interface TakenCode {
  code: CodeRecord;
  first: boolean;
}

/**
 * What the OAuth server keeps. Single use is decided here: of concurrent redemptions of one code
 * ({@link takeCode}) or exchanges of one refresh token ({@link useRefresh}), on any instance
 * sharing the state, exactly one is first.
 */
export interface OAuthState {
  getAccess(hash: string): Promise<GrantRecord | undefined>;
  /** The refresh token's record, with `usedAt` once it was exchanged (a replay then). */
  getRefresh(hash: string): Promise<RefreshRecord | undefined>;
  /** Stores the access and refresh token of one issue. */
  putTokens(
    access: { hash: string; rec: GrantRecord },
    refresh: { hash: string; rec: RefreshRecord },
  ): Promise<void>;
  /** Marks `rec` (the record of refresh token `hash`) exchanged; true only for the first caller. */
  useRefresh(hash: string, rec: RefreshRecord): Promise<boolean>;
  /** Revokes every access and refresh token of a grant family, issued or still to be issued. */
  revokeFamily(familyId: string): Promise<void>;
  putCode(hash: string, code: CodeRecord): Promise<void>;
  /** The code's record, marked used; undefined when unknown or expired. */
  takeCode(hash: string): Promise<TakenCode | undefined>;
  /**
   * Drops, at start, every token for which `drop` is true. Only a store that can list its
   * records has it; the OAuth server checks each record again when it is used.
   */
  revokeWhere?(drop: (rec: GrantRecord) => boolean): void;
}

interface StateFile {
  version: 1;
  access: Record<string, GrantRecord>;
  refresh: Record<string, RefreshRecord>;
}

function isGrant(v: unknown): v is GrantRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.clientId === 'string' &&
    typeof r.resource === 'string' &&
    typeof r.scope === 'string' &&
    typeof r.familyId === 'string' &&
    typeof r.expiresAt === 'number' &&
    (r.usedAt === undefined || typeof r.usedAt === 'number') &&
    (r.secretFp === undefined || typeof r.secretFp === 'string')
  );
}

function pick<T extends GrantRecord>(v: unknown): Map<string, T> {
  const out = new Map<string, T>();
  if (typeof v !== 'object' || v === null) return out;
  for (const [hash, rec] of Object.entries(v)) {
    if (/^[0-9a-f]{64}$/.test(hash) && isGrant(rec)) out.set(hash, rec as T);
  }
  return out;
}

const MAX_PENDING_CODES = 100;

/**
 * One instance's state: tokens keyed by hash in the file (`path` undefined keeps them in memory:
 * tests, simulator), codes in memory.
 */
export class OAuthStateStore implements OAuthState {
  readonly #path: string | undefined;
  readonly #now: () => number;
  readonly #access: Map<string, GrantRecord>;
  readonly #refresh: Map<string, RefreshRecord>;
  readonly #codes = new Map<string, CodeRecord & { used: boolean }>();
  /** Families revoked by this process: a token issued for one after its revocation is dead too. */
  readonly #revoked = new Set<string>();
  #writing: Promise<void> = Promise.resolve();

  private constructor(
    path: string | undefined,
    now: () => number,
    access: Map<string, GrantRecord>,
    refresh: Map<string, RefreshRecord>,
  ) {
    this.#path = path;
    this.#now = now;
    this.#access = access;
    this.#refresh = refresh;
  }

  /** Loads `path` if it exists (a missing file is an empty state). */
  static async open(path: string | undefined, now: () => number): Promise<OAuthStateStore> {
    if (path === undefined) return new OAuthStateStore(undefined, now, new Map(), new Map());
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return new OAuthStateStore(path, now, new Map(), new Map());
      }
      throw new OAuthStateError(
        `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}): check its owner and permissions`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new OAuthStateError(
        `${path} is not valid JSON: delete it and connected MCP clients will sign in again`,
      );
    }
    const file = (parsed ?? {}) as Partial<StateFile>;
    const store = new OAuthStateStore(
      path,
      now,
      pick<GrantRecord>(file.access),
      pick<RefreshRecord>(file.refresh),
    );
    store.#prune();
    return store;
  }

  async getAccess(hash: string): Promise<GrantRecord | undefined> {
    const rec = this.#access.get(hash);
    return rec && !this.#revoked.has(rec.familyId) ? rec : undefined;
  }

  async getRefresh(hash: string): Promise<RefreshRecord | undefined> {
    const rec = this.#refresh.get(hash);
    return rec && !this.#revoked.has(rec.familyId) ? rec : undefined;
  }

  async putTokens(
    access: { hash: string; rec: GrantRecord },
    refresh: { hash: string; rec: RefreshRecord },
  ): Promise<void> {
    this.#access.set(access.hash, access.rec);
    this.#refresh.set(refresh.hash, refresh.rec);
    await this.save();
  }

  async useRefresh(hash: string, rec: RefreshRecord): Promise<boolean> {
    const stored = this.#refresh.get(hash);
    if (stored === undefined || stored.usedAt !== undefined) return false;
    stored.usedAt = this.#now();
    rec.usedAt = stored.usedAt;
    await this.save();
    return true;
  }

  async revokeFamily(familyId: string): Promise<void> {
    this.#revoked.add(familyId);
    this.revokeWhere((rec) => rec.familyId === familyId);
    await this.save();
  }

  async putCode(hash: string, code: CodeRecord): Promise<void> {
    const now = this.#now();
    for (const [h, c] of this.#codes) if (c.expiresAt <= now) this.#codes.delete(h);
    while (this.#codes.size >= MAX_PENDING_CODES) {
      const oldest = this.#codes.keys().next().value;
      if (oldest === undefined) break;
      this.#codes.delete(oldest);
    }
    this.#codes.set(hash, { ...code, used: false });
  }

  async takeCode(hash: string): Promise<TakenCode | undefined> {
    const rec = this.#codes.get(hash);
    if (rec === undefined) return undefined;
    const { used, ...code } = rec;
    // A replayed code is forgotten once its family is revoked.
    if (used) this.#codes.delete(hash);
    rec.used = true;
    return { code, first: !used };
  }

  /** Deletes every access and refresh token for which `drop` is true. */
  revokeWhere(drop: (rec: GrantRecord) => boolean): void {
    for (const map of [this.#access, this.#refresh] as Map<string, GrantRecord>[]) {
      for (const [hash, rec] of map) if (drop(rec)) map.delete(hash);
    }
  }

  /** Number of live records (for tests and `/health`-style diagnostics; never the tokens). */
  get size(): { access: number; refresh: number } {
    return { access: this.#access.size, refresh: this.#refresh.size };
  }

  /** Drops expired records, then writes the file (0600, atomically). Writes are serialised. */
  save(): Promise<void> {
    this.#prune();
    const path = this.#path;
    if (path === undefined) return Promise.resolve();
    const file: StateFile = {
      version: 1,
      access: Object.fromEntries(this.#access),
      refresh: Object.fromEntries(this.#refresh),
    };
    const data = `${JSON.stringify(file, null, 2)}\n`;
    const next = this.#writing.then(() => writeFileAtomic(path, data, 0o600));
    this.#writing = next.catch(() => undefined);
    return next;
  }

  #prune(): void {
    const now = this.#now();
    for (const map of [this.#access, this.#refresh] as Map<string, GrantRecord>[]) {
      for (const [hash, rec] of map) if (rec.expiresAt <= now) map.delete(hash);
    }
  }
}
