/**
 * What recent calls told about each vehicle's state, so `wake_up` costs no call it need not
 * make: a state seen in the last {@link FRESH_MS} (a list, a state read, data, a command the car
 * answered, or an "asleep" answer) is trusted, so an online car gets no wake and a car that a
 * call just found asleep is woken without reading its state again; otherwise one
 * `GET /api/1/vehicles/{vin}` (a data request, the cheapest; it never wakes the car) decides.
 * Tesla bills wakes at 50 times a data request and allows 3 per minute (Fleet API "Billing and
 * Limits"). One wake per VIN at a time: a second `wake_up` while one is under way waits for it
 * instead of sending another.
 *
 * @module
 */
import type { VehicleSummary } from '../vehicle/transport.js';

type State = VehicleSummary['state'];

/**
 * How long a seen state stays trusted. A car stays awake for minutes after it answered (it
 * needs several idle minutes before it sleeps), so 30 s is on the safe side.
 */
export const FRESH_MS = 30_000;

export class VehicleStates {
  readonly #seen = new Map<string, { state: State; at: number }>();
  readonly #inflight = new Map<string, Promise<unknown>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Records a state a Fleet answer told. */
  note(vin: string, state: State): void {
    this.#seen.set(vin, { state, at: this.#now() });
  }

  /** The state seen in the last {@link FRESH_MS}, if any. */
  recent(vin: string): State | undefined {
    const s = this.#seen.get(vin);
    return s && this.#now() - s.at < FRESH_MS ? s.state : undefined;
  }

  /** Runs `fn` for `vin` unless a run is under way, whose result is then shared. */
  single<T>(vin: string, fn: () => Promise<T>): Promise<T> {
    const running = this.#inflight.get(vin);
    if (running) return running as Promise<T>;
    const p = fn().finally(() => this.#inflight.delete(vin));
    this.#inflight.set(vin, p);
    return p;
  }
}
