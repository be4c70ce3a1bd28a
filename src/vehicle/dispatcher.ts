/**
 * The dispatcher: one {@link Vehicle} per VIN over one transport, one command key and one
 * session cache. This is what the MCP tools and the proxy hold (`deps.vehicle(vin).send(...)`).
 *
 * @module
 */
import type { Env } from '../config/paths.js';
import { keyFingerprint } from './pairing.js';
import { openSessionCache, type SessionCache } from './session-cache.js';
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
   * A dispatcher with the session cache the environment names (`TESLA_SESSION_CACHE`, default
   * `CONFIG/sessions.json`, `off` disables), keyed by our public key's fingerprint.
   */
  static async open(
    o: Omit<DispatcherOptions, 'cache'> & { env?: Env; maxCachedVehicles?: number },
  ): Promise<Dispatcher> {
    const { env, maxCachedVehicles, ...rest } = o;
    const cacheOpts: Parameters<typeof openSessionCache>[0] = {
      keyFingerprint: keyFingerprint(o.key.publicKey),
    };
    if (env !== undefined) cacheOpts.env = env;
    if (maxCachedVehicles !== undefined) cacheOpts.maxVehicles = maxCachedVehicles;
    if (o.warn !== undefined) cacheOpts.warn = o.warn;
    const cache = await openSessionCache(cacheOpts);
    return new Dispatcher({ ...rest, cache });
  }

  get key(): CommandKey {
    return this.#o.key;
  }

  get cache(): SessionCache | undefined {
    return this.#o.cache;
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
