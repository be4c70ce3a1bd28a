/**
 * What the server already knows about a car's limits, from the last `vehicle_data` it read (per
 * VIN, in memory): `charge_state.charge_current_request_max` (the most current the car takes from
 * this charger) and `climate_state.min_avail_temp` / `max_avail_temp` (Tesla Fleet API docs,
 * "vehicle_data"). Before any `vehicle_data` of a car, its model from the VIN gives the charging
 * current bound ({@link modelLimits}). A command asking for more than the car will do is reported
 * with the value that will apply; nothing extra is read (and billed) just to check.
 *
 * @module
 */
import { isVin } from '../util/vin.js';

export interface VehicleLimits {
  chargeAmpsMax?: number;
  /** Where `chargeAmpsMax` comes from, for the result's sentence (default: the last vehicle_data). */
  chargeAmpsFrom?: string;
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

/**
 * The model year a VIN's 10th character codes (ISO 3779: letters without I, O, Q, U, Z from
 * 2010, then digits from 2031; Tesla's S, 3, X and Y start in 2012).
 */
function modelYear(vin: string): number | undefined {
  const c = vin[9] ?? '';
  const letters = 'ABCDEFGHJKLMNPRSTVWXY';
  const i = letters.indexOf(c);
  if (i >= 0) return 2010 + i;
  return /^[1-9]$/.test(c) ? 2030 + Number(c) : undefined;
}

/**
 * What a car's model tells before any `vehicle_data`: the most AC current its onboard charger
 * takes, from Tesla's "Onboard Charger" support page (tesla.com/support/charging/onboard-charger:
 * Model S, Model X, Model Y and Model 3 Long Range / Performance 48 A, Model 3 Rear-Wheel Drive
 * 32 A). The VIN's 4th character is the model; a Model 3's trim is not in it, so 48 A is its
 * bound. Model S and X built before 2021 could take up to 72 A, so their VIN gives no bound.
 * The temperature range needs no model: every Tesla's is 15–28 °C, which the tool's schema holds.
 */
export function modelLimits(vin: string): VehicleLimits | undefined {
  if (!isVin(vin)) return undefined;
  const model = vin[3];
  const year = modelYear(vin);
  const current =
    model === '3' || model === 'Y' || ((model === 'S' || model === 'X') && (year ?? 0) >= 2021);
  if (!current) return undefined;
  return {
    at: 0,
    chargeAmpsMax: 48,
    chargeAmpsFrom: `the onboard charger of a Model ${model}, per Tesla's Onboard Charger page`,
  };
}

/** The cached limits of `vin`, with what its model tells for the fields no vehicle_data gave. */
export function knownLimits(
  vin: string,
  cached: VehicleLimits | undefined,
): VehicleLimits | undefined {
  const byModel = modelLimits(vin);
  if (!byModel) return cached;
  if (!cached) return byModel;
  // A vehicle_data answer knows better than the model (the charger in use may take less).
  if (cached.chargeAmpsMax !== undefined) return cached;
  return { ...byModel, ...cached };
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
      message: `${asked} A is above this car's maximum of ${max} A here (${limits.chargeAmpsFrom ?? 'charge_current_request_max in the last vehicle_data'}): it charges at ${max} A`,
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
