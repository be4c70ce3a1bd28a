/**
 * The OAuth server's state ({@link OAuthState}): issued access and refresh tokens and pending
 * authorization codes, each keyed by the **SHA-256 hash** of the token or code (the raw value is
 * never stored).
 *
 * {@link OAuthStateStore} keeps the tokens in `CONFIG/oauth-state.json` (mode 0600, written with
 * `writeFileAtomic`), safe for several processes on one machine sharing the config folder:
 * - every change is made under `oauth-state.json.lock` (`src/util/file-lock.ts`): the file is
 *   read again, the change applied to what was read, and the result written back, so the
 *   changes of other processes are kept. Single use of a refresh token is decided from the file
 *   read under the lock, so of two processes exchanging one token, one is first;
 * - a read looks at the file again when its inode, size or mtime changed since the last read,
 *   so a token issued, used or revoked by another process is seen there;
 * - a revoked family leaves a `revoked` entry (31 days, as `shared-state.ts`), so tokens another
 *   process issues for it after the revocation are dropped too.
 *
 * Authorization codes stay in each process's memory (they live two minutes, and one
 * authorization code flow talks to one process). With `--redis`, `shared-state.ts` keeps all of
 * it in the shared store, so every instance on every machine sees every grant and code.
 *
 * Every token belongs to a grant *family* (one authorization); a replayed refresh token or code
 * revokes its whole family (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2).
 *
 * @module
 */
import type { Stats } from 'node:fs';
import { open as openFile, stat } from 'node:fs/promises';
import { FileLockTimeoutError, withLock } from '../../util/file-lock.js';
import { removeAtomicTemps, STALE_TEMP_MS, writeFileAtomic } from '../../util/fs.js';
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
  /** Revoked families: id to the time (ms) the entry may be forgotten. */
  revoked?: Record<string, number>;
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

function pickRevoked(v: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (typeof v !== 'object' || v === null) return out;
  for (const [id, until] of Object.entries(v)) if (typeof until === 'number') out.set(id, until);
  return out;
}

const MAX_PENDING_CODES = 100;
/** How long a revoked family is remembered: longer than any refresh token lives (30 days). */
const REVOKED_TTL_MS = 31 * 86_400_000;
/** At most this many revoked families are remembered (the oldest are forgotten first). */
const MAX_REVOKED = 1000;
const LOCK_TIMEOUT_MS = 10_000;

/** What was read from the file: its identity (inode, size, mtime; '' when missing) and content. */
interface Snapshot {
  id: string;
  access: Map<string, GrantRecord>;
  refresh: Map<string, RefreshRecord>;
  revoked: Map<string, number>;
}

function errCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'error';
}

/** A file's identity: inode, size and mtime (a rewrite changes at least one). */
function idOf(st: Stats): string {
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

function cannotRead(path: string, err: unknown): OAuthStateError {
  return new OAuthStateError(
    `cannot read ${path} (${errCode(err)}): check its owner and permissions`,
  );
}

/** Reads `path` through one handle, so the identity and the content belong together. */
async function readSnapshot(path: string): Promise<Snapshot> {
  let text: string;
  let id: string;
  try {
    const h = await openFile(path, 'r');
    try {
      id = idOf(await h.stat());
      text = await h.readFile('utf8');
    } finally {
      await h.close();
    }
  } catch (err) {
    if (errCode(err) === 'ENOENT') {
      return { id: '', access: new Map(), refresh: new Map(), revoked: new Map() };
    }
    throw cannotRead(path, err);
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
  return {
    id,
    access: pick<GrantRecord>(file.access),
    refresh: pick<RefreshRecord>(file.refresh),
    revoked: pickRevoked(file.revoked),
  };
}

/** The identity {@link readSnapshot} gives, from a stat ('' when missing). */
async function identity(path: string): Promise<string> {
  try {
    return idOf(await stat(path));
  } catch (err) {
    if (errCode(err) === 'ENOENT') return '';
    throw cannotRead(path, err);
  }
}

/**
 * The tokens keyed by hash in the file, shared with other processes on that file (`path`
 * undefined keeps them in this process's memory: tests, simulator); codes in memory.
 */
export class OAuthStateStore implements OAuthState {
  readonly #path: string | undefined;
  readonly #now: () => number;
  #access: Map<string, GrantRecord>;
  #refresh: Map<string, RefreshRecord>;
  /** Families revoked in the file (any process), with when the entry may be forgotten. */
  #revokedUntil = new Map<string, number>();
  readonly #codes = new Map<string, CodeRecord & { used: boolean }>();
  /** Families revoked by this process: a token issued for one after its revocation is dead too. */
  readonly #revoked = new Set<string>();
  /** What {@link revokeWhere} drops: applied to every read of the file as well. */
  #drop: ((rec: GrantRecord) => boolean) | undefined;
  /** The identity of the file as last read or written; undefined: read it again. */
  #seen: string | undefined;
  /** This process's changes, one at a time (each under the file lock). */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(path: string | undefined, now: () => number, snap?: Snapshot) {
    this.#path = path;
    this.#now = now;
    this.#access = snap?.access ?? new Map();
    this.#refresh = snap?.refresh ?? new Map();
    if (snap) {
      this.#revokedUntil = snap.revoked;
      this.#seen = snap.id;
    }
  }

  /** Loads `path` if it exists (a missing file is an empty state). */
  static async open(path: string | undefined, now: () => number): Promise<OAuthStateStore> {
    if (path === undefined) return new OAuthStateStore(undefined, now);
    const store = new OAuthStateStore(path, now, await readSnapshot(path));
    store.#prune();
    return store;
  }

  async getAccess(hash: string): Promise<GrantRecord | undefined> {
    await this.#sync();
    return this.#live(this.#access.get(hash));
  }

  async getRefresh(hash: string): Promise<RefreshRecord | undefined> {
    await this.#sync();
    return this.#live(this.#refresh.get(hash));
  }

  async putTokens(
    access: { hash: string; rec: GrantRecord },
    refresh: { hash: string; rec: RefreshRecord },
  ): Promise<void> {
    await this.#change(() => {
      // Revoked by another process while this one was issuing: dead on arrival.
      if (this.#path !== undefined && this.#revokedUntil.has(access.rec.familyId)) return false;
      this.#access.set(access.hash, access.rec);
      this.#refresh.set(refresh.hash, refresh.rec);
      return true;
    });
  }

  async useRefresh(hash: string, rec: RefreshRecord): Promise<boolean> {
    let first = false;
    await this.#change(() => {
      const stored = this.#live(this.#refresh.get(hash));
      if (stored === undefined || stored.usedAt !== undefined) return false;
      stored.usedAt = this.#now();
      rec.usedAt = stored.usedAt;
      first = true;
      return true;
    });
    return first;
  }

  async revokeFamily(familyId: string): Promise<void> {
    this.#revoked.add(familyId);
    await this.#change(() => {
      this.#dropWhere((rec) => rec.familyId === familyId);
      if (this.#path !== undefined) {
        this.#revokedUntil.delete(familyId);
        this.#revokedUntil.set(familyId, this.#now() + REVOKED_TTL_MS);
        for (const id of this.#revokedUntil.keys()) {
          if (this.#revokedUntil.size <= MAX_REVOKED) break;
          this.#revokedUntil.delete(id);
        }
      }
      return true;
    });
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

  /**
   * Deletes every access and refresh token for which `drop` is true. With a file, every later
   * read of it drops them too, and the next change removes them from it.
   */
  revokeWhere(drop: (rec: GrantRecord) => boolean): void {
    if (this.#path !== undefined) {
      const before = this.#drop;
      this.#drop = before ? (rec) => before(rec) || drop(rec) : drop;
    }
    this.#dropWhere(drop);
  }

  /** Number of live records (for tests and `/health`-style diagnostics; never the tokens). */
  get size(): { access: number; refresh: number } {
    return { access: this.#access.size, refresh: this.#refresh.size };
  }

  /** Drops expired records, then writes the file (0600, atomically, under its lock). */
  save(): Promise<void> {
    return this.#change(() => true);
  }

  #live<T extends GrantRecord>(rec: T | undefined): T | undefined {
    if (rec === undefined || this.#revoked.has(rec.familyId)) return undefined;
    return this.#revokedUntil.has(rec.familyId) ? undefined : rec;
  }

  #dropWhere(drop: (rec: GrantRecord) => boolean): void {
    for (const map of [this.#access, this.#refresh] as Map<string, GrantRecord>[]) {
      for (const [hash, rec] of map) if (drop(rec)) map.delete(hash);
    }
  }

  /** Reads the file again if another process (or this one) replaced it since the last read. */
  async #sync(): Promise<void> {
    const path = this.#path;
    if (path === undefined) return;
    if (this.#seen !== undefined && (await identity(path)) === this.#seen) return;
    this.#take(await readSnapshot(path));
  }

  #take(snap: Snapshot): void {
    this.#access = snap.access;
    this.#refresh = snap.refresh;
    this.#revokedUntil = snap.revoked;
    this.#seen = snap.id;
    this.#prune();
  }

  /**
   * Applies `fn` to the current state: with a file, under its lock, to the file as read there,
   * written back when `fn` returns true. A failure leaves the file as it was, and the next read
   * takes it from the file again.
   */
  #change(fn: () => boolean): Promise<void> {
    const path = this.#path;
    if (path === undefined) {
      fn();
      this.#prune();
      return Promise.resolve();
    }
    const run = async (): Promise<void> => {
      try {
        await withLock(
          `${path}.lock`,
          async () => {
            await removeAtomicTemps(path, STALE_TEMP_MS);
            this.#take(await readSnapshot(path));
            if (!fn()) return;
            this.#prune();
            const file: StateFile = {
              version: 1,
              access: Object.fromEntries(this.#access),
              refresh: Object.fromEntries(this.#refresh),
              revoked: Object.fromEntries(this.#revokedUntil),
            };
            const written = [this.#access, this.#refresh, this.#revokedUntil] as const;
            this.#seen = undefined;
            await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, 0o600);
            const id = await identity(path);
            // A read meanwhile may have taken the file as it was before: this is what it holds.
            [this.#access, this.#refresh, this.#revokedUntil] = written;
            this.#seen = id;
          },
          { timeoutMs: LOCK_TIMEOUT_MS },
        );
      } catch (err) {
        this.#seen = undefined;
        if (err instanceof OAuthStateError) throw err;
        if (err instanceof FileLockTimeoutError) {
          throw new OAuthStateError(
            `${path} is locked by another tesla-mcp process (${err.message}): try again`,
          );
        }
        throw new OAuthStateError(
          `cannot write ${path} (${errCode(err)}): check that the folder is writable`,
        );
      }
    };
    const next = this.#queue.then(run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #prune(): void {
    const now = this.#now();
    for (const map of [this.#access, this.#refresh] as Map<string, GrantRecord>[]) {
      for (const [hash, rec] of map) if (rec.expiresAt <= now) map.delete(hash);
    }
    for (const [id, until] of this.#revokedUntil) if (until <= now) this.#revokedUntil.delete(id);
    if (this.#drop) this.#dropWhere(this.#drop);
  }
}
