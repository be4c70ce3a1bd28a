/**
 * What each Fleet command does to a simulated vehicle, keyed by its REST name
 * (`POST /api/1/vehicles/{vin}/command/{name}`) with its JSON body. Signed commands are first
 * turned into the same name and body (`./decode.ts`), so REST and signed paths share one table.
 * Parameter names follow the Go proxy's JSON rules (vehicle-command pkg/proxy/command.go).
 * A command whose target state already holds is declined with the reason a real car gives
 * (`already_set`, `not_charging`, `is_charging`, `complete`, `already on/off`: the table in
 * `src/vehicle/already.ts`), over REST as `{"result":false,"reason":…}` and signed as a
 * `CarServer` error with that plain-text reason.
 *
 * @module
 */
import type { RestCommandResult } from '../vehicle/transport.js';
import { EXT_HANDLERS } from './commands-ext.js';
import type { VehicleState } from './state.js';

export type CommandBody = Record<string, unknown>;

type Handler = (s: VehicleState, b: CommandBody, now: number) => string | undefined;

const OK: RestCommandResult = { result: true, reason: '' };

/** Commands that exist only as REST commands (no vehicle-command protobuf). */
export const REST_ONLY = new Set([
  'navigation_request',
  'set_managed_charge_current_request',
  'set_managed_charger_location',
  'set_managed_scheduled_charging_time',
]);

function num(b: CommandBody, key: string): number | string {
  const v = b[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : `missing ${key} param`;
}

function bool(b: CommandBody, key: string): boolean | string {
  const v = b[key];
  return typeof v === 'boolean' ? v : `missing ${key} param`;
}

function str(b: CommandBody, key: string): string | undefined {
  const v = b[key];
  return typeof v === 'string' ? v : undefined;
}

const pin = (b: CommandBody): string | undefined => {
  const p = str(b, 'pin') ?? str(b, 'password');
  return p !== undefined && /^\d{4}$/.test(p) ? p : undefined;
};

const KEEPER = ['off', 'on', 'dog', 'camp'] as const;

const HANDLERS: Record<string, Handler> = {
  door_lock: (s) => {
    s.locked = true;
  },
  door_unlock: (s) => {
    s.locked = false;
  },
  remote_start_drive: (s) => {
    s.remoteStart = true;
  },
  actuate_trunk: (s, b) => {
    const which = str(b, 'which_trunk');
    if (which === 'front') s.frunkOpen = true;
    else if (which === 'rear') s.trunkOpen = !s.trunkOpen;
    else return 'invalid_value';
  },
  open_tonneau: (s) => {
    s.tonneau = 'open';
  },
  close_tonneau: (s) => {
    s.tonneau = 'closed';
  },
  stop_tonneau: (s) => {
    s.tonneau = 'stopped';
  },
  auto_conditioning_start: (s) => {
    s.climateOn = true;
  },
  auto_conditioning_stop: (s) => {
    s.climateOn = false;
    s.defrost = false;
  },
  set_temps: (s, b) => {
    const d = b.driver_temp;
    const p = b.passenger_temp;
    if (typeof d === 'number') s.driverTemp = clamp(d, 15, 28);
    if (typeof p === 'number') s.passengerTemp = clamp(p, 15, 28);
  },
  remote_seat_heater_request: (s, b) => {
    const seat = num(b, 'seat_position');
    const level = num(b, 'level');
    if (typeof seat === 'string') return seat;
    if (typeof level === 'string') return level;
    if (seat < 0 || seat > 8) return 'invalid seat position';
    if (!s.climateOn) return 'cabin comfort remote settings not enabled';
    s.seatHeaters[seat] = clamp(Math.round(level), 0, 3);
  },
  remote_steering_wheel_heater_request: (s, b) => {
    const on = bool(b, 'on');
    if (typeof on === 'string') return on;
    s.steeringWheelHeater = on;
  },
  set_climate_keeper_mode: (s, b) => {
    const m = num(b, 'climate_keeper_mode');
    if (typeof m === 'string') return m;
    const mode = KEEPER[m];
    if (!mode) return 'invalid climate_keeper_mode';
    s.climateKeeperMode = mode;
    s.climateOn = mode !== 'off' || s.climateOn;
  },
  set_preconditioning_max: (s, b) => {
    const on = bool(b, 'on');
    if (typeof on === 'string') return on;
    s.defrost = on;
    if (on) s.climateOn = true;
  },
  set_bioweapon_mode: (s, b) => {
    const on = bool(b, 'on');
    if (typeof on === 'string') return on;
    s.bioweaponMode = on;
  },
  set_cabin_overheat_protection: (s, b) => {
    const on = bool(b, 'on');
    if (typeof on === 'string') return on;
    s.cabinOverheatProtection = on ? (b.fan_only === true ? 'FanOnly' : 'On') : 'Off';
  },
  set_cop_temp: (s, b) => {
    const t = num(b, 'cop_temp');
    if (typeof t === 'string') return t;
    s.copTemp = clamp(Math.round(t), 0, 3);
  },
  charge_start: (s) => {
    if (s.chargingState === 'Disconnected') return 'disconnected';
    if (s.chargingState === 'Charging') return 'is_charging';
    if (s.batteryLevel >= s.chargeLimit) return 'complete';
    s.chargingState = 'Charging';
  },
  charge_stop: (s) => {
    if (s.chargingState !== 'Charging') return 'not_charging';
    s.chargingState = 'Stopped';
  },
  charge_standard: (s) => {
    if (s.chargeLimit === 90) return 'already_set';
    s.chargeLimit = 90;
  },
  charge_max_range: (s) => {
    if (s.chargeLimit === 100) return 'already_set';
    s.chargeLimit = 100;
  },
  set_charge_limit: (s, b) => {
    const p = num(b, 'percent');
    if (typeof p === 'string') return p;
    if (p < 50 || p > 100) return 'invalid charge limit';
    if (Math.round(p) === s.chargeLimit) return 'already_set';
    s.chargeLimit = Math.round(p);
    if (s.chargingState === 'Complete' && s.batteryLevel < s.chargeLimit)
      s.chargingState = 'Stopped';
  },
  set_charging_amps: (s, b) => {
    const a = num(b, 'charging_amps');
    if (typeof a === 'string') return a;
    const amps = clamp(Math.round(a), 1, s.chargeAmpsMax);
    if (amps === s.chargeAmps) return 'already_set';
    s.chargeAmps = amps;
  },
  set_scheduled_charging: (s, b) => {
    const e = bool(b, 'enable');
    if (typeof e === 'string') return e;
    s.scheduledCharging = { enabled: e, minutes: typeof b.time === 'number' ? b.time : 0 };
  },
  charge_port_door_open: (s) => {
    s.chargePortOpen = true;
  },
  charge_port_door_close: (s) => {
    if (s.chargingState === 'Charging') return 'charging';
    s.chargePortOpen = false;
  },
  set_sentry_mode: (s, b) => {
    const on = bool(b, 'on');
    if (typeof on === 'string') return on;
    s.sentryMode = on;
  },
  set_valet_mode: (s, b) => {
    const on = bool(b, 'on');
    if (typeof on === 'string') return on;
    if (on && !s.valetPinSet && pin(b) === undefined) return 'valet mode needs a 4-digit password';
    if (!on && !s.valetMode) return 'already off';
    if (on && s.valetMode) return 'already on';
    s.valetMode = on;
    if (on) s.valetPinSet = true;
  },
  reset_valet_pin: (s) => {
    s.valetPinSet = false;
  },
  set_pin_to_drive: (s, b) => {
    const on = bool(b, 'on');
    if (typeof on === 'string') return on;
    s.pinToDrive = on;
  },
  speed_limit_activate: (s, b) => {
    if (pin(b) === undefined) return 'missing pin param';
    s.speedLimit = { ...s.speedLimit, active: true, pinSet: true };
  },
  speed_limit_deactivate: (s, b) => {
    if (pin(b) === undefined) return 'missing pin param';
    s.speedLimit = { ...s.speedLimit, active: false };
  },
  speed_limit_clear_pin: (s) => {
    s.speedLimit = { ...s.speedLimit, active: false, pinSet: false };
  },
  speed_limit_clear_pin_admin: (s) => {
    s.speedLimit = { ...s.speedLimit, active: false, pinSet: false };
  },
  speed_limit_set_limit: (s, b) => {
    const l = num(b, 'limit_mph');
    if (typeof l === 'string') return l;
    if (l < 50 || l > 120) return 'invalid speed limit';
    s.speedLimit = { ...s.speedLimit, limitMph: l };
  },
  guest_mode: (s, b) => {
    const e = bool(b, 'enable');
    if (typeof e === 'string') return e;
    s.guestMode = e;
  },
  window_control: (s, b) => {
    const c = str(b, 'command');
    if (c !== 'vent' && c !== 'close') return "command must be 'vent' or 'close'";
    s.windowsVented = c === 'vent';
  },
  set_vehicle_name: (s, b) => {
    const n = str(b, 'vehicle_name');
    if (!n) return 'missing vehicle_name param';
    s.displayName = n.slice(0, 50);
  },
  schedule_software_update: (s, b, now) => {
    const o = num(b, 'offset_sec');
    if (typeof o === 'string') return o;
    if (s.update.status !== 'available') return 'no update available';
    s.update = { ...s.update, status: 'scheduled', at: now + o * 1000 };
  },
  cancel_software_update: (s) => {
    if (s.update.status !== 'scheduled') return 'no update scheduled';
    s.update = { ...s.update, status: 'available', at: 0 };
  },
  adjust_volume: (s, b) => {
    const v = num(b, 'volume');
    if (typeof v === 'string') return v;
    if (v < 0 || v > 11) return 'volume out of range';
    s.volume = v;
  },
  media_volume_up: (s) => {
    s.volume = Math.min(11, Math.round((s.volume + 0.33) * 100) / 100);
  },
  media_volume_down: (s) => {
    s.volume = Math.max(0, Math.round((s.volume - 0.33) * 100) / 100);
  },
  media_toggle_playback: (s) => {
    s.playing = !s.playing;
  },
  set_low_power_mode: (s, b) => {
    const e = bool(b, 'enable');
    if (typeof e === 'string') return e;
    s.lowPowerMode = e;
  },
  keep_accessory_power_mode: (s, b) => {
    const e = bool(b, 'enable');
    if (typeof e === 'string') return e;
    s.keepAccessoryPower = e;
  },
  navigation_request: (_s, b) => {
    if (typeof b.value !== 'object' || b.value === null) return 'missing value param';
  },
  ...EXT_HANDLERS,
};

/** Commands the car accepts and acknowledges without a visible state change. */
const NO_STATE = [
  'honk_horn',
  'flash_lights',
  'trigger_homelink',
  'media_next_track',
  'media_prev_track',
  'media_next_fav',
  'media_prev_fav',
  'erase_user_data',
  'clear_pin_to_drive_admin',
  'reset_pin_to_drive_pin',
  'remote_auto_seat_climate_request',
  'remote_seat_cooler_request',
  'add_charge_schedule',
  'remove_charge_schedule',
  'add_precondition_schedule',
  'remove_precondition_schedule',
  'set_scheduled_departure',
  'parental_controls_activate',
  'parental_controls_deactivate',
  'parental_controls_enable_setting',
  'parental_controls_set_speed_limit',
  'parental_controls_clear_pin_admin',
  'set_managed_charge_current_request',
  'set_managed_charger_location',
  'set_managed_scheduled_charging_time',
  'ping',
];

export function isKnownCommand(name: string): boolean {
  return Object.hasOwn(HANDLERS, name) || NO_STATE.includes(name);
}

/** Applies a command; `undefined` when the car does not know the command at all. */
export function applyCommand(
  s: VehicleState,
  name: string,
  body: CommandBody,
  now: number,
): RestCommandResult | undefined {
  if (!isKnownCommand(name)) return undefined;
  const h = HANDLERS[name];
  const out = h ? h(s, body, now) : undefined;
  if (typeof out === 'string') return { result: false, reason: out };
  return out ?? OK;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
