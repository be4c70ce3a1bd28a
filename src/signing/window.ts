/**
 * The per-request anti-replay window for response counters (vehicle-command
 * internal/authentication/window.go): a 64-bit mask where bit i means counter−(i+1) was seen.
 * BigInt, masked to 64 bits; shifts of 64 or more clear the mask (JS shifts do not saturate).
 *
 * @module
 */

const MASK64 = (1n << 64n) - 1n;
/** Counters more than this far below the newest are refused. */
export const WINDOW_SIZE = 32;

export interface WindowState {
  counter: number;
  window: bigint;
}

/**
 * Tries to accept `next` given the newest counter and mask. Returns the new state, or
 * `undefined` when `next` is a replay or too old.
 */
export function slideWindow(state: WindowState, next: number): WindowState | undefined {
  const { counter, window } = state;
  if (next === counter) return undefined;
  if (next < counter) {
    const age = counter - next;
    if (age > WINDOW_SIZE) return undefined;
    const bit = 1n << BigInt(age - 1);
    if ((window & bit) !== 0n) return undefined;
    return { counter, window: window | bit };
  }
  const shift = next - counter;
  let w = shift >= 64 ? 0n : (window << BigInt(shift)) & MASK64;
  if (shift - 1 < 64) w |= 1n << BigInt(shift - 1);
  return { counter: next, window: w };
}

/** Tracks the counters of the responses to one request; the first one is always accepted. */
export class ResponseWindow {
  #state: WindowState | undefined;

  accept(counter: number): boolean {
    if (this.#state === undefined) {
      this.#state = { counter, window: 0n };
      return true;
    }
    const next = slideWindow(this.#state, counter);
    if (!next) return false;
    this.#state = next;
    return true;
  }
}
