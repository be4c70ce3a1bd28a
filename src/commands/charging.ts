/**
 * Charging builders (toolset `charging`): start/stop, limit, amps, charge port, scheduled
 * charging and departure, and charge schedules (firmware 2024.26+; Tesla prefers them over
 * scheduled charging/departure): add, remove, and remove in batches by location kind.
 *
 * Mirrors vehicle-command pkg/vehicle/charge.go (`AddChargeSchedule`, `RemoveChargeSchedule`,
 * `BatchRemoveChargeSchedules`, and `ChargePortOpen`/`ChargePortClose` of
 * pkg/vehicle/actions.go).
 *
 * @module
 */
import {
  checkBool,
  checkDaysOfWeek,
  checkInt,
  checkLatitude,
  checkLocations,
  checkLongitude,
  checkMinutes,
  checkOneOf,
  type ScheduleLocations,
  scheduleId,
} from './check.js';
import type { Command } from './types.js';
import { infotainment } from './wrap.js';

export const MIN_CHARGE_LIMIT_PERCENT = 50;
export const MAX_CHARGE_LIMIT_PERCENT = 100;
export const MIN_CHARGING_AMPS = 1;
/** The highest current any Tesla onboard charger draws (Cybertruck / Wall Connector at 80 A). */
export const MAX_CHARGING_AMPS = 80;

/** When a departure-schedule feature applies (vehicle-command `ChargingPolicy`). */
export const CHARGING_POLICIES = ['off', 'all_week', 'weekdays'] as const;
export type ChargingPolicy = (typeof CHARGING_POLICIES)[number];

/** `charge_start`. */
export const chargeStart = (): Command =>
  infotainment({
    case: 'chargingStartStopAction',
    value: { chargingAction: { case: 'start', value: {} } },
  });

/** `charge_stop`. */
export const chargeStop = (): Command =>
  infotainment({
    case: 'chargingStartStopAction',
    value: { chargingAction: { case: 'stop', value: {} } },
  });

/** `charge_standard`: charge limit back to the standard (daily) setting. */
export const chargeStandard = (): Command =>
  infotainment({
    case: 'chargingStartStopAction',
    value: { chargingAction: { case: 'startStandard', value: {} } },
  });

/** `charge_max_range`: charge limit to maximum range. */
export const chargeMaxRange = (): Command =>
  infotainment({
    case: 'chargingStartStopAction',
    value: { chargingAction: { case: 'startMaxRange', value: {} } },
  });

/** `set_charge_limit`: percent, 50–100. */
export function setChargeLimit(percent: number): Command {
  checkInt('charge limit', percent, MIN_CHARGE_LIMIT_PERCENT, MAX_CHARGE_LIMIT_PERCENT, 'percent');
  return infotainment({ case: 'chargingSetLimitAction', value: { percent } });
}

/** `set_charging_amps`: the AC charging current in amps, 1–80. */
export function setChargingAmps(amps: number): Command {
  checkInt('charging current', amps, MIN_CHARGING_AMPS, MAX_CHARGING_AMPS, 'amps');
  return infotainment({ case: 'setChargingAmpsAction', value: { chargingAmps: amps } });
}

/** `charge_port_door_open`. */
export const chargePortDoorOpen = (): Command =>
  infotainment({ case: 'chargePortDoorOpen', value: {} });

/** `charge_port_door_close`. */
export const chargePortDoorClose = (): Command =>
  infotainment({ case: 'chargePortDoorClose', value: {} });

/** `set_scheduled_charging`: start charging at a time of day (minutes after midnight). */
export function setScheduledCharging(enabled: boolean, minutesAfterMidnight = 0): Command {
  checkBool('scheduled charging enabled', enabled);
  checkMinutes('scheduled charging time', minutesAfterMidnight);
  return infotainment({
    case: 'scheduledChargingAction',
    value: { enabled, chargingTime: minutesAfterMidnight },
  });
}

export interface ScheduledDeparture {
  /** Departure time, minutes after midnight (0–1440). */
  departureMinutes: number;
  /** End of off-peak hours, minutes after midnight (0–1440). Default 0. */
  offPeakEndMinutes?: number;
  /** Precondition the cabin for departure. Default off. */
  preconditioning?: ChargingPolicy;
  /** Charge during off-peak hours. Default off. */
  offPeakCharging?: ChargingPolicy;
}

/** The `times` oneof of `PreconditioningTimes` / `OffPeakChargingTimes`; off = message absent. */
function times(
  what: string,
  policy: ChargingPolicy,
): { times: { case: 'allWeek' | 'weekdays'; value: Record<string, never> } } | undefined {
  checkOneOf(what, policy, CHARGING_POLICIES);
  if (policy === 'all_week') return { times: { case: 'allWeek', value: {} } };
  if (policy === 'weekdays') return { times: { case: 'weekdays', value: {} } };
  return undefined;
}

/** `set_scheduled_departure` with `enable: true` (`ScheduleDeparture`). */
export function setScheduledDeparture(d: ScheduledDeparture): Command {
  const departureTime = checkMinutes('departure time', d.departureMinutes, 1440);
  const offPeakEnd = checkMinutes('off-peak end time', d.offPeakEndMinutes ?? 0, 1440);
  const pre = times('preconditioning policy', d.preconditioning ?? 'off');
  const offPeak = times('off-peak charging policy', d.offPeakCharging ?? 'off');
  return infotainment({
    case: 'scheduledDepartureAction',
    value: {
      enabled: true,
      departureTime,
      offPeakHoursEndTime: offPeakEnd,
      ...(pre ? { preconditioningTimes: pre } : {}),
      ...(offPeak ? { offPeakChargingTimes: offPeak } : {}),
    },
  });
}

/** `set_scheduled_departure` with `enable: false` (`ClearScheduledDeparture`): only `enabled=false`. */
export const clearScheduledDeparture = (): Command =>
  infotainment({ case: 'scheduledDepartureAction', value: { enabled: false } });

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

/** `batch_remove_charge_schedules`. */
export const batchRemoveChargeSchedules = (l: ScheduleLocations): Command =>
  infotainment({ case: 'batchRemoveChargeSchedulesAction', value: checkLocations(l) });
