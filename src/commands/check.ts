/**
 * Range checks shared by the builders. Every failure is a `RangeError` whose message says what
 * was expected and what was got ("charge limit must be 50–100 percent, got 30"), so the library
 * is safe to call without a schema validator in front of it.
 *
 * @module
 */

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

const span = (min: number, max: number, unit: string): string =>
  `${min}–${max}${unit ? ` ${unit}` : ''}`;

/** A finite number in [min, max]. */
export function checkNumber(what: string, v: number, min: number, max: number, unit = ''): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new RangeError(`${what} must be ${span(min, max, unit)}, got ${show(v)}`);
  }
  return v;
}

/** An integer in [min, max]. */
export function checkInt(what: string, v: number, min: number, max: number, unit = ''): number {
  checkNumber(what, v, min, max, unit);
  if (!Number.isInteger(v)) {
    throw new RangeError(`${what} must be a whole number ${span(min, max, unit)}, got ${show(v)}`);
  }
  return v;
}

/** A boolean (for JavaScript callers without types). */
export function checkBool(what: string, v: boolean): boolean {
  if (typeof v !== 'boolean') throw new RangeError(`${what} must be true or false, got ${show(v)}`);
  return v;
}

/** One of a fixed set of strings. */
export function checkOneOf<T extends string>(what: string, v: T, allowed: readonly T[]): T {
  if (!allowed.includes(v)) {
    throw new RangeError(`${what} must be one of ${allowed.join(', ')}, got ${show(v)}`);
  }
  return v;
}

/** A four-digit PIN (vehicle-command `IsValidPIN`). The PIN itself is never echoed. */
export function checkPin(what: string, pin: string): string {
  if (typeof pin !== 'string' || !/^[0-9]{4}$/.test(pin)) {
    throw new RangeError(`${what} must be four digits`);
  }
  return pin;
}

/** A string of 1..max characters. */
export function checkText(what: string, v: string, max: number): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) {
    const got = typeof v === 'string' ? `${v.length} characters` : show(v);
    throw new RangeError(`${what} must be 1–${max} characters, got ${got}`);
  }
  return v;
}

/** Latitude in degrees. */
export const checkLatitude = (v: number): number => checkNumber('latitude', v, -90, 90, 'degrees');

/** Longitude in degrees. */
export const checkLongitude = (v: number): number =>
  checkNumber('longitude', v, -180, 180, 'degrees');

/** Minutes after local midnight, 0–1439 (1440 allowed where upstream allows a full day). */
export const checkMinutes = (what: string, v: number, max = 1439): number =>
  checkInt(what, v, 0, max, 'minutes after midnight');

const MAX_U64 = (1n << 64n) - 1n;

/** A schedule id: an integer ≥ 1 (upstream uses the creation time in Unix seconds). */
export function scheduleId(id: number | bigint): bigint {
  if (typeof id === 'bigint') {
    if (id >= 1n && id <= MAX_U64) return id;
  } else if (Number.isSafeInteger(id) && id >= 1) {
    return BigInt(id);
  }
  throw new RangeError(
    `schedule id must be a whole number ≥ 1 (the REST API's 0 means "now": pass the current Unix time in seconds), got ${String(id)}`,
  );
}

/** A `days_of_week` bit mask: Sunday = 1, Monday = 2 … Saturday = 64; all week = 127. */
export const checkDaysOfWeek = (mask: number): number =>
  checkInt('days of week mask', mask, 1, 127, '(Sunday = 1 … Saturday = 64)');

/** Which schedules a batch removal deletes: at home, at work, and everywhere else. */
export interface ScheduleLocations {
  home?: boolean;
  work?: boolean;
  other?: boolean;
}

/** The locations of a batch removal: at least one selected. */
export function checkLocations(l: ScheduleLocations): {
  home: boolean;
  work: boolean;
  other: boolean;
} {
  const home = checkBool('home', l.home ?? false);
  const work = checkBool('work', l.work ?? false);
  const other = checkBool('other', l.other ?? false);
  if (!home && !work && !other) {
    throw new RangeError('batch removal must select at least one of home, work, other');
  }
  return { home, work, other };
}
