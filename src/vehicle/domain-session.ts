/**
 * One authenticated session with one domain (VCSEC or Infotainment) of one vehicle: the
 * signer, loaded lazily from the disk cache or started with a handshake (one per domain, shared
 * by concurrent callers), dropped when it proves stale, and saved back to the cache after use.
 * Whether the domain answers encrypted outlives any one session (and is cached with it).
 * No fault triggers a handshake here: the caller decides (see `vehicle.ts`).
 *
 * With a {@link StateStore} (several instances, one key) the store is the authority instead:
 * the session is read from it, every counter is reserved from it, a handshake happens under its
 * handshake lease (the other instances wait, then reuse the session it stored), and session
 * info learned from the vehicle is written back at once.
 *
 * @module
 */
import { completeHandshake, createHandshake } from '../signing/handshake.js';
import { Signer } from '../signing/signer.js';
import type { SessionCache } from './session-cache.js';
import type { DomainNumber, StateStore } from './state-store.js';
import type { FleetTransport } from './transport.js';
import type { CommandKey } from './types.js';

/** How long a handshake lease lasts: a handshake is one request, well within the deadline. */
export const HANDSHAKE_LEASE_MS = 15_000;

export interface DomainSessionOptions {
  vin: string;
  domain: DomainNumber;
  key: CommandKey;
  transport: FleetTransport;
  cache?: SessionCache | undefined;
  store?: StateStore | undefined;
  now: () => number;
  warn: (message: string) => void;
}

export class DomainSession {
  readonly #o: DomainSessionOptions;
  #signer: Signer | undefined;
  #pending: Promise<Signer> | undefined;
  #cacheChecked = false;
  /** This domain has answered encrypted: every later session is held to it, too. */
  #encrypts = false;
  /** The store knows the domain answers encrypted. */
  #encryptsShared = false;

  constructor(o: DomainSessionOptions) {
    this.#o = o;
  }

  /** The session in memory, if any. */
  get current(): Signer | undefined {
    return this.#signer;
  }

  /** Whether counters come from a shared store ({@link reserve}). */
  get shared(): boolean {
    return this.#o.store !== undefined;
  }

  /**
   * A ready signer: the one in memory, else the cached (or shared) one (no request), else a new
   * handshake (one request). Concurrent callers share one handshake.
   */
  async ready(signal?: AbortSignal): Promise<Signer> {
    if (this.#signer) return this.#signer;
    if (!this.#pending) {
      this.#pending = this.#start(signal).finally(() => {
        this.#pending = undefined;
      });
    }
    return this.#pending;
  }

  /** Always asks the vehicle (a handshake), replacing the session on success. */
  async handshake(signal?: AbortSignal): Promise<Signer> {
    if (this.#pending) await this.#pending.catch(() => undefined);
    const run = this.#o.store ? this.#sharedHandshake(signal, false) : this.#handshake(signal);
    this.#pending = run.finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /**
   * The counter to sign the next command with, reserved from the store. `undefined` when another
   * instance replaced the session (a new epoch): `signer` is forgotten, call {@link ready} again.
   */
  async reserve(signer: Signer): Promise<number | undefined> {
    const store = this.#o.store;
    if (!store) return undefined;
    const { vin, domain } = this.#o;
    const counter = await store.reserveCounters(vin, domain, signer.epoch, 1, signer.counter);
    if (counter === undefined && this.#signer === signer) this.#signer = undefined;
    return counter;
  }

  /** Forgets `signer` (if it is still the current session) here and in the cache or store. */
  async drop(signer: Signer): Promise<void> {
    if (signer.encryptsResponses) this.#encrypts = true;
    if (this.#signer !== signer) return;
    this.#signer = undefined;
    this.#cacheChecked = true;
    const { store, cache, vin, domain } = this.#o;
    if (store) await store.deleteSession(vin, domain, signer.epoch);
    else cache?.delete(vin, domain);
  }

  /** Writes the current session (counter, epoch, clock) to the cache. */
  save(): void {
    const s = this.#signer;
    if (s && this.#o.cache && !this.#o.store) {
      this.#o.cache.set(this.#o.vin, this.#o.domain, s.export(this.#o.now()));
    }
  }

  /**
   * After a reply: shares what the vehicle told `signer` (session info applied from a fault:
   * `changed`; the first encrypted reply) with the other instances. Without a store, saves.
   */
  async commit(signer: Signer, changed: boolean): Promise<void> {
    const store = this.#o.store;
    if (!store) {
      this.save();
      return;
    }
    const { vin, domain, now } = this.#o;
    if (changed && this.#signer === signer)
      await store.putSession(vin, domain, signer.export(now()));
    if (signer.encryptsResponses && !this.#encryptsShared) {
      await store.setEncryptsResponses(vin, domain);
      this.#encryptsShared = true;
    }
  }

  async #start(signal: AbortSignal | undefined): Promise<Signer> {
    if (this.#o.store) {
      const shared = await this.#fromStore();
      return shared ?? this.#sharedHandshake(signal, true);
    }
    const fromCache = await this.#fromCache();
    if (fromCache) {
      this.#signer = fromCache;
      return fromCache;
    }
    return this.#handshake(signal);
  }

  async #fromCache(): Promise<Signer | undefined> {
    const { cache, vin, domain, key } = this.#o;
    if (this.#cacheChecked || !cache) return undefined;
    this.#cacheChecked = true;
    const exported = cache.get(vin, domain);
    if (!exported) return undefined;
    try {
      return await Signer.import(key, vin, domain, exported);
    } catch {
      this.#o.warn(`session cache: ignoring an unusable entry for ${vin} domain ${domain}`);
      cache.delete(vin, domain);
      return undefined;
    }
  }

  /** The session the store holds, as this instance's signer (no request). */
  async #fromStore(): Promise<Signer | undefined> {
    const { store, vin, domain, key } = this.#o;
    const exported = await store?.getSession(vin, domain);
    if (!exported) return undefined;
    if (exported.encryptsResponses) this.#encrypts = this.#encryptsShared = true;
    let signer: Signer;
    try {
      signer = await Signer.import(key, vin, domain, exported);
    } catch {
      this.#o.warn(`state store: ignoring an unusable session for ${vin} domain ${domain}`);
      return undefined;
    }
    if (this.#encrypts) signer.requireEncryptedResponses();
    this.#signer = signer;
    return signer;
  }

  /**
   * A handshake under the store's lease. With `reuse`, a session another instance stored while
   * this one waited for the lease is taken instead (no request).
   */
  async #sharedHandshake(signal: AbortSignal | undefined, reuse: boolean): Promise<Signer> {
    const { store, vin, domain } = this.#o;
    if (!store) return this.#handshake(signal);
    const lease = await store.lockHandshake(vin, domain, { leaseMs: HANDSHAKE_LEASE_MS, signal });
    try {
      if (reuse) {
        const shared = await this.#fromStore();
        if (shared) return shared;
      }
      if (!this.#encrypts && (await store.encryptsResponses(vin, domain))) {
        this.#encrypts = this.#encryptsShared = true;
      }
      return await this.#handshake(signal);
    } finally {
      await lease.release();
    }
  }

  async #handshake(signal: AbortSignal | undefined): Promise<Signer> {
    const { vin, domain, key, transport, now, store } = this.#o;
    const request = createHandshake(key.publicKey, domain, { now: now() });
    const response = await transport.signedCommand(vin, request.bytes, signal);
    const signer = await completeHandshake({ key, vin, request, response, now: now() });
    // A new session does not forget that the domain encrypts its replies, so forcing a
    // re-handshake cannot open the way to a stripped reply.
    if (this.#encrypts || this.#signer?.encryptsResponses) signer.requireEncryptedResponses();
    // A fresh session never lowers the counter of the one it replaces within the same epoch:
    // completeHandshake starts from the vehicle's own counter, which is the authority.
    this.#signer = signer;
    this.#cacheChecked = true;
    if (store) await store.putSession(vin, domain, signer.export(now()));
    else this.save();
    return signer;
  }
}
