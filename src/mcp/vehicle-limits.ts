/**
 * What the server already knows about a car's limits, from the last `vehicle_data` it read (per
 * VIN, in memory): `charge_state.charge_current_request_max` (the most current the car takes from
 * this charger) and `climate_state.min_avail_temp` / `max_avail_temp` (Tesla Fleet API docs,
 * "vehicle_data"). A command asking for more than the car will do is reported with the value
 * that will apply; nothing extra is read (and billed) just to check.
 *
 * @module
 */

export interface VehicleLimits {
  chargeAmpsMax?: number;
  tempMinCelsius?: number;
  tempMaxCelsius?: number;
  /** When the values were read (ms since the epoch). */
  at: number;
}

/** What the car will do instead of what was asked, for a command result. */
export interface Clamped {
  /** The parameter values that will apply (Fleet names). */
  applied: Record<string, number>;
  message: string;
}

type Loose = Record<string, unknown>;

function obj(v: unknown): Loose | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export class VehicleLimitsCache {
  readonly #byVin = new Map<string, VehicleLimits>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Keeps the limits a `vehicle_data` answer (raw, before projection) carries. */
  remember(vin: string, data: unknown): void {
    const d = obj(data);
    if (!d) return;
    const prev = this.#byVin.get(vin);
    const next: VehicleLimits = { ...prev, at: this.#now() };
    const amps = num(obj(d.charge_state)?.charge_current_request_max);
    if (amps !== undefined && amps > 0) next.chargeAmpsMax = amps;
    const climate = obj(d.climate_state);
    const lo = num(climate?.min_avail_temp);
    const hi = num(climate?.max_avail_temp);
    if (lo !== undefined && hi !== undefined && lo < hi) {
      next.tempMinCelsius = lo;
      next.tempMaxCelsius = hi;
    }
    this.#byVin.set(vin, next);
  }

  get(vin: string): VehicleLimits | undefined {
    return this.#byVin.get(vin);
  }
}

const within = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * The values the car will apply instead of `params` for `name`, when the cached limits say it
 * clamps them; `undefined` when nothing is known or nothing is out of range.
 */
export function clampedBy(
  name: string,
  params: Readonly<Record<string, unknown>>,
  limits: VehicleLimits | undefined,
): Clamped | undefined {
  if (!limits) return undefined;
  if (name === 'set_charging_amps' && limits.chargeAmpsMax !== undefined) {
    const asked = num(params.charging_amps);
    if (asked === undefined || asked <= limits.chargeAmpsMax) return undefined;
    const max = limits.chargeAmpsMax;
    return {
      applied: { charging_amps: max },
      message: `${asked} A is above this car's maximum of ${max} A here (charge_current_request_max in the last vehicle_data): it charges at ${max} A`,
    };
  }
  if (
    name === 'set_temps' &&
    limits.tempMinCelsius !== undefined &&
    limits.tempMaxCelsius !== undefined
  ) {
    const lo = limits.tempMinCelsius;
    const hi = limits.tempMaxCelsius;
    const applied: Record<string, number> = {};
    const out: string[] = [];
    for (const key of ['driver_temp', 'passenger_temp'] as const) {
      const v = num(params[key]);
      if (v === undefined || (v >= lo && v <= hi)) continue;
      applied[key] = within(v, lo, hi);
      out.push(`${v} °C → ${applied[key]} °C`);
    }
    if (out.length === 0) return undefined;
    return {
      applied,
      message: `outside this car's range of ${lo}–${hi} °C (the last vehicle_data): it uses ${out.join(', ')}`,
    };
  }
  return undefined;
}
