/**
 * Registry rows of toolset `climate`: HVAC, seats, steering wheel, defrost, cabin protection and
 * precondition schedules, mapped onto `./climate.ts`. The Go proxy's JSON parameters
 * (vehicle-command pkg/proxy/command.go) are read by `./params.ts`. The steering-wheel heat level
 * and automatic heat rows use the extension module (`source: 'teslemetry-ext'`).
 *
 * @module
 */
import * as climate from './climate.js';
import type { FleetCommandName } from './names.js';
import {
  CommandParamError,
  getBool,
  getDays,
  getLocations,
  getNumber,
  getScheduleId,
  goInt,
} from './params.js';
import { info, infoExt, type Row } from './rows.js';
import { CHARGING_CMDS } from './scopes.js';

/** The Fleet API's `level` (0 off, 1 low, 2 high) as a heat level. */
function wheelHeatLevel(level: number): climate.WheelHeatLevel {
  const name = Number.isInteger(level) ? climate.WHEEL_HEAT_LEVELS[level] : undefined;
  if (name === undefined) {
    throw new RangeError(
      `steering wheel heat level must be 0 (off), 1 (low) or 2 (high), got ${String(level)}`,
    );
  }
  return name;
}

/** Go's `vehicle.Level(n)`, 0 off … 3 high; the Go proxy sends UNKNOWN for others, we refuse. */
function level(what: string, n: number): climate.SeatLevel {
  const l = climate.SEAT_LEVELS[goInt(n)];
  if (l === undefined)
    throw new RangeError(`${what} must be 0–3 (off, low, medium, high), got ${n}`);
  return l;
}

/** 1 = front left, 2 = front right (`HvacSeatCoolerPosition_E`, `AutoSeatPosition_E`). */
function frontSeat(n: number): climate.FrontSeat | undefined {
  const i = goInt(n);
  return i === 1 ? 'front_left' : i === 2 ? 'front_right' : undefined;
}

export const CLIMATE_ROWS = {
  auto_conditioning_start: info(
    'idempotent',
    'Turn on climate control (HVAC) at the set temperatures.',
    () => climate.climateOn(),
  ),
  auto_conditioning_stop: info('idempotent', 'Turn off climate control (HVAC).', () =>
    climate.climateOff(),
  ),
  remote_seat_cooler_request: info('idempotent', "Set a front seat's ventilation level.", (p) => {
    const seat = frontSeat(getNumber(p, 'seat_position', true));
    const n = getNumber(p, 'seat_cooler_level', true);
    // The Go proxy fails here, when sending, with this text.
    if (seat === undefined) throw new CommandParamError('invalid seat position', 'seat_position');
    const l = climate.SEAT_LEVELS[goInt(n - 1)];
    if (l === undefined) {
      throw new RangeError(`seat_cooler_level must be 1–4 (off, low, medium, high), got ${n}`);
    }
    return climate.setSeatCooler(seat, l);
  }),
  remote_seat_heater_request: info(
    'idempotent',
    'Set one seat heater level. Climate should be on.',
    (p) => {
      const seat = climate.HEATED_SEATS[goInt(getNumber(p, 'seat_position', true))];
      if (seat === undefined) throw new CommandParamError('invalid seat position', 'seat_position');
      return climate.setSeatHeater(seat, level('seat heater level', getNumber(p, 'level', true)));
    },
  ),
  remote_auto_seat_climate_request: info(
    'idempotent',
    'Turn automatic seat heating/cooling on or off for a front seat.',
    (p) => {
      const n = getNumber(p, 'auto_seat_position', true);
      const on = getBool(p, 'auto_climate_on', true);
      const seat = frontSeat(n);
      if (seat === undefined) {
        throw new RangeError(
          `auto seat position must be 1 (front left) or 2 (front right), got ${n}`,
        );
      }
      return climate.setAutoSeatClimate(seat, on);
    },
  ),
  remote_steering_wheel_heater_request: info(
    'idempotent',
    'Turn the steering wheel heater on or off.',
    (p) => climate.setSteeringWheelHeater(getBool(p, 'on', true)),
  ),
  set_bioweapon_mode: info(
    'idempotent',
    'Turn Bioweapon Defense Mode (HEPA max filtration) on or off.',
    (p) => {
      const on = getBool(p, 'on', true);
      return climate.setBioweaponMode(on, getBool(p, 'manual_override', true));
    },
  ),
  set_cabin_overheat_protection: info(
    'idempotent',
    'Turn cabin overheat protection on or off, optionally fan only (no A/C).',
    (p) => {
      const on = getBool(p, 'on', true);
      return climate.setCabinOverheatProtection(on, getBool(p, 'fan_only', false));
    },
  ),
  set_climate_keeper_mode: info(
    'idempotent',
    'Keep climate running while parked: off, on, dog or camp mode.',
    (p) => {
      const n = getNumber(p, 'climate_keeper_mode', true);
      const override = getBool(p, 'manual_override', false);
      const mode = climate.CLIMATE_KEEPER_MODES[goInt(n)];
      if (mode === undefined) {
        throw new RangeError(`climate keeper mode must be 0–3 (off, on, dog, camp), got ${n}`);
      }
      return climate.setClimateKeeperMode(mode, override);
    },
  ),
  set_cop_temp: info(
    'idempotent',
    'Set the cabin overheat protection activation temperature.',
    (p) => {
      const n = getNumber(p, 'cop_temp', true);
      const temp = climate.COP_TEMPS[goInt(n) - 1];
      if (temp === undefined) {
        throw new RangeError(`cop_temp must be 1 (low), 2 (medium) or 3 (high), got ${n}`);
      }
      return climate.setCopTemp(temp);
    },
  ),
  set_preconditioning_max: info(
    'idempotent',
    'Turn max preconditioning (defrost) on or off.',
    (p) => {
      const on = getBool(p, 'on', true);
      return climate.setPreconditioningMax(on, getBool(p, 'manual_override', false));
    },
  ),
  set_temps: info(
    'idempotent',
    'Set driver and passenger target temperatures in °C (15-28).',
    (p) => {
      const driver = getNumber(p, 'driver_temp', false);
      return climate.setTemps(driver, getNumber(p, 'passenger_temp', false));
    },
  ),
  add_precondition_schedule: info(
    'idempotent',
    'Add or replace (same id) a preconditioning schedule at a location.',
    (p, ctx) => {
      const latitude = getNumber(p, 'lat', true);
      const longitude = getNumber(p, 'lon', true);
      const preconditionMinutes = goInt(getNumber(p, 'precondition_time', true));
      const oneTime = getBool(p, 'one_time', false);
      const daysOfWeek = getDays(p, 'days_of_week', true);
      const id = getScheduleId(p, ctx);
      const enabled = getBool(p, 'enabled', true);
      return climate.addPreconditionSchedule({
        id,
        daysOfWeek,
        latitude,
        longitude,
        preconditionMinutes,
        enabled,
        oneTime,
      });
    },
    CHARGING_CMDS,
  ),
  remove_precondition_schedule: info(
    'destructive',
    'Remove one preconditioning schedule by id.',
    (p) => climate.removePreconditionSchedule(goInt(getNumber(p, 'id', true))),
    CHARGING_CMDS,
  ),
  batch_remove_precondition_schedules: info(
    'destructive',
    'Remove all precondition schedules at home, work and/or other locations.',
    (p) => climate.batchRemovePreconditionSchedules(getLocations(p)),
    CHARGING_CMDS,
  ),
  remote_steering_wheel_heat_level_request: infoExt(
    'idempotent',
    'Set the steering wheel heat level.',
    (p) => climate.setSteeringWheelHeatLevel(wheelHeatLevel(getNumber(p, 'level', true))),
  ),
  remote_auto_steering_wheel_heat_climate_request: infoExt(
    'idempotent',
    'Turn automatic steering wheel heating on or off.',
    (p) => climate.setAutoSteeringWheelHeat(getBool(p, 'on', true)),
  ),
} satisfies Partial<Record<FleetCommandName, Row>>;
