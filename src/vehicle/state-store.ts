/**
 * The state store seam: what several signers holding one command key must share so that they
 * never reuse a counter and do not each pay for a handshake (protocol.md "Authorizing commands":
 * the vehicle keeps one sliding window of counters per client key and domain, whoever signs).
 *
 * Without a store the vehicle layer keeps everything in the process, as Tesla's Go proxy does
 * (vehicle-command internal/dispatcher): fast, and right as long as one process signs. With a
 * store (`file-store.ts` for one machine, `redis-store.ts` for several) every instance:
 *
 * - reserves each counter from the store ({@link StateStore.reserveCounters}), so two instances
 *   never sign with the same one, and re-reads the session when another instance replaced it;
 * - takes the per-VIN VCSEC lock (VCSEC wants counters in order) and one of the Infotainment
 *   in-flight slots (fewer than 32: the vehicle refuses counters more than 32 behind the newest)
 *   from the store, as leases that expire, so a crashed instance never blocks a car for longer;
 * - handshakes under the per-VIN/domain handshake lease; the others wait and reuse the result.
 *
 * A store never holds a session key: sessions are the vehicle's public session info (epoch,
 * counter, clock), and the key is re-derived from the command key, as the disk cache does.
 *
 * @module
 */
import type { ExportedSession } from '../signing/signer.js';

export type DomainNumber = 2 | 3;

/** A held lease (lock or slot); `release` is idempotent and never throws for an expired one. */
export interface Lease {
  release(): Promise<void>;
}

export interface LeaseOptions {
  /** The lease expires this long after it was taken (a crashed holder frees it then). */
  leaseMs: number;
  /** Stops waiting (the caller's deadline); the wait then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** A wake taken from the shared budget, or the seconds until the next one is allowed. */
export type WakeTake = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface StateStore {
  /** A short name for messages and logs (`file /path`, `redis host:port`); never a secret. */
  readonly description: string;

  /** The session shared for `vin` and `domain` (with the highest counter reserved so far). */
  getSession(vin: string, domain: DomainNumber): Promise<ExportedSession | undefined>;
  /**
   * Records a session learned from the vehicle (a handshake, or authentic session info a fault
   * carried). Within the stored epoch the counter never goes down.
   */
  putSession(vin: string, domain: DomainNumber, session: ExportedSession): Promise<void>;
  /** Forgets the session, but only while the store still holds `epoch` (compare-and-delete). */
  deleteSession(vin: string, domain: DomainNumber, epoch: Uint8Array): Promise<void>;
  /**
   * Reserves `n` consecutive counters above both the stored counter and `floor`, for the stored
   * session of `epoch`; returns the first. `undefined` when the store holds no session of that
   * epoch (another instance replaced it: read it again with {@link getSession}).
   */
  reserveCounters(
    vin: string,
    domain: DomainNumber,
    epoch: Uint8Array,
    n: number,
    floor: number,
  ): Promise<number | undefined>;
  /** Records that the domain answers encrypted; it outlives every session of the VIN. */
  setEncryptsResponses(vin: string, domain: DomainNumber): Promise<void>;
  /** Whether the domain has answered encrypted (to any instance), with or without a session. */
  encryptsResponses(vin: string, domain: DomainNumber): Promise<boolean>;

  /** The per-VIN VCSEC lock: one holder at a time across every instance. */
  lockVcsec(vin: string, o: LeaseOptions): Promise<Lease>;
  /** One of `limit` Infotainment in-flight slots of `vin`, across every instance. */
  acquireSlot(vin: string, limit: number, o: LeaseOptions): Promise<Lease>;
  /** The handshake lease: the holder handshakes, the others wait for it and reuse its session. */
  lockHandshake(vin: string, domain: DomainNumber, o: LeaseOptions): Promise<Lease>;

  /** Takes one wake of `vin` from a budget of `limit` wakes per `windowMs`. */
  takeWake(vin: string, limit: number, windowMs: number, now: number): Promise<WakeTake>;
  /** Adds to a shared billing counter (`data`, `command`, `wake`, by endpoint). */
  countBilling(name: string, n: number): Promise<void>;
  /** Every billing counter so far. */
  billing(): Promise<Record<string, number>>;

  /** Releases what this instance holds and closes connections. */
  close(): Promise<void>;
}

/** The store failed (unreachable, lost mid-run): nothing was sent for this command. */
export class StateStoreError extends Error {
  override readonly name = 'StateStoreError';
  readonly code = 'state_unavailable';
  readonly retryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
