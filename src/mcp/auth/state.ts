/**
 * The OAuth server's persistent state: issued access and refresh tokens, keyed by the
 * **SHA-256 hash** of the token (the raw token is never stored), in `CONFIG/oauth-state.json`
 * (mode 0600, written with `writeFileAtomic`). Authorization codes are not persisted: they live
 * two minutes, in memory (see `oauth-server.ts`).
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

/** Token records keyed by hash; `path` undefined keeps everything in memory (tests, simulator). */
export class OAuthStateStore {
  readonly #path: string | undefined;
  readonly #now: () => number;
  readonly #access: Map<string, GrantRecord>;
  readonly #refresh: Map<string, RefreshRecord>;
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

  getAccess(hash: string): GrantRecord | undefined {
    return this.#access.get(hash);
  }

  getRefresh(hash: string): RefreshRecord | undefined {
    return this.#refresh.get(hash);
  }

  putAccess(hash: string, rec: GrantRecord): void {
    this.#access.set(hash, rec);
  }

  putRefresh(hash: string, rec: RefreshRecord): void {
    this.#refresh.set(hash, rec);
  }

  /** Deletes every access and refresh token of a grant family. */
  revokeFamily(familyId: string): void {
    this.revokeWhere((rec) => rec.familyId === familyId);
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
