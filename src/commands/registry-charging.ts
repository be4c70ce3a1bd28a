/**
 * Registry rows of toolset `charging`: start/stop, limits, amps, charge port, scheduled charging
 * and departure, charge schedules, mapped onto `./charging.ts`. The Go proxy's JSON parameters
 * (vehicle-command pkg/proxy/command.go) are read by `./params.ts`.
 *
 * @module
 */
import * as charging from './charging.js';
import type { FleetCommandName } from './names.js';
import {
  getBool,
  getDays,
  getLocations,
  getMinutesAfterMidnight,
  getNumber,
  getPolicy,
  getScheduleId,
  goInt,
} from './params.js';
import { CHARGING, CHARGING_OR_CMDS, info, type Row } from './rows.js';

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
      const id = getScheduleId(p, ctx);
      const enabled = getBool(p, 'enabled', true);
      const oneTime = getBool(p, 'one_time', false);
      return charging.addChargeSchedule({
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
  remove_charge_schedule: info(
    'destructive',
    'Remove a charge schedule by id.',
    (p) => charging.removeChargeSchedule(goInt(getNumber(p, 'id', true))),
    CHARGING,
  ),
  batch_remove_charge_schedules: info(
    'destructive',
    'Remove all charge schedules at home, at work and/or elsewhere.',
    (p) => charging.batchRemoveChargeSchedules(getLocations(p)),
    CHARGING,
  ),
} satisfies Partial<Record<FleetCommandName, Row>>;
