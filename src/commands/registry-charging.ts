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
import { info, type Row } from './rows.js';
import { CHARGING_CMDS, CHARGING_OR_VEHICLE_CMDS } from './scopes.js';

export const CHARGING_ROWS = {
  charge_max_range: info(
    'idempotent',
    'Set the charge limit to 100% for a trip; use sparingly (battery wear).',
    () => charging.chargeMaxRange(),
    CHARGING_CMDS,
  ),
  charge_port_door_open: info(
    'idempotent',
    'Open the charge port door (also unlatches a connected cable).',
    () => charging.chargePortDoorOpen(),
    CHARGING_OR_VEHICLE_CMDS,
  ),
  charge_port_door_close: info(
    'idempotent',
    'Close the charge port door.',
    () => charging.chargePortDoorClose(),
    CHARGING_OR_VEHICLE_CMDS,
  ),
  charge_standard: info(
    'idempotent',
    'Set the charge limit to the standard (daily) value.',
    () => charging.chargeStandard(),
    CHARGING_CMDS,
  ),
  charge_start: info(
    'idempotent',
    'Start charging (the cable must be plugged in).',
    () => charging.chargeStart(),
    CHARGING_CMDS,
  ),
  charge_stop: info('idempotent', 'Stop charging.', () => charging.chargeStop(), CHARGING_CMDS),
  set_charging_amps: info(
    'idempotent',
    'Set the AC charging current in amps.',
    (p) => charging.setChargingAmps(goInt(getNumber(p, 'charging_amps', true))),
    CHARGING_CMDS,
  ),
  set_scheduled_charging: info(
    'idempotent',
    'Enable or disable scheduled charging start time.',
    (p) => {
      const on = getBool(p, 'enable', true);
      return charging.setScheduledCharging(on, getMinutesAfterMidnight(p, 'time'));
    },
    CHARGING_CMDS,
  ),
  set_charge_limit: info(
    'idempotent',
    'Set the charge limit in percent (50-100).',
    (p) => charging.setChargeLimit(goInt(getNumber(p, 'percent', true))),
    CHARGING_CMDS,
  ),
  set_scheduled_departure: info(
    'idempotent',
    'Set departure time with optional preconditioning and off-peak charging.',
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
    CHARGING_CMDS,
  ),
  add_charge_schedule: info(
    'idempotent',
    'Add or replace (same id) a charge schedule at a location.',
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
    CHARGING_CMDS,
  ),
  remove_charge_schedule: info(
    'destructive',
    'Remove one charge schedule by id.',
    (p) => charging.removeChargeSchedule(goInt(getNumber(p, 'id', true))),
    CHARGING_CMDS,
  ),
  batch_remove_charge_schedules: info(
    'destructive',
    'Remove all charge schedules at home, work and/or other locations.',
    (p) => charging.batchRemoveChargeSchedules(getLocations(p)),
    CHARGING_CMDS,
  ),
} satisfies Partial<Record<FleetCommandName, Row>>;
