/**
 * The session cache on disk (protocol.md "Caching session state"): per VIN and domain, the
 * signer's exported session (vehicle session info with counter, epoch and clock, plus the time
 * of export, so expiry stays right after a restart, and `encryptsResponses` once the domain has
 * answered encrypted, so a plaintext reply after a restart is still refused; files without the
 * field load as before). With it, the first command after a restart costs one request instead
 * of a handshake plus the command.
 *
 * File: JSON at `configPaths().sessionCache` (`TESLA_SESSION_CACHE`; `off` disables), written
 * atomically with mode 0600. It holds no secret (session info is public; the session key is
 * re-derived from our private key), but it is tied to our key: the file records our public-key
 * fingerprint and a file of another key is ignored. A corrupt file is ignored with a warning,
 * never fatal. The number of VINs is bounded; the least recently used VIN is evicted.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { configPaths, type Env } from '../config/paths.js';
import type { ExportedSession } from '../signing/signer.js';
import { writeFileAtomic } from '../util/fs.js';

export const SESSION_CACHE_VERSION = 1;
export const DEFAULT_MAX_VEHICLES = 1000;

export interface SessionCacheOptions {
  path: string;
  /** Fingerprint of our public key (`keyFingerprint`): a file of another key is ignored. */
  keyFingerprint: string;
  /** VINs kept at most (default 1000); the least recently used is evicted. */
  maxVehicles?: number;
  /** Receives one line per problem (corrupt file, other key, failed write). Never a secret. */
  warn?: (message: string) => void;
}

interface VehicleEntry {
  usedAt: number;
  sessions: Partial<Record<'2' | '3', ExportedSession>>;
}

interface CacheFile {
  version: number;
  key: string;
  vehicles: Record<string, { usedAt: number; sessions: Record<string, SerializedSession> }>;
}

interface SerializedSession {
  sessionInfo: string;
  exportedAt: number;
  /** Present (true) once the domain has answered encrypted; absent in older files. */
  encryptsResponses?: true;
}

/** A session entry as the file holds it (base64 session info), or undefined when malformed. */
export function decodeSession(v: unknown): ExportedSession | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { sessionInfo, exportedAt, encryptsResponses } = v as Record<string, unknown>;
  if (typeof sessionInfo !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(sessionInfo)) {
    return undefined;
  }
  if (typeof exportedAt !== 'number' || !Number.isFinite(exportedAt)) return undefined;
  if (encryptsResponses !== undefined && typeof encryptsResponses !== 'boolean') return undefined;
  const s: ExportedSession = {
    sessionInfo: Uint8Array.from(Buffer.from(sessionInfo, 'base64')),
    exportedAt,
  };
  if (encryptsResponses) s.encryptsResponses = true;
  return s;
}

function copySession(s: ExportedSession): ExportedSession {
  const out: ExportedSession = { sessionInfo: s.sessionInfo.slice(), exportedAt: s.exportedAt };
  if (s.encryptsResponses) out.encryptsResponses = true;
  return out;
}

export class SessionCache {
  readonly path: string;
  readonly keyFingerprint: string;
  readonly #max: number;
  readonly #warn: (message: string) => void;
  /** Insertion order = least recently used first. */
  readonly #vehicles = new Map<string, VehicleEntry>();
  #dirty = false;
  #writing: Promise<void> | undefined;

  private constructor(o: SessionCacheOptions) {
    this.path = o.path;
    this.keyFingerprint = o.keyFingerprint;
    this.#max = o.maxVehicles ?? DEFAULT_MAX_VEHICLES;
    this.#warn = o.warn ?? (() => {});
    if (!(Number.isInteger(this.#max) && this.#max >= 1)) {
      throw new RangeError(`vehicle: maxVehicles must be a positive integer, got ${this.#max}`);
    }
  }

  /** Opens the cache at `o.path`; a missing file is an empty cache, a bad one a warning. */
  static async open(o: SessionCacheOptions): Promise<SessionCache> {
    const cache = new SessionCache(o);
    await cache.#load();
    return cache;
  }

  /** Number of VINs held. */
  get size(): number {
    return this.#vehicles.size;
  }

  get(vin: string, domain: 2 | 3): ExportedSession | undefined {
    const entry = this.#vehicles.get(vin);
    const s = entry?.sessions[`${domain}`];
    if (!entry || !s) return undefined;
    this.#touch(vin, entry);
    return copySession(s);
  }

  set(vin: string, domain: 2 | 3, session: ExportedSession): void {
    const entry = this.#vehicles.get(vin) ?? { usedAt: 0, sessions: {} };
    entry.sessions[`${domain}`] = copySession(session);
    entry.usedAt = Math.max(entry.usedAt, session.exportedAt);
    this.#touch(vin, entry);
    while (this.#vehicles.size > this.#max) {
      const oldest = this.#vehicles.keys().next().value as string;
      this.#vehicles.delete(oldest);
    }
    this.#schedule();
  }

  /** Forgets one domain's session, or the whole VIN. */
  delete(vin: string, domain?: 2 | 3): void {
    const entry = this.#vehicles.get(vin);
    if (!entry) return;
    if (domain === undefined) this.#vehicles.delete(vin);
    else {
      delete entry.sessions[`${domain}`];
      if (!entry.sessions['2'] && !entry.sessions['3']) this.#vehicles.delete(vin);
    }
    this.#schedule();
  }

  /** Resolves when every change made so far is on disk (or its write failed with a warning). */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  #touch(vin: string, entry: VehicleEntry): void {
    this.#vehicles.delete(vin);
    this.#vehicles.set(vin, entry);
  }

  #schedule(): void {
    this.#dirty = true;
    if (this.#writing) return;
    this.#writing = (async () => {
      // Let the changes of this turn of the event loop land in one write.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.#dirty) {
        this.#dirty = false;
        try {
          await writeFileAtomic(this.path, this.#serialize(), 0o600);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? 'error';
          this.#warn(
            `session cache: could not write ${this.path} (${code}); continuing without it`,
          );
        }
      }
      this.#writing = undefined;
    })();
  }

  #serialize(): string {
    const vehicles: CacheFile['vehicles'] = {};
    for (const [vin, entry] of this.#vehicles) {
      const sessions: Record<string, SerializedSession> = {};
      for (const d of ['2', '3'] as const) {
        const s = entry.sessions[d];
        if (s) {
          sessions[d] = {
            sessionInfo: Buffer.from(s.sessionInfo).toString('base64'),
            exportedAt: s.exportedAt,
            ...(s.encryptsResponses ? { encryptsResponses: true as const } : {}),
          };
        }
      }
      vehicles[vin] = { usedAt: entry.usedAt, sessions };
    }
    const file: CacheFile = { version: SESSION_CACHE_VERSION, key: this.keyFingerprint, vehicles };
    return `${JSON.stringify(file, null, 1)}\n`;
  }

  async #load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') {
        this.#warn(`session cache: cannot read ${this.path} (${code ?? 'error'}); ignoring it`);
      }
      return;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      this.#warn(`session cache: ${this.path} is not valid JSON; ignoring it`);
      return;
    }
    const file = doc as Partial<CacheFile> | null;
    if (
      typeof file !== 'object' ||
      file === null ||
      file.version !== SESSION_CACHE_VERSION ||
      typeof file.vehicles !== 'object' ||
      file.vehicles === null
    ) {
      this.#warn(`session cache: ${this.path} has an unknown format; ignoring it`);
      return;
    }
    if (file.key !== this.keyFingerprint) {
      this.#warn(
        `session cache: ${this.path} belongs to another key (${String(file.key)}, ours is ${this.keyFingerprint}); ignoring it`,
      );
      return;
    }
    const rows: [string, VehicleEntry][] = [];
    let skipped = 0;
    for (const [vin, raw] of Object.entries(file.vehicles)) {
      const entry: VehicleEntry = { usedAt: Number(raw?.usedAt) || 0, sessions: {} };
      for (const d of ['2', '3'] as const) {
        const v = raw?.sessions?.[d];
        if (v === undefined) continue;
        const s = decodeSession(v);
        if (s) entry.sessions[d] = s;
        else skipped++;
      }
      if (entry.sessions['2'] || entry.sessions['3']) rows.push([vin, entry]);
    }
    if (skipped > 0) {
      this.#warn(`session cache: ignored ${skipped} malformed entr${skipped === 1 ? 'y' : 'ies'}`);
    }
    rows.sort((a, b) => a[1].usedAt - b[1].usedAt);
    for (const [vin, entry] of rows.slice(-this.#max)) this.#vehicles.set(vin, entry);
  }
}

/**
 * Opens the cache named by the environment (`TESLA_SESSION_CACHE`, default
 * `CONFIG/sessions.json`), or returns `undefined` when it is `off`.
 */
export async function openSessionCache(o: {
  keyFingerprint: string;
  env?: Env;
  maxVehicles?: number;
  warn?: (message: string) => void;
}): Promise<SessionCache | undefined> {
  const path = configPaths(o.env ?? process.env).sessionCache;
  if (path.trim().toLowerCase() === 'off') return undefined;
  const opts: SessionCacheOptions = { path, keyFingerprint: o.keyFingerprint };
  if (o.maxVehicles !== undefined) opts.maxVehicles = o.maxVehicles;
  if (o.warn !== undefined) opts.warn = o.warn;
  return SessionCache.open(opts);
}
