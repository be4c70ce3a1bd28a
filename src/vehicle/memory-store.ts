/**
 * The in-memory {@link StateStore}: one process's state behind the store interface. Vehicles
 * without a store keep their state in memory already (and skip the store round trips); this
 * one is for several dispatchers in one process that share one key, and is the reference the
 * file and Redis stores are tested against.
 *
 * @module
 */
import { bytesToHex } from '../signing/bytes.js';
import type { ExportedSession } from '../signing/signer.js';
import type { DomainNumber, Lease, LeaseOptions, StateStore, WakeTake } from './state-store.js';
import { mergeSession, sessionState, withCounter } from './store-session.js';

/** Counting leases by name, each expiring on its own; waiters wake on release or expiry. */
export class LeaseTable {
  readonly #held = new Map<string, Map<number, number>>();
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #now: () => number;
  #next = 1;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async acquire(name: string, limit: number, o: LeaseOptions): Promise<Lease> {
    for (;;) {
      o.signal?.throwIfAborted();
      const held = this.#prune(name);
      if (held.size < limit) {
        const id = this.#next++;
        held.set(id, this.#now() + o.leaseMs);
        this.#held.set(name, held);
        let released = false;
        return {
          release: async () => {
            if (released) return;
            released = true;
            this.#held.get(name)?.delete(id);
            this.#wake(name);
          },
        };
      }
      const soonest = Math.min(...held.values()) - this.#now();
      await new Promise<void>((resolve, reject) => {
        const set = this.#waiters.get(name) ?? new Set();
        this.#waiters.set(name, set);
        const done = () => {
          clearTimeout(timer);
          set.delete(done);
          o.signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          clearTimeout(timer);
          set.delete(done);
          reject(o.signal?.reason);
        };
        const timer = setTimeout(done, Math.max(1, soonest));
        set.add(done);
        o.signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  }

  #prune(name: string): Map<number, number> {
    const held = this.#held.get(name) ?? new Map<number, number>();
    const now = this.#now();
    for (const [id, until] of held) if (until <= now) held.delete(id);
    return held;
  }

  #wake(name: string): void {
    const first = this.#waiters.get(name)?.values().next().value;
    first?.();
  }
}

export class MemoryStateStore implements StateStore {
  readonly description = 'memory';
  readonly #sessions = new Map<string, ExportedSession>();
  readonly #encrypts = new Set<string>();
  readonly #leases: LeaseTable;
  readonly #wakes = new Map<string, number[]>();
  readonly #billing = new Map<string, number>();

  constructor(o: { now?: () => number } = {}) {
    this.#leases = new LeaseTable(o.now);
  }

  async getSession(vin: string, domain: DomainNumber): Promise<ExportedSession | undefined> {
    const s = this.#sessions.get(`${vin}/${domain}`);
    if (!s) return undefined;
    const out: ExportedSession = { sessionInfo: s.sessionInfo.slice(), exportedAt: s.exportedAt };
    if (s.encryptsResponses || this.#encrypts.has(`${vin}/${domain}`)) out.encryptsResponses = true;
    return out;
  }

  async putSession(vin: string, domain: DomainNumber, session: ExportedSession): Promise<void> {
    const k = `${vin}/${domain}`;
    this.#sessions.set(k, mergeSession(this.#sessions.get(k), session));
    if (session.encryptsResponses) this.#encrypts.add(k);
  }

  async deleteSession(vin: string, domain: DomainNumber, epoch: Uint8Array): Promise<void> {
    const k = `${vin}/${domain}`;
    const s = this.#sessions.get(k);
    if (s && sessionState(s)?.epoch === bytesToHex(epoch)) this.#sessions.delete(k);
  }

  async reserveCounters(
    vin: string,
    domain: DomainNumber,
    epoch: Uint8Array,
    n: number,
    floor: number,
  ): Promise<number | undefined> {
    const k = `${vin}/${domain}`;
    const s = this.#sessions.get(k);
    const st = s && sessionState(s);
    if (!s || !st || st.epoch !== bytesToHex(epoch)) return undefined;
    const first = Math.max(st.counter, floor) + 1;
    this.#sessions.set(k, withCounter(s, first + n - 1));
    return first;
  }

  async setEncryptsResponses(vin: string, domain: DomainNumber): Promise<void> {
    this.#encrypts.add(`${vin}/${domain}`);
  }

  async encryptsResponses(vin: string, domain: DomainNumber): Promise<boolean> {
    return this.#encrypts.has(`${vin}/${domain}`);
  }

  lockVcsec(vin: string, o: LeaseOptions): Promise<Lease> {
    return this.#leases.acquire(`vcsec/${vin}`, 1, o);
  }

  acquireSlot(vin: string, limit: number, o: LeaseOptions): Promise<Lease> {
    return this.#leases.acquire(`slots/${vin}`, limit, o);
  }

  lockHandshake(vin: string, domain: DomainNumber, o: LeaseOptions): Promise<Lease> {
    return this.#leases.acquire(`handshake/${vin}/${domain}`, 1, o);
  }

  async takeWake(vin: string, limit: number, windowMs: number, now: number): Promise<WakeTake> {
    const hits = (this.#wakes.get(vin) ?? []).filter((t) => now - t < windowMs);
    this.#wakes.set(vin, hits);
    if (hits.length >= limit) {
      const oldest = hits[0] ?? now;
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)),
      };
    }
    hits.push(now);
    return { ok: true };
  }

  async countBilling(name: string, n: number): Promise<void> {
    this.#billing.set(name, (this.#billing.get(name) ?? 0) + n);
  }

  async billing(): Promise<Record<string, number>> {
    return Object.fromEntries(this.#billing);
  }

  async close(): Promise<void> {}
}
