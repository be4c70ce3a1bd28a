/**
 * The dispatcher: one {@link Vehicle} per VIN over one transport, one command key and one
 * session cache. This is what the MCP tools and the proxy hold (`deps.vehicle(vin).send(...)`).
 *
 * @module
 */
import { configPaths, type Env } from '../config/paths.js';
import { FileStateStore } from './file-store.js';
import { keyFingerprint } from './pairing.js';
import type { SessionCache } from './session-cache.js';
import type { StateStore } from './state-store.js';
import type { CommandKey } from './types.js';
import { Vehicle, type VehicleOptions } from './vehicle.js';

export type DispatcherOptions = Omit<VehicleOptions, 'vin'> & {
  /** Vehicles kept in memory at most (least recently used go first, sessions saved). */
  maxVehicles?: number;
};

/** As many VINs as Tesla's proxy caches. */
export const DEFAULT_MAX_VEHICLES = 10_000;

export class Dispatcher {
  readonly #o: DispatcherOptions;
  readonly #vehicles = new Map<string, Vehicle>();

  constructor(o: DispatcherOptions) {
    this.#o = o;
  }

  /**
   * A dispatcher on `o.store` when given (Redis), else on the file store at the session cache
   * the environment names (`TESLA_SESSION_CACHE`, default `CONFIG/sessions.json`, keyed by our
   * public key's fingerprint), which processes on one machine share safely; `off` keeps
   * everything in this process.
   */
  static async open(
    o: Omit<DispatcherOptions, 'cache'> & { env?: Env; maxCachedVehicles?: number },
  ): Promise<Dispatcher> {
    const { env, maxCachedVehicles, ...rest } = o;
    if (o.store) return new Dispatcher(rest);
    const path = configPaths(env ?? process.env).sessionCache;
    if (path.trim().toLowerCase() === 'off') return new Dispatcher(rest);
    const store = new FileStateStore({
      path,
      keyFingerprint: keyFingerprint(o.key.publicKey),
      ...(maxCachedVehicles !== undefined ? { maxVehicles: maxCachedVehicles } : {}),
      ...(o.warn !== undefined ? { warn: o.warn } : {}),
    });
    return new Dispatcher({ ...rest, store });
  }

  get key(): CommandKey {
    return this.#o.key;
  }

  get cache(): SessionCache | undefined {
    return this.#o.cache;
  }

  /** The shared state store, if any (the file store by default from {@link Dispatcher.open}). */
  get store(): StateStore | undefined {
    return this.#o.store;
  }

  /** The vehicle for `vin` (created on first use; its sessions live as long as the dispatcher). */
  vehicle(vin: string): Vehicle {
    if (typeof vin !== 'string' || vin.trim() === '') {
      throw new TypeError('vehicle: a VIN is required');
    }
    let v = this.#vehicles.get(vin);
    if (v) {
      // Refresh its place in the least-recently-used order.
      this.#vehicles.delete(vin);
    } else {
      v = new Vehicle({ ...this.#o, vin });
      const max = this.#o.maxVehicles ?? DEFAULT_MAX_VEHICLES;
      while (this.#vehicles.size >= max) {
        const [oldVin, old] = this.#vehicles.entries().next().value as [string, Vehicle];
        old.save();
        this.#vehicles.delete(oldVin);
      }
    }
    this.#vehicles.set(vin, v);
    return v;
  }

  /** Writes every session to the cache and waits for the write. */
  async close(): Promise<void> {
    for (const v of this.#vehicles.values()) v.save();
    await this.#o.cache?.flush();
  }
}
