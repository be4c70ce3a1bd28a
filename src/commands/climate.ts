/**
 * Climate builders (toolset `climate`): HVAC, temperatures, seat heating and cooling, steering
 * wheel, defrost, bioweapon mode, cabin overheat protection, climate keeper, and precondition
 * schedules (add, remove, remove in batches by location kind).
 *
 * Mirrors vehicle-command pkg/vehicle/climate.go, and pkg/vehicle/charge.go for the schedules
 * (`AddPreconditionSchedule`, `RemovePreconditionSchedule`, `BatchRemovePreconditionSchedules`).
 * Steering-wheel heat level and automatic heat are not in Tesla's public protos: they use our
 * extension module (`proto-ext/car_server_ext.proto`, facts from Teslemetry/python-tesla-fleet-api
 * `proto/car_server.proto` @0b1a36574ef1).
 *
 * @module
 */
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { HvacSeatHeaterActions_HvacSeatHeaterActionSchema } from '../gen/car_server_pb.js';
import {
  AutoSeatClimateAction_AutoSeatPosition_E,
  HvacClimateKeeperAction_ClimateKeeperAction_E,
  type HvacSeatCoolerActions_HvacSeatCoolerLevel_E,
  HvacSeatCoolerActions_HvacSeatCoolerPosition_E,
} from '../gen/car_server_pb.js';
import { ClimateState_CopActivationTemp } from '../gen/vehicle_pb.js';
import { StwHeatLevel } from '../gen-ext/car_server_ext_pb.js';
import {
  checkBool,
  checkDaysOfWeek,
  checkLatitude,
  checkLocations,
  checkLongitude,
  checkMinutes,
  checkNumber,
  checkOneOf,
  type ScheduleLocations,
  scheduleId,
} from './check.js';
import type { Command } from './types.js';
import { infotainment, infotainmentExt } from './wrap.js';

/** Lowest and highest cabin temperature the car accepts, in °C. */
export const MIN_TEMP_CELSIUS = 15;
export const MAX_TEMP_CELSIUS = 28;

/** Seats with a heater, in the Fleet API's `seat_position` index order (0–8). */
export const HEATED_SEATS = [
  'front_left',
  'front_right',
  'rear_left',
  'rear_left_back',
  'rear_center',
  'rear_right',
  'rear_right_back',
  'third_row_left',
  'third_row_right',
] as const;
export type HeatedSeat = (typeof HEATED_SEATS)[number];

/** Heater and cooler levels, in the Fleet API's `level` order (0–3). */
export const SEAT_LEVELS = ['off', 'low', 'medium', 'high'] as const;
export type SeatLevel = (typeof SEAT_LEVELS)[number];

/** Seats with cooling or automatic seat climate. */
export const FRONT_SEATS = ['front_left', 'front_right'] as const;
export type FrontSeat = (typeof FRONT_SEATS)[number];

export const CLIMATE_KEEPER_MODES = ['off', 'on', 'dog', 'camp'] as const;
export type ClimateKeeperMode = (typeof CLIMATE_KEEPER_MODES)[number];

export const COP_TEMPS = ['low', 'medium', 'high'] as const;
export type CopTemp = (typeof COP_TEMPS)[number];

/** `auto_conditioning_start`: HVAC on (protocol.md's "HVAC on" example, `120452020801`). */
export const climateOn = (): Command =>
  infotainment({ case: 'hvacAutoAction', value: { powerOn: true } });

/** `auto_conditioning_stop`. */
export const climateOff = (): Command =>
  infotainment({ case: 'hvacAutoAction', value: { powerOn: false } });

/** `set_temps`: driver and passenger set points in °C (15–28); the level is always TEMP_MAX. */
export function setTemps(driverCelsius: number, passengerCelsius: number): Command {
  checkNumber('driver temperature', driverCelsius, MIN_TEMP_CELSIUS, MAX_TEMP_CELSIUS, '°C');
  checkNumber('passenger temperature', passengerCelsius, MIN_TEMP_CELSIUS, MAX_TEMP_CELSIUS, '°C');
  return infotainment({
    case: 'hvacTemperatureAdjustmentAction',
    value: {
      driverTempCelsius: driverCelsius,
      passengerTempCelsius: passengerCelsius,
      level: { type: { case: 'TEMPMAX', value: {} } },
    },
  });
}

type HeaterInit = MessageInitShape<typeof HvacSeatHeaterActions_HvacSeatHeaterActionSchema>;

const HEATER_LEVEL_CASE = {
  off: 'SEATHEATEROFF',
  low: 'SEATHEATERLOW',
  medium: 'SEATHEATERMED',
  high: 'SEATHEATERHIGH',
} as const;

const HEATER_SEAT_CASE = {
  front_left: 'CARSEATFRONTLEFT',
  front_right: 'CARSEATFRONTRIGHT',
  rear_left: 'CARSEATREARLEFT',
  rear_left_back: 'CARSEATREARLEFTBACK',
  rear_center: 'CARSEATREARCENTER',
  rear_right: 'CARSEATREARRIGHT',
  rear_right_back: 'CARSEATREARRIGHTBACK',
  third_row_left: 'CARSEATTHIRDROWLEFT',
  third_row_right: 'CARSEATTHIRDROWRIGHT',
} as const;

/** Several seat heaters in one command (`SetSeatHeater` with a map). */
export function setSeatHeaters(
  settings: ReadonlyArray<{ seat: HeatedSeat; level: SeatLevel }>,
): Command {
  if (settings.length === 0)
    throw new RangeError('seat heater settings must name at least one seat');
  const actions: HeaterInit[] = settings.map(({ seat, level }) => {
    checkOneOf('seat', seat, HEATED_SEATS);
    checkOneOf('seat heater level', level, SEAT_LEVELS);
    return {
      seatHeaterLevel: { case: HEATER_LEVEL_CASE[level], value: {} },
      seatPosition: { case: HEATER_SEAT_CASE[seat], value: {} },
    };
  });
  return infotainment({ case: 'hvacSeatHeaterActions', value: { hvacSeatHeaterAction: actions } });
}

/** `remote_seat_heater_request`: one seat heater. */
export const setSeatHeater = (seat: HeatedSeat, level: SeatLevel): Command =>
  setSeatHeaters([{ seat, level }]);

/** `remote_seat_cooler_request`: front seat ventilation level. */
export function setSeatCooler(seat: FrontSeat, level: SeatLevel): Command {
  checkOneOf('cooled seat', seat, FRONT_SEATS);
  checkOneOf('seat cooler level', level, SEAT_LEVELS);
  const position =
    seat === 'front_left'
      ? HvacSeatCoolerActions_HvacSeatCoolerPosition_E.HvacSeatCoolerPosition_FrontLeft
      : HvacSeatCoolerActions_HvacSeatCoolerPosition_E.HvacSeatCoolerPosition_FrontRight;
  // Level_E is 0 unknown, 1 off ... 4 high: Go adds 1 to its 0-based level.
  const coolerLevel: HvacSeatCoolerActions_HvacSeatCoolerLevel_E = SEAT_LEVELS.indexOf(level) + 1;
  return infotainment({
    case: 'hvacSeatCoolerActions',
    value: { hvacSeatCoolerAction: [{ seatCoolerLevel: coolerLevel, seatPosition: position }] },
  });
}

/** `remote_auto_seat_climate_request`: automatic seat heating/cooling for a front seat. */
export function setAutoSeatClimate(seat: FrontSeat, on: boolean): Command {
  checkOneOf('auto seat', seat, FRONT_SEATS);
  checkBool('auto seat climate on', on);
  const position =
    seat === 'front_left'
      ? AutoSeatClimateAction_AutoSeatPosition_E.AutoSeatPosition_FrontLeft
      : AutoSeatClimateAction_AutoSeatPosition_E.AutoSeatPosition_FrontRight;
  return infotainment({
    case: 'autoSeatClimateAction',
    value: { carseat: [{ on, seatPosition: position }] },
  });
}

/** `remote_steering_wheel_heater_request`. */
export const setSteeringWheelHeater = (on: boolean): Command =>
  infotainment({
    case: 'hvacSteeringWheelHeaterAction',
    value: { powerOn: checkBool('steering wheel heater on', on) },
  });

/** Steering-wheel heat levels, in the Fleet API's `level` order (0 off, 1 low, 2 high). */
export const WHEEL_HEAT_LEVELS = ['off', 'low', 'high'] as const;
export type WheelHeatLevel = (typeof WHEEL_HEAT_LEVELS)[number];
const WHEEL_HEAT: Record<WheelHeatLevel, StwHeatLevel> = {
  off: StwHeatLevel.StwHeatLevel_Off,
  low: StwHeatLevel.StwHeatLevel_Low,
  high: StwHeatLevel.StwHeatLevel_High,
};

/** `remote_steering_wheel_heat_level_request` (`StwHeatLevelAction`, extension field 71). */
export function setSteeringWheelHeatLevel(level: WheelHeatLevel): Command {
  checkOneOf('steering wheel heat level', level, WHEEL_HEAT_LEVELS);
  return infotainmentExt({
    case: 'stwHeatLevelAction',
    value: { stwHeatLevel: WHEEL_HEAT[level] },
  });
}

/** `remote_auto_steering_wheel_heat_climate_request` (`AutoStwHeatAction`, extension field 70). */
export const setAutoSteeringWheelHeat = (on: boolean): Command =>
  infotainmentExt({
    case: 'autoStwHeatAction',
    value: { on: checkBool('automatic steering wheel heat on', on) },
  });

/** `set_preconditioning_max` (defrost / max preconditioning). */
export const setPreconditioningMax = (on: boolean, manualOverride = false): Command =>
  infotainment({
    case: 'hvacSetPreconditioningMaxAction',
    value: {
      on: checkBool('preconditioning max on', on),
      manualOverride: checkBool('manual override', manualOverride),
    },
  });

/** `set_bioweapon_mode`. */
export const setBioweaponMode = (on: boolean, manualOverride = false): Command =>
  infotainment({
    case: 'hvacBioweaponModeAction',
    value: {
      on: checkBool('bioweapon mode on', on),
      manualOverride: checkBool('manual override', manualOverride),
    },
  });

/** `set_cabin_overheat_protection`. */
export const setCabinOverheatProtection = (on: boolean, fanOnly = false): Command =>
  infotainment({
    case: 'setCabinOverheatProtectionAction',
    value: {
      on: checkBool('cabin overheat protection on', on),
      fanOnly: checkBool('fan only', fanOnly),
    },
  });

const COP_TEMP_VALUE: Record<CopTemp, ClimateState_CopActivationTemp> = {
  low: ClimateState_CopActivationTemp.CopActivationTempLow,
  medium: ClimateState_CopActivationTemp.CopActivationTempMedium,
  high: ClimateState_CopActivationTemp.CopActivationTempHigh,
};

/** `set_cop_temp`: the cabin temperature at which overheat protection starts. */
export function setCopTemp(level: CopTemp): Command {
  checkOneOf('cabin overheat protection temperature', level, COP_TEMPS);
  return infotainment({
    case: 'setCopTempAction',
    value: { copActivationTemp: COP_TEMP_VALUE[level] },
  });
}

const KEEPER_VALUE: Record<ClimateKeeperMode, HvacClimateKeeperAction_ClimateKeeperAction_E> = {
  off: HvacClimateKeeperAction_ClimateKeeperAction_E.ClimateKeeperAction_Off,
  on: HvacClimateKeeperAction_ClimateKeeperAction_E.ClimateKeeperAction_On,
  dog: HvacClimateKeeperAction_ClimateKeeperAction_E.ClimateKeeperAction_Dog,
  camp: HvacClimateKeeperAction_ClimateKeeperAction_E.ClimateKeeperAction_Camp,
};

/** `set_climate_keeper_mode`: off, keep, dog or camp mode. */
export function setClimateKeeperMode(mode: ClimateKeeperMode, manualOverride = false): Command {
  checkOneOf('climate keeper mode', mode, CLIMATE_KEEPER_MODES);
  return infotainment({
    case: 'hvacClimateKeeperAction',
    value: {
      ClimateKeeperAction: KEEPER_VALUE[mode],
      manualOverride: checkBool('manual override', manualOverride),
    },
  });
}

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

/** `batch_remove_precondition_schedules`. */
export const batchRemovePreconditionSchedules = (l: ScheduleLocations): Command =>
  infotainment({ case: 'batchRemovePreconditionSchedulesAction', value: checkLocations(l) });
