/**
 * Turns a verified signed payload into the Fleet command it stands for: an Infotainment
 * `CarServer.Action` or a VCSEC `UnsignedMessage` becomes `{ name, body }` with the REST name and
 * JSON body of the Go proxy's table (vehicle-command `pkg/proxy/command.go`), so `./commands.ts`
 * applies both paths alike. An Infotainment action the public protos do not name is read with our
 * extension module (`proto-ext/`).
 *
 * @module
 */
import { fromBinary } from '@bufbuild/protobuf';
import { ActionSchema, type VehicleAction } from '../gen/car_server_pb.js';
import {
  ClosureMoveType_E,
  RKEAction_E,
  type UnsignedMessage,
  UnsignedMessageSchema,
} from '../gen/vcsec_pb.js';
import { ActionExtSchema, type VehicleActionExt } from '../gen-ext/car_server_ext_pb.js';
import type { CommandBody } from './commands.js';

export interface DecodedCommand {
  name: string;
  body: CommandBody;
}

const SEATS = [
  'CARSEATFRONTLEFT',
  'CARSEATFRONTRIGHT',
  'CARSEATREARLEFT',
  'CARSEATREARLEFTBACK',
  'CARSEATREARCENTER',
  'CARSEATREARRIGHT',
  'CARSEATREARRIGHTBACK',
  'CARSEATTHIRDROWLEFT',
  'CARSEATTHIRDROWRIGHT',
];
const LEVELS = ['SEATHEATEROFF', 'SEATHEATERLOW', 'SEATHEATERMED', 'SEATHEATERHIGH'];

type Msg = VehicleAction['vehicleActionMsg'];

function vehicleAction(m: Msg): DecodedCommand | undefined {
  const c = (name: string, body: CommandBody = {}): DecodedCommand => ({ name, body });
  switch (m.case) {
    case 'hvacAutoAction':
      return c(m.value.powerOn ? 'auto_conditioning_start' : 'auto_conditioning_stop');
    case 'hvacTemperatureAdjustmentAction':
      return c('set_temps', {
        driver_temp: m.value.driverTempCelsius,
        passenger_temp: m.value.passengerTempCelsius,
      });
    case 'hvacSeatHeaterActions': {
      const a = m.value.hvacSeatHeaterAction[0];
      const seat = SEATS.indexOf(a?.seatPosition.case ?? '');
      const level = LEVELS.indexOf(a?.seatHeaterLevel.case ?? '');
      return c('remote_seat_heater_request', { seat_position: seat, level: Math.max(0, level) });
    }
    case 'hvacSteeringWheelHeaterAction':
      return c('remote_steering_wheel_heater_request', { on: m.value.powerOn });
    case 'hvacClimateKeeperAction':
      return c('set_climate_keeper_mode', { climate_keeper_mode: m.value.ClimateKeeperAction });
    case 'hvacSetPreconditioningMaxAction':
      return c('set_preconditioning_max', { on: m.value.on });
    case 'hvacBioweaponModeAction':
      return c('set_bioweapon_mode', { on: m.value.on });
    case 'setCabinOverheatProtectionAction':
      return c('set_cabin_overheat_protection', { on: m.value.on, fan_only: m.value.fanOnly });
    case 'setCopTempAction':
      return c('set_cop_temp', { cop_temp: m.value.copActivationTemp });
    case 'hvacSeatCoolerActions':
      return c('remote_seat_cooler_request');
    case 'autoSeatClimateAction':
      return c('remote_auto_seat_climate_request');
    case 'chargingStartStopAction': {
      const k = m.value.chargingAction.case;
      if (k === 'start') return c('charge_start');
      if (k === 'stop') return c('charge_stop');
      if (k === 'startStandard') return c('charge_standard');
      if (k === 'startMaxRange') return c('charge_max_range');
      return undefined;
    }
    case 'chargingSetLimitAction':
      return c('set_charge_limit', { percent: m.value.percent });
    case 'setChargingAmpsAction':
      return c('set_charging_amps', { charging_amps: m.value.chargingAmps });
    case 'scheduledChargingAction':
      return c('set_scheduled_charging', {
        enable: m.value.enabled,
        time: m.value.chargingTime,
      });
    case 'scheduledDepartureAction':
      return c('set_scheduled_departure');
    case 'chargePortDoorOpen':
      return c('charge_port_door_open');
    case 'chargePortDoorClose':
      return c('charge_port_door_close');
    case 'addChargeScheduleAction':
      return c('add_charge_schedule');
    case 'removeChargeScheduleAction':
      return c('remove_charge_schedule');
    case 'addPreconditionScheduleAction':
      return c('add_precondition_schedule');
    case 'removePreconditionScheduleAction':
      return c('remove_precondition_schedule');
    case 'vehicleControlSetSentryModeAction':
      return c('set_sentry_mode', { on: m.value.on });
    case 'vehicleControlSetValetModeAction':
      return c('set_valet_mode', { on: m.value.on, password: m.value.password });
    case 'vehicleControlResetValetPinAction':
      return c('reset_valet_pin');
    case 'vehicleControlSetPinToDriveAction':
      return c('set_pin_to_drive', { on: m.value.on, password: m.value.password });
    case 'vehicleControlResetPinToDriveAction':
      return c('reset_pin_to_drive_pin');
    case 'vehicleControlResetPinToDriveAdminAction':
      return c('clear_pin_to_drive_admin');
    case 'drivingSpeedLimitAction':
      return c(m.value.activate ? 'speed_limit_activate' : 'speed_limit_deactivate', {
        pin: m.value.pin,
      });
    case 'drivingClearSpeedLimitPinAction':
      return c('speed_limit_clear_pin', { pin: m.value.pin });
    case 'drivingClearSpeedLimitPinAdminAction':
      return c('speed_limit_clear_pin_admin');
    case 'drivingSetSpeedLimitAction':
      return c('speed_limit_set_limit', { limit_mph: m.value.limitMph });
    case 'guestModeAction':
      return c('guest_mode', { enable: m.value.GuestModeActive });
    case 'vehicleControlWindowAction': {
      const k = m.value.action.case;
      return c('window_control', { command: k === 'vent' || k === 'close' ? k : '' });
    }
    case 'vehicleControlFlashLightsAction':
      return c('flash_lights');
    case 'vehicleControlHonkHornAction':
      return c('honk_horn');
    case 'vehicleControlTriggerHomelinkAction':
      return c('trigger_homelink');
    case 'vehicleControlScheduleSoftwareUpdateAction':
      return c('schedule_software_update', { offset_sec: m.value.offsetSec });
    case 'vehicleControlCancelSoftwareUpdateAction':
      return c('cancel_software_update');
    case 'setVehicleNameAction':
      return c('set_vehicle_name', { vehicle_name: m.value.vehicleName });
    case 'mediaPlayAction':
      return c('media_toggle_playback');
    case 'mediaNextTrack':
      return c('media_next_track');
    case 'mediaPreviousTrack':
      return c('media_prev_track');
    case 'mediaNextFavorite':
      return c('media_next_fav');
    case 'mediaPreviousFavorite':
      return c('media_prev_fav');
    case 'mediaUpdateVolume': {
      const v = m.value.mediaVolume;
      if (v.case === 'volumeAbsoluteFloat') return c('adjust_volume', { volume: v.value });
      if (v.case === 'volumeDelta') return c(v.value > 0 ? 'media_volume_up' : 'media_volume_down');
      return undefined;
    }
    case 'eraseUserDataAction':
      return c('erase_user_data');
    case 'setLowPowerModeAction':
      return c('set_low_power_mode', { enable: m.value.lowPowerMode });
    case 'setKeepAccessoryPowerModeAction':
      return c('keep_accessory_power_mode', { enable: m.value.keepAccessoryPowerMode });
    case 'parentalControlsAction':
      return c(m.value.activate ? 'parental_controls_activate' : 'parental_controls_deactivate');
    case 'parentalControlsEnableSettingsAction':
      return c('parental_controls_enable_setting');
    case 'parentalControlsSetSpeedLimitAction':
      return c('parental_controls_set_speed_limit');
    case 'parentalControlsClearPinAdminAction':
      return c('parental_controls_clear_pin_admin');
    case 'ping':
      return c('ping');
    default:
      return undefined;
  }
}

/** The actions of `proto-ext/car_server_ext.proto`, as the Fleet command and JSON body. */
function vehicleActionExt(m: VehicleActionExt['vehicleActionMsg']): DecodedCommand | undefined {
  const c = (name: string, body: CommandBody): DecodedCommand => ({ name, body });
  switch (m.case) {
    case 'navigationGpsRequest':
      return c('navigation_gps_request', {
        lat: m.value.lat,
        lon: m.value.lon,
        order: m.value.order,
      });
    case 'navigationSuperchargerRequest':
      return c('navigation_sc_request', { order: m.value.order });
    case 'navigationWaypointsRequest':
      return c('navigation_waypoints_request', { waypoints: m.value.waypoints });
    case 'takeDrivenoteAction':
      return c('take_drivenote', { note: m.value.note });
    case 'uiSetUpcomingCalendarEntries':
      return c('upcoming_calendar_entries', { calendar_data: m.value.calendarData });
    case 'boomboxAction':
      return c('remote_boombox', { sound: m.value.sound });
    case 'stwHeatLevelAction':
      // StwHeatLevel Off/Low/High (1/2/3) is the Fleet API's level 0/1/2.
      return c('remote_steering_wheel_heat_level_request', { level: m.value.stwHeatLevel - 1 });
    case 'autoStwHeatAction':
      return c('remote_auto_steering_wheel_heat_climate_request', { on: m.value.on });
    default:
      return undefined;
  }
}

/** Decodes an Infotainment payload; `undefined` for an action the simulator does not know. */
export function decodeInfotainment(payload: Uint8Array): DecodedCommand | undefined {
  const action = fromBinary(ActionSchema, payload);
  if (action.actionMsg.case !== 'vehicleAction') return undefined;
  const msg = action.actionMsg.value.vehicleActionMsg;
  if (msg.case !== undefined) return vehicleAction(msg);
  const ext = fromBinary(ActionExtSchema, payload).actionMsg;
  return ext.case === 'vehicleAction' ? vehicleActionExt(ext.value.vehicleActionMsg) : undefined;
}

export type VcsecDecoded =
  | { kind: 'command'; command: DecodedCommand }
  | { kind: 'information'; type: number }
  | { kind: 'unknown' };

/** Decodes a VCSEC `UnsignedMessage`. */
export function decodeVcsec(payload: Uint8Array): VcsecDecoded {
  const msg: UnsignedMessage = fromBinary(UnsignedMessageSchema, payload);
  const sub = msg.subMessage;
  const cmd = (name: string, body: CommandBody = {}): VcsecDecoded => ({
    kind: 'command',
    command: { name, body },
  });
  switch (sub.case) {
    case 'RKEAction':
      if (sub.value === RKEAction_E.RKE_ACTION_LOCK) return cmd('door_lock');
      if (sub.value === RKEAction_E.RKE_ACTION_UNLOCK) return cmd('door_unlock');
      if (sub.value === RKEAction_E.RKE_ACTION_REMOTE_DRIVE) return cmd('remote_start_drive');
      if (sub.value === RKEAction_E.RKE_ACTION_AUTO_SECURE_VEHICLE) return cmd('door_lock');
      return { kind: 'unknown' };
    case 'closureMoveRequest': {
      const r = sub.value;
      if (r.frontTrunk === ClosureMoveType_E.CLOSURE_MOVE_TYPE_MOVE) {
        return cmd('actuate_trunk', { which_trunk: 'front' });
      }
      if (r.rearTrunk === ClosureMoveType_E.CLOSURE_MOVE_TYPE_MOVE) {
        return cmd('actuate_trunk', { which_trunk: 'rear' });
      }
      if (r.tonneau === ClosureMoveType_E.CLOSURE_MOVE_TYPE_OPEN) return cmd('open_tonneau');
      if (r.tonneau === ClosureMoveType_E.CLOSURE_MOVE_TYPE_CLOSE) return cmd('close_tonneau');
      if (r.tonneau === ClosureMoveType_E.CLOSURE_MOVE_TYPE_STOP) return cmd('stop_tonneau');
      return { kind: 'unknown' };
    }
    case 'InformationRequest':
      return { kind: 'information', type: sub.value.informationRequestType };
    default:
      return { kind: 'unknown' };
  }
}
