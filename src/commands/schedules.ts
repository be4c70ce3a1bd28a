/**
 * Charge and precondition schedule builders (firmware 2024.26+; Tesla prefers them over
 * scheduled charging/departure): add, remove, and remove in batches by location kind.
 *
 * Mirrors vehicle-command pkg/vehicle/charge.go (`AddChargeSchedule`, `RemoveChargeSchedule`,
 * `BatchRemoveChargeSchedules`, and the precondition twins).
 *
 * @module
 */
import { checkBool, checkInt, checkLatitude, checkLongitude, checkMinutes } from './check.js';
import type { Command } from './types.js';
import { infotainment } from './wrap.js';

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

export interface ChargeScheduleInput {
  id: number | bigint;
  /** Bit mask, see {@link checkDaysOfWeek}; `parseDays('Mon,Tues')` turns names into one. */
  daysOfWeek: number;
  latitude: number;
  longitude: number;
  startEnabled: boolean;
  /** Minutes after midnight (0–1439). Default 0. */
  startMinutes?: number;
  endEnabled: boolean;
  /** Minutes after midnight (0–1439). Default 0. */
  endMinutes?: number;
  enabled: boolean;
  oneTime?: boolean;
}

/** `add_charge_schedule` (`ChargeSchedule`; `name` is never set, as upstream). */
export function addChargeSchedule(s: ChargeScheduleInput): Command {
  return infotainment({
    case: 'addChargeScheduleAction',
    value: {
      id: scheduleId(s.id),
      daysOfWeek: checkDaysOfWeek(s.daysOfWeek),
      startEnabled: checkBool('start enabled', s.startEnabled),
      startTime: checkMinutes('start time', s.startMinutes ?? 0),
      endEnabled: checkBool('end enabled', s.endEnabled),
      endTime: checkMinutes('end time', s.endMinutes ?? 0),
      oneTime: checkBool('one time', s.oneTime ?? false),
      enabled: checkBool('enabled', s.enabled),
      latitude: checkLatitude(s.latitude),
      longitude: checkLongitude(s.longitude),
    },
  });
}

/** `remove_charge_schedule`. */
export const removeChargeSchedule = (id: number | bigint): Command =>
  infotainment({ case: 'removeChargeScheduleAction', value: { id: scheduleId(id) } });

export interface PreconditionScheduleInput {
  id: number | bigint;
  daysOfWeek: number;
  latitude: number;
  longitude: number;
  /** Minutes after midnight (0–1439) the cabin should be ready. */
  preconditionMinutes: number;
  enabled: boolean;
  oneTime?: boolean;
}

/** `add_precondition_schedule` (`PreconditionSchedule`; `name` is never set). */
export function addPreconditionSchedule(s: PreconditionScheduleInput): Command {
  return infotainment({
    case: 'addPreconditionScheduleAction',
    value: {
      id: scheduleId(s.id),
      daysOfWeek: checkDaysOfWeek(s.daysOfWeek),
      preconditionTime: checkMinutes('precondition time', s.preconditionMinutes),
      oneTime: checkBool('one time', s.oneTime ?? false),
      enabled: checkBool('enabled', s.enabled),
      latitude: checkLatitude(s.latitude),
      longitude: checkLongitude(s.longitude),
    },
  });
}

/** `remove_precondition_schedule`. */
export const removePreconditionSchedule = (id: number | bigint): Command =>
  infotainment({ case: 'removePreconditionScheduleAction', value: { id: scheduleId(id) } });

/** Which schedules a batch removal deletes: at home, at work, and everywhere else. */
export interface ScheduleLocations {
  home?: boolean;
  work?: boolean;
  other?: boolean;
}

function locations(l: ScheduleLocations): { home: boolean; work: boolean; other: boolean } {
  const home = checkBool('home', l.home ?? false);
  const work = checkBool('work', l.work ?? false);
  const other = checkBool('other', l.other ?? false);
  if (!home && !work && !other) {
    throw new RangeError('batch removal must select at least one of home, work, other');
  }
  return { home, work, other };
}

/** `batch_remove_charge_schedules`. */
export const batchRemoveChargeSchedules = (l: ScheduleLocations): Command =>
  infotainment({ case: 'batchRemoveChargeSchedulesAction', value: locations(l) });

/** `batch_remove_precondition_schedules`. */
export const batchRemovePreconditionSchedules = (l: ScheduleLocations): Command =>
  infotainment({ case: 'batchRemovePreconditionSchedulesAction', value: locations(l) });
