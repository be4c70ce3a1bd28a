/**
 * Wake management: a per-vehicle wake budget (`TESLA_WAKE_BUDGET`, default `6/h`) that refuses
 * before any request when spent, and {@link wakeAndWait}: one `wake_up`, then polls of
 * `GET /api/1/vehicles/{vin}` (billed as data) with backoff 2, 4, 8, 15, 15... s and a bounded
 * count until the car is online or the deadline passes. Reads never wake the car.
 *
 * @module
 */
import type { FleetTransport, VehicleSummary } from '../vehicle/transport.js';
import { FleetConfigError, WakeBudgetError } from './errors.js';

/** Takes one wake of `vin` from a budget shared by several instances (a state store's `takeWake`). */
export type SharedWakes = (
  vin: string,
  limit: number,
  windowMs: number,
  now: number,
) => Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }>;

export interface WakeBudgetSpec {
  count: number;
  windowMs: number;
  text: string;
}

const UNITS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `6/h`, `2/m`, `20/d`, `0/h` (never wake), or `unlimited`. */
export function parseWakeBudget(raw: string | undefined): WakeBudgetSpec | undefined {
  const text = (raw ?? '6/h').trim();
  if (/^(unlimited|off|none)$/i.test(text)) return undefined;
  const m = /^(\d+)\s*\/\s*(s|m|min|h|d)$/i.exec(text);
  if (!m?.[1] || !m[2]) {
    throw new FleetConfigError(
      `fleet: TESLA_WAKE_BUDGET '${raw}' is not understood: expected a count per period such as 6/h, 2/m, 20/d, or unlimited`,
    );
  }
  return { count: Number(m[1]), windowMs: UNITS[m[2].toLowerCase()] ?? 3_600_000, text };
}

/** Sliding-window wake counter per VIN. */
export class WakeBudget {
  readonly #spec: WakeBudgetSpec | undefined;
  readonly #now: () => number;
  readonly #wakes = new Map<string, number[]>();

  constructor(spec: WakeBudgetSpec | undefined, now: () => number = Date.now) {
    this.#spec = spec;
    this.#now = now;
  }

  /** Takes one wake for `vin` or throws {@link WakeBudgetError} (nothing is sent). */
  take(vin: string): void {
    const spec = this.#spec;
    if (!spec) return;
    const now = this.#now();
    const recent = (this.#wakes.get(vin) ?? []).filter((t) => now - t < spec.windowMs);
    if (recent.length >= spec.count) {
      const oldest = recent[0] ?? now;
      const after = spec.count === 0 ? spec.windowMs : oldest + spec.windowMs - now;
      throw new WakeBudgetError(spec.text, Math.max(1, Math.ceil(after / 1000)));
    }
    recent.push(now);
    this.#wakes.set(vin, recent);
  }

  /**
   * The same rule on the budget every instance shares (`--redis`: the state store keeps the
   * wake times), so N instances do not wake a car N times as often. Throws like {@link take}.
   */
  async takeShared(vin: string, shared: SharedWakes): Promise<void> {
    const spec = this.#spec;
    if (!spec) return;
    if (spec.count === 0) {
      throw new WakeBudgetError(spec.text, Math.max(1, Math.ceil(spec.windowMs / 1000)));
    }
    const r = await shared(vin, spec.count, spec.windowMs, this.#now());
    if (!r.ok) throw new WakeBudgetError(spec.text, r.retryAfterSeconds);
  }

  /** Wakes left for `vin` in the current window (Infinity when unlimited). */
  remaining(vin: string): number {
    const spec = this.#spec;
    if (!spec) return Number.POSITIVE_INFINITY;
    const now = this.#now();
    return spec.count - (this.#wakes.get(vin) ?? []).filter((t) => now - t < spec.windowMs).length;
  }
}

export interface WakeResult {
  vin: string;
  state: VehicleSummary['state'];
  elapsedSeconds: number;
  polls: number;
}

export interface WakeAndWaitOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  onPoll?: ((state: string, ms: number) => void) | undefined;
  /** At most this many polls (default 12). */
  maxPolls?: number | undefined;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** wake_up once, then poll the vehicle's state with backoff until online, the deadline or the poll bound. */
export async function wakeAndWait(
  fleet: Pick<FleetTransport, 'wakeUp' | 'vehicle'>,
  vin: string,
  o: WakeAndWaitOptions,
  sleep: Sleep = defaultSleep,
  now: () => number = Date.now,
): Promise<WakeResult> {
  const start = now();
  const maxPolls = o.maxPolls ?? 12;
  let polls = 0;
  let state = (await fleet.wakeUp(vin, o.signal)).state;
  let delay = 2000;
  while (state !== 'online' && polls < maxPolls) {
    const left = o.timeoutMs - (now() - start);
    if (left <= 0) break;
    await sleep(Math.min(delay, left), o.signal);
    delay = Math.min(delay * 2, 15_000);
    state = (await fleet.vehicle(vin, o.signal)).state;
    polls++;
    o.onPoll?.(state, now() - start);
  }
  return { vin, state, elapsedSeconds: Math.round((now() - start) / 1000), polls };
}
