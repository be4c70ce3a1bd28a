/**
 * Tesla's per-vehicle rate limits (data 60/min, commands 30/min, wakes 3/min; 429 with
 * Retry-After) and request counting per endpoint and billing category. Billing follows Tesla's
 * "Billing and Limits" page: every answer below 500 is billable, 408 and 429 included.
 *
 * @module
 */

export type BillingCategory = 'data' | 'commands' | 'wakes';

export const RATE_LIMITS: Record<BillingCategory, number> = { data: 60, commands: 30, wakes: 3 };
const WINDOW_MS = 60_000;

/** A sliding one-minute window per (subject, category). */
export class RateLimiter {
  readonly #now: () => number;
  readonly #hits = new Map<string, number[]>();
  readonly limits: Record<BillingCategory, number>;

  constructor(now: () => number, limits: Partial<Record<BillingCategory, number>> = {}) {
    this.#now = now;
    this.limits = { ...RATE_LIMITS, ...limits };
  }

  /** Records a request, or returns the seconds to wait when the window is full. */
  take(
    subject: string,
    category: BillingCategory,
  ): { ok: true } | { ok: false; retryAfter: number } {
    const now = this.#now();
    const key = `${subject} ${category}`;
    const hits = (this.#hits.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (hits.length >= this.limits[category]) {
      this.#hits.set(key, hits);
      const oldest = hits[0] ?? now;
      return { ok: false, retryAfter: Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)) };
    }
    hits.push(now);
    this.#hits.set(key, hits);
    return { ok: true };
  }

  reset(): void {
    this.#hits.clear();
  }
}

export interface RequestCounts {
  /** Every request, by endpoint (`GET vehicle_data`, `POST signed_command`, ...). */
  byEndpoint: Record<string, number>;
  /** Billable requests (status < 500) by category. */
  billable: Record<BillingCategory, number>;
  /** Requests by HTTP status. */
  byStatus: Record<string, number>;
  total: number;
}

/** Counts requests for tests and benchmarks. */
export class RequestCounter {
  #c: RequestCounts = RequestCounter.#empty();

  static #empty(): RequestCounts {
    return { byEndpoint: {}, billable: { data: 0, commands: 0, wakes: 0 }, byStatus: {}, total: 0 };
  }

  record(endpoint: string, category: BillingCategory, status: number): void {
    const c = this.#c;
    c.total += 1;
    c.byEndpoint[endpoint] = (c.byEndpoint[endpoint] ?? 0) + 1;
    c.byStatus[String(status)] = (c.byStatus[String(status)] ?? 0) + 1;
    if (status > 0 && status < 500) c.billable[category] += 1;
  }

  /** A copy of the counts so far. */
  snapshot(): RequestCounts {
    return structuredClone(this.#c);
  }

  reset(): void {
    this.#c = RequestCounter.#empty();
  }
}

/** Tesla's prices (USD per request) for a rough bill in the status page and benchmarks. */
export const PRICE_USD: Record<BillingCategory, number> = {
  data: 1 / 500,
  commands: 1 / 1000,
  wakes: 1 / 50,
};
