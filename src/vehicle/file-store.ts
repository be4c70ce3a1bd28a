/**
 * The file {@link StateStore} (the default on one machine): the session cache file
 * (`TESLA_SESSION_CACHE`, default `CONFIG/sessions.json`, the format `session-cache.ts`
 * describes) made safe for several processes. Every change is a read-modify-write under
 * `sessions.json.lock` (`src/util/file-lock.ts`: atomic creation, lease, atomic takeover of a
 * stale lock), written atomically with mode 0600; reads need no lock. So a second process
 * re-reads the counter and continues it instead of colliding, and one handshake per domain
 * serves them all.
 *
 * Besides the sessions the file holds the leases (VCSEC lock, Infotainment slots, handshake
 * in progress), each with its owner's pid and host and an expiry: a lease of a process on this
 * machine that has exited is dropped at once, any other when it expires. It also holds the
 * encrypted-answers flags, wake times and billing counters. No secret: session info is the
 * vehicle's public state, and the session key is re-derived from the command key.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { bytesToHex } from '../signing/bytes.js';
import type { ExportedSession } from '../signing/signer.js';
import { LOCK_HOST, ownerMayLive, withLock } from '../util/file-lock.js';
import { writeFileAtomic } from '../util/fs.js';
import { DEFAULT_MAX_VEHICLES, decodeSession, SESSION_CACHE_VERSION } from './session-cache.js';
import {
  type DomainNumber,
  type Lease,
  type LeaseOptions,
  pause,
  type StateStore,
  StateStoreError,
  type WakeTake,
} from './state-store.js';
import { leaseId, mergeSession, sessionState, withCounter } from './store-session.js';

interface LeaseRecord {
  id: string;
  pid: number;
  host: string;
  until: number;
}

interface VehicleRecord {
  usedAt: number;
  sessions: Record<string, { sessionInfo: string; exportedAt: number; encryptsResponses?: true }>;
  /** Domains that have answered encrypted (outlives the sessions). */
  encrypts?: number[];
  wakes?: number[];
}

interface StoreFile {
  version: number;
  key: string;
  vehicles: Record<string, VehicleRecord>;
  leases?: Record<string, LeaseRecord[]>;
  billing?: Record<string, number>;
}

export interface FileStateStoreOptions {
  path: string;
  /** Fingerprint of our public key: a file of another key is ignored (and replaced). */
  keyFingerprint: string;
  maxVehicles?: number;
  warn?: (message: string) => void;
  /** How long one change may wait for the file lock (default 10 s). */
  lockTimeoutMs?: number;
  now?: () => number;
}

interface Job {
  fn: (f: StoreFile) => boolean;
  resolve: () => void;
  reject: (err: unknown) => void;
  failed?: unknown;
}

interface Batch {
  queue: Job[];
  running: boolean;
}

/** Changes waiting for the lock of each file, in this process. */
const BATCHES = new Map<string, Batch>();

/** Waiting for a lease polls the file this often (with jitter). */
const POLL_MS = 15;

export class FileStateStore implements StateStore {
  readonly path: string;
  readonly description: string;
  readonly #o: FileStateStoreOptions;
  readonly #now: () => number;
  #warned = false;

  constructor(o: FileStateStoreOptions) {
    this.path = o.path;
    this.description = `file ${o.path}`;
    this.#o = o;
    this.#now = o.now ?? Date.now;
  }

  async getSession(vin: string, domain: DomainNumber): Promise<ExportedSession | undefined> {
    const v = (await this.#read()).vehicles[vin];
    const s = decodeSession(v?.sessions[`${domain}`]);
    if (s && v?.encrypts?.includes(domain)) s.encryptsResponses = true;
    return s;
  }

  putSession(vin: string, domain: DomainNumber, session: ExportedSession): Promise<void> {
    return this.#change((f) => {
      const v = this.#vehicle(f, vin);
      const merged = mergeSession(decodeSession(v.sessions[`${domain}`]), session);
      v.sessions[`${domain}`] = encode(merged);
      if (session.encryptsResponses) addEncrypts(v, domain);
      return true;
    });
  }

  deleteSession(vin: string, domain: DomainNumber, epoch: Uint8Array): Promise<void> {
    return this.#change((f) => {
      const v = f.vehicles[vin];
      const s = decodeSession(v?.sessions[`${domain}`]);
      if (!v || !s || sessionState(s)?.epoch !== bytesToHex(epoch)) return false;
      delete v.sessions[`${domain}`];
      return true;
    });
  }

  async reserveCounters(
    vin: string,
    domain: DomainNumber,
    epoch: Uint8Array,
    n: number,
    floor: number,
  ): Promise<number | undefined> {
    let first: number | undefined;
    await this.#change((f) => {
      const v = f.vehicles[vin];
      const s = decodeSession(v?.sessions[`${domain}`]);
      const st = s && sessionState(s);
      if (!v || !s || !st || st.epoch !== bytesToHex(epoch)) return false;
      first = Math.max(st.counter, floor) + 1;
      v.sessions[`${domain}`] = encode(withCounter(s, first + n - 1));
      v.usedAt = this.#now();
      return true;
    });
    return first;
  }

  setEncryptsResponses(vin: string, domain: DomainNumber): Promise<void> {
    return this.#change((f) => {
      const v = this.#vehicle(f, vin);
      if (v.encrypts?.includes(domain)) return false;
      addEncrypts(v, domain);
      return true;
    });
  }

  async encryptsResponses(vin: string, domain: DomainNumber): Promise<boolean> {
    return (await this.#read()).vehicles[vin]?.encrypts?.includes(domain) ?? false;
  }

  lockVcsec(vin: string, o: LeaseOptions): Promise<Lease> {
    return this.#lease(`vcsec/${vin}`, 1, o);
  }

  acquireSlot(vin: string, limit: number, o: LeaseOptions): Promise<Lease> {
    return this.#lease(`slots/${vin}`, limit, o);
  }

  lockHandshake(vin: string, domain: DomainNumber, o: LeaseOptions): Promise<Lease> {
    return this.#lease(`handshake/${vin}/${domain}`, 1, o);
  }

  async takeWake(vin: string, limit: number, windowMs: number, now: number): Promise<WakeTake> {
    let out: WakeTake = { ok: true };
    await this.#change((f) => {
      const v = this.#vehicle(f, vin);
      const hits = (v.wakes ?? []).filter((t) => now - t < windowMs);
      if (hits.length >= limit) {
        const oldest = hits[0] ?? now;
        out = {
          ok: false,
          retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)),
        };
      } else hits.push(now);
      v.wakes = hits;
      return true;
    });
    return out;
  }

  countBilling(name: string, n: number): Promise<void> {
    return this.#change((f) => {
      f.billing = f.billing ?? {};
      f.billing[name] = (f.billing[name] ?? 0) + n;
      return true;
    });
  }

  async billing(): Promise<Record<string, number>> {
    return { ...(await this.#read()).billing };
  }

  async close(): Promise<void> {}

  // ---- leases ------------------------------------------------------------------------------

  async #lease(name: string, limit: number, o: LeaseOptions): Promise<Lease> {
    const id = leaseId();
    for (;;) {
      o.signal?.throwIfAborted();
      // A look without the lock first, so waiters do not queue on the lock of a busy car.
      const looks = livePrune((await this.#read()).leases?.[name] ?? [], this.#now());
      if (looks.length < limit) {
        let got = false;
        await this.#change((f) => {
          f.leases = f.leases ?? {};
          const leases = f.leases;
          const live = livePrune(leases[name] ?? [], this.#now());
          if (live.length >= limit) return false;
          live.push({ id, pid: process.pid, host: LOCK_HOST, until: this.#now() + o.leaseMs });
          leases[name] = live;
          got = true;
          return true;
        });
        if (got) return { release: () => this.#release(name, id) };
      }
      await pause(POLL_MS / 2 + Math.random() * POLL_MS, o.signal);
    }
  }

  #release(name: string, id: string): Promise<void> {
    return this.#change((f) => {
      const list = f.leases?.[name];
      if (!f.leases || !list?.some((l) => l.id === id)) return false;
      const rest = list.filter((l) => l.id !== id);
      if (rest.length) f.leases[name] = rest;
      else delete f.leases[name];
      return true;
    });
  }

  // ---- the file ----------------------------------------------------------------------------

  #vehicle(f: StoreFile, vin: string): VehicleRecord {
    let v = f.vehicles[vin];
    if (!v) {
      v = { usedAt: this.#now(), sessions: {} };
      f.vehicles[vin] = v;
    }
    v.usedAt = this.#now();
    return v;
  }

  /**
   * Runs `fn` on the file under its lock; writes it back when `fn` returns true. Changes queued
   * in this process meanwhile (by any store on the same file) share one lock, read and write.
   */
  #change(fn: (f: StoreFile) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      let batch = BATCHES.get(this.path);
      if (!batch) {
        batch = { queue: [], running: false };
        BATCHES.set(this.path, batch);
      }
      batch.queue.push({ fn, resolve, reject });
      if (!batch.running) void this.#drain(batch);
    });
  }

  async #drain(batch: Batch): Promise<void> {
    batch.running = true;
    while (batch.queue.length) {
      const jobs = batch.queue.splice(0);
      try {
        await withLock(
          `${this.path}.lock`,
          async () => {
            const f = await this.#read();
            let changed = false;
            for (const job of jobs) {
              try {
                if (job.fn(f)) changed = true;
              } catch (err) {
                job.failed = err;
              }
            }
            if (!changed) return;
            evict(f, this.#o.maxVehicles ?? DEFAULT_MAX_VEHICLES);
            await writeFileAtomic(this.path, `${JSON.stringify(f)}\n`, 0o600);
          },
          { timeoutMs: this.#o.lockTimeoutMs ?? 10_000 },
        );
        for (const job of jobs) {
          if (job.failed === undefined) job.resolve();
          else job.reject(job.failed);
        }
      } catch (err) {
        const e = new StateStoreError(
          `state store: cannot update ${this.path} (${(err as Error).message}): check that the folder is writable`,
          { cause: err },
        );
        for (const job of jobs) job.reject(e);
      }
    }
    batch.running = false;
    BATCHES.delete(this.path);
  }

  async #read(): Promise<StoreFile> {
    const empty: StoreFile = {
      version: SESSION_CACHE_VERSION,
      key: this.#o.keyFingerprint,
      vehicles: {},
    };
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return empty;
      throw new StateStoreError(`state store: cannot read ${this.path} (${code ?? 'error'})`, {
        cause: err,
      });
    }
    let f: Partial<StoreFile> | null;
    try {
      f = JSON.parse(text) as Partial<StoreFile> | null;
    } catch {
      this.#warnOnce(`session cache: ${this.path} is not valid JSON; starting it afresh`);
      return empty;
    }
    if (
      typeof f !== 'object' ||
      f === null ||
      f.version !== SESSION_CACHE_VERSION ||
      typeof f.vehicles !== 'object' ||
      f.vehicles === null
    ) {
      this.#warnOnce(`session cache: ${this.path} has an unknown format; starting it afresh`);
      return empty;
    }
    if (f.key !== this.#o.keyFingerprint) {
      this.#warnOnce(
        `session cache: ${this.path} belongs to another key (${String(f.key)}, ours is ${this.#o.keyFingerprint}); starting it afresh`,
      );
      return empty;
    }
    return f as StoreFile;
  }

  #warnOnce(message: string): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#o.warn?.(message);
  }
}

function encode(s: ExportedSession): VehicleRecord['sessions'][string] {
  return {
    sessionInfo: Buffer.from(s.sessionInfo).toString('base64'),
    exportedAt: s.exportedAt,
    ...(s.encryptsResponses ? { encryptsResponses: true as const } : {}),
  };
}

function addEncrypts(v: VehicleRecord, domain: DomainNumber): void {
  v.encrypts = [...new Set([...(v.encrypts ?? []), domain])].sort();
  const s = v.sessions[`${domain}`];
  if (s) s.encryptsResponses = true;
}

/** Leases still held: not expired, and not of a process on this machine that has exited. */
function livePrune(list: LeaseRecord[], now: number): LeaseRecord[] {
  return list.filter((l) => l.until > now && ownerMayLive(l.pid, l.host));
}

/** Keeps the `max` most recently used VINs. */
function evict(f: StoreFile, max: number): void {
  const vins = Object.keys(f.vehicles);
  if (vins.length <= max) return;
  vins.sort((a, b) => (f.vehicles[a]?.usedAt ?? 0) - (f.vehicles[b]?.usedAt ?? 0));
  for (const vin of vins.slice(0, vins.length - max)) delete f.vehicles[vin];
}
