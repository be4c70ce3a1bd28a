/**
 * Registry rows for charging, schedules and power-mode commands: the Go proxy's JSON parameters
 * (vehicle-command pkg/proxy/command.go) mapped onto `./charging.ts` and `./schedules.ts`.
 *
 * @module
 */
import * as charging from './charging.js';
import type { FleetCommandName } from './names.js';
import {
  getBool,
  getDays,
  getMinutesAfterMidnight,
  getNumber,
  getPolicy,
  goInt,
  type Params,
} from './params.js';
import { CHARGING, CHARGING_OR_CMDS, info, type Row, rest } from './rows.js';
import * as schedules from './schedules.js';
import type { BuildContext } from './types.js';

/** command.go: `id` 0 (or absent) means "now" in Unix seconds; builders have no clock. */
function idOrNow(p: Params, ctx: BuildContext | undefined): number {
  const id = getNumber(p, 'id', false);
  if (id !== 0) return goInt(id);
  if (ctx?.now === undefined) {
    throw new TypeError(
      'commands: id 0 means "now": pass { now: Date.now() } as the build context',
    );
  }
  return Math.floor(ctx.now / 1000);
}

const locations = (p: Params): schedules.ScheduleLocations => ({
  home: getBool(p, 'home', false),
  work: getBool(p, 'work', false),
  other: getBool(p, 'other', false),
});

export const CHARGING_ROWS = {
  charge_max_range: info(
    'idempotent',
    'Set the charge limit to maximum range.',
    () => charging.chargeMaxRange(),
    CHARGING,
  ),
  charge_port_door_open: info(
    'idempotent',
    'Open the charge port door (or unlatch the cable).',
    () => charging.chargePortDoorOpen(),
    CHARGING_OR_CMDS,
  ),
  charge_port_door_close: info(
    'idempotent',
    'Close the charge port door.',
    () => charging.chargePortDoorClose(),
    CHARGING_OR_CMDS,
  ),
  set_low_power_mode: info('idempotent', 'Turn low power mode on or off.', (p) =>
    charging.setLowPowerMode(getBool(p, 'enable', true)),
  ),
  keep_accessory_power_mode: info(
    'idempotent',
    'Keep accessory power on after leaving the car, or not.',
    (p) => charging.keepAccessoryPowerMode(getBool(p, 'enable', true)),
  ),
  charge_standard: info(
    'idempotent',
    'Set the charge limit back to the standard (daily) level.',
    () => charging.chargeStandard(),
    CHARGING,
  ),
  charge_start: info('idempotent', 'Start charging.', () => charging.chargeStart(), CHARGING),
  charge_stop: info('idempotent', 'Stop charging.', () => charging.chargeStop(), CHARGING),
  set_charging_amps: info(
    'idempotent',
    'Set the charging current in amps (1–80).',
    (p) => charging.setChargingAmps(goInt(getNumber(p, 'charging_amps', true))),
    CHARGING,
  ),
  set_scheduled_charging: info(
    'idempotent',
    'Turn scheduled charging on (time in minutes after midnight) or off.',
    (p) => {
      const on = getBool(p, 'enable', true);
      return charging.setScheduledCharging(on, getMinutesAfterMidnight(p, 'time'));
    },
    CHARGING,
  ),
  set_charge_limit: info(
    'idempotent',
    'Set the charge limit in percent (50–100).',
    (p) => charging.setChargeLimit(goInt(getNumber(p, 'percent', true))),
    CHARGING,
  ),
  set_scheduled_departure: info(
    'idempotent',
    'Set or clear the scheduled departure (preconditioning and off-peak charging).',
    (p) => {
      if (!getBool(p, 'enable', true)) return charging.clearScheduledDeparture();
      const offPeakCharging = getPolicy(
        p,
        'off_peak_charging_enabled',
        'off_peak_charging_weekdays_only',
      );
      const preconditioning = getPolicy(
        p,
        'preconditioning_enabled',
        'preconditioning_weekdays_only',
      );
      const departureMinutes = getMinutesAfterMidnight(p, 'departure_time');
      const offPeakEndMinutes = getMinutesAfterMidnight(p, 'end_off_peak_time');
      return charging.setScheduledDeparture({
        departureMinutes,
        offPeakEndMinutes,
        preconditioning,
        offPeakCharging,
      });
    },
    CHARGING,
  ),
  add_charge_schedule: info(
    'idempotent',
    'Add or replace a charge schedule (days_of_week like "Mon,Tues" or "All"; times in minutes after midnight).',
    (p, ctx) => {
      const latitude = getNumber(p, 'lat', true);
      const longitude = getNumber(p, 'lon', true);
      const startMinutes = goInt(getNumber(p, 'start_time', false));
      const startEnabled = getBool(p, 'start_enabled', true);
      const endMinutes = goInt(getNumber(p, 'end_time', false));
      const endEnabled = getBool(p, 'end_enabled', true);
      const daysOfWeek = getDays(p, 'days_of_week', true);
      const id = idOrNow(p, ctx);
      const enabled = getBool(p, 'enabled', true);
      const oneTime = getBool(p, 'one_time', false);
      return schedules.addChargeSchedule({
        id,
        daysOfWeek,
        latitude,
        longitude,
        startEnabled,
        startMinutes,
        endEnabled,
        endMinutes,
        enabled,
        oneTime,
      });
    },
    CHARGING,
  ),
  add_precondition_schedule: info(
    'idempotent',
    'Add or replace a precondition schedule (days_of_week like "Weekdays"; time in minutes after midnight).',
    (p, ctx) => {
      const latitude = getNumber(p, 'lat', true);
      const longitude = getNumber(p, 'lon', true);
      const preconditionMinutes = goInt(getNumber(p, 'precondition_time', true));
      const oneTime = getBool(p, 'one_time', false);
      const daysOfWeek = getDays(p, 'days_of_week', true);
      const id = idOrNow(p, ctx);
      const enabled = getBool(p, 'enabled', true);
      return schedules.addPreconditionSchedule({
        id,
        daysOfWeek,
        latitude,
        longitude,
        preconditionMinutes,
        enabled,
        oneTime,
      });
    },
    CHARGING,
  ),
  remove_charge_schedule: info(
    'destructive',
    'Remove a charge schedule by id.',
    (p) => schedules.removeChargeSchedule(goInt(getNumber(p, 'id', true))),
    CHARGING,
  ),
  remove_precondition_schedule: info(
    'destructive',
    'Remove a precondition schedule by id.',
    (p) => schedules.removePreconditionSchedule(goInt(getNumber(p, 'id', true))),
    CHARGING,
  ),
  batch_remove_charge_schedules: info(
    'destructive',
    'Remove all charge schedules at home, at work and/or elsewhere.',
    (p) => schedules.batchRemoveChargeSchedules(locations(p)),
    CHARGING,
  ),
  batch_remove_precondition_schedules: info(
    'destructive',
    'Remove all precondition schedules at home, at work and/or elsewhere.',
    (p) => schedules.batchRemovePreconditionSchedules(locations(p)),
    CHARGING,
  ),
  set_managed_charge_current_request: rest(
    'idempotent',
    'rest-api',
    'Set the managed charging current (fleet charging; REST only).',
    CHARGING,
  ),
  set_managed_charger_location: rest(
    'idempotent',
    'rest-api',
    'Set the managed charger location (fleet charging; REST only).',
    CHARGING,
  ),
  set_managed_scheduled_charging_time: rest(
    'idempotent',
    'rest-api',
    'Set the managed scheduled charging time (fleet charging; REST only).',
    CHARGING,
  ),
} satisfies Partial<Record<FleetCommandName, Row>>;
