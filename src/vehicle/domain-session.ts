/**
 * One authenticated session with one domain (VCSEC or Infotainment) of one vehicle: the
 * signer, loaded lazily from the disk cache or started with a handshake (one per domain, shared
 * by concurrent callers), dropped when it proves stale, and saved back to the cache after use.
 * Whether the domain answers encrypted outlives any one session (and is cached with it).
 * No fault triggers a handshake here: the caller decides (see `vehicle.ts`).
 *
 * @module
 */
import { completeHandshake, createHandshake } from '../signing/handshake.js';
import { Signer } from '../signing/signer.js';
import type { SessionCache } from './session-cache.js';
import type { FleetTransport } from './transport.js';
import type { CommandKey } from './types.js';

export interface DomainSessionOptions {
  vin: string;
  domain: 2 | 3;
  key: CommandKey;
  transport: FleetTransport;
  cache?: SessionCache | undefined;
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

  constructor(o: DomainSessionOptions) {
    this.#o = o;
  }

  /** The session in memory, if any. */
  get current(): Signer | undefined {
    return this.#signer;
  }

  /**
   * A ready signer: the one in memory, else the cached one (no request), else a new handshake
   * (one request). Concurrent callers share one handshake.
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
    this.#pending = this.#handshake(signal).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** Forgets `signer` (if it is still the current session) here and in the cache. */
  drop(signer: Signer): void {
    if (signer.encryptsResponses) this.#encrypts = true;
    if (this.#signer !== signer) return;
    this.#signer = undefined;
    this.#cacheChecked = true;
    this.#o.cache?.delete(this.#o.vin, this.#o.domain);
  }

  /** Writes the current session (counter, epoch, clock) to the cache. */
  save(): void {
    const s = this.#signer;
    if (s && this.#o.cache) this.#o.cache.set(this.#o.vin, this.#o.domain, s.export(this.#o.now()));
  }

  async #start(signal: AbortSignal | undefined): Promise<Signer> {
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

  async #handshake(signal: AbortSignal | undefined): Promise<Signer> {
    const { vin, domain, key, transport, now } = this.#o;
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
    this.save();
    return signer;
  }
}
