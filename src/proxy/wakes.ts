/**
 * The proxy's wakes in the shared wake budget. Like Tesla's `tesla-http-proxy`, the proxy never
 * refuses a `wake_up`; but with a state store (the session cache file, or Redis) each one it
 * sends is recorded in the budget every instance on the key shares (`TESLA_WAKE_BUDGET`), so an
 * MCP server on the same key counts the car's wakes from both, not only its own.
 *
 * @module
 */
import type { Env } from '../config/paths.js';
import { parseWakeBudget } from '../fleet/wake.js';
import { normalizeVin } from '../util/vin.js';
import type { StateStore } from '../vehicle/state-store.js';

/** `POST /api/1/vehicles/{vin}/wake_up`, forwarded as it came. */
export const WAKE_PATH = /^\/api\/1\/vehicles\/([^/]+)\/wake_up$/;

const HOUR_MS = 3_600_000;

/** Records wakes of a VIN (never throws, never waits the caller); a no-op without a store. */
export interface WakeCounter {
  count(vin: string): void;
  /** Resolves once every wake counted so far is in the store (or failed). */
  settled(): Promise<void>;
}

export function wakeCounter(
  store: StateStore | undefined,
  env: Env,
  log: (line: string) => void,
): WakeCounter {
  const pending = new Set<Promise<void>>();
  const settled = async () => {
    await Promise.all([...pending]);
  };
  if (!store) return { count: () => {}, settled };
  // The window the MCP servers use; the proxy takes no wake budget of its own (no limit here).
  let windowMs = HOUR_MS;
  try {
    windowMs = parseWakeBudget(env.TESLA_WAKE_BUDGET)?.windowMs ?? HOUR_MS;
  } catch {
    // An unreadable TESLA_WAKE_BUDGET is the MCP server's to refuse; the proxy counts per hour.
  }
  const count = (raw: string) => {
    const vin = normalizeVin(raw);
    if (!vin) return;
    const p = store
      .takeWake(vin, Number.MAX_SAFE_INTEGER, windowMs, Date.now())
      .then(
        () => {},
        (err: unknown) => {
          log(
            `state store: a wake_up of ${vin} is not counted in the shared wake budget (${(err as Error).message})`,
          );
        },
      )
      .finally(() => pending.delete(p));
    pending.add(p);
  };
  return { count, settled };
}
