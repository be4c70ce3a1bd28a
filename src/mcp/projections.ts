/**
 * Trimmed projections of Fleet API answers, so read tools cost the model little context:
 * `vehicle_data` keeps the fields people ask about (the full dump only on request), vehicle
 * lists keep identity and state.
 *
 * @module
 */

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function pick(src: unknown, keys: readonly string[]): Obj | undefined {
  if (!isObj(src)) return undefined;
  const out: Obj = {};
  for (const k of keys) if (src[k] !== undefined && src[k] !== null) out[k] = src[k];
  return Object.keys(out).length ? out : undefined;
}

const CHARGE = [
  'battery_level',
  'usable_battery_level',
  'battery_range',
  'est_battery_range',
  'charge_limit_soc',
  'charging_state',
  'charge_rate',
  'charger_power',
  'charger_voltage',
  'charger_actual_current',
  'charge_current_request',
  'charge_current_request_max',
  'charge_energy_added',
  'minutes_to_full_charge',
  'time_to_full_charge',
  'charge_port_door_open',
  'charge_port_latch',
  'conn_charge_cable',
  'fast_charger_present',
  'scheduled_charging_mode',
  'scheduled_charging_start_time',
  'scheduled_departure_time_minutes',
  'off_peak_charging_enabled',
  'preconditioning_enabled',
] as const;

const CLIMATE = [
  'inside_temp',
  'outside_temp',
  'is_climate_on',
  'is_auto_conditioning_on',
  'is_preconditioning',
  'driver_temp_setting',
  'passenger_temp_setting',
  'fan_status',
  'defrost_mode',
  'is_front_defroster_on',
  'is_rear_defroster_on',
  'seat_heater_left',
  'seat_heater_right',
  'seat_heater_rear_left',
  'seat_heater_rear_center',
  'seat_heater_rear_right',
  'steering_wheel_heater',
  'steering_wheel_heat_level',
  'auto_steering_wheel_heat',
  'climate_keeper_mode',
  'bioweapon_mode',
  'cabin_overheat_protection',
  'cop_activation_temperature',
] as const;

const VEHICLE = [
  'locked',
  'sentry_mode',
  'valet_mode',
  'df',
  'dr',
  'pf',
  'pr',
  'ft',
  'rt',
  'fd_window',
  'fp_window',
  'rd_window',
  'rp_window',
  'sun_roof_state',
  'odometer',
  'car_version',
  'is_user_present',
  'remote_start',
  'remote_start_enabled',
  'speed_limit_mode',
  'software_update',
  'tpms_pressure_fl',
  'tpms_pressure_fr',
  'tpms_pressure_rl',
  'tpms_pressure_rr',
  'vehicle_name',
] as const;

const DRIVE = ['shift_state', 'speed', 'power', 'heading', 'timestamp'] as const;
const LOCATION = ['latitude', 'longitude', 'heading', 'gps_as_of'] as const;
const GUI = ['gui_distance_units', 'gui_temperature_units', 'gui_range_display'] as const;
const CONFIG = [
  'car_type',
  'trim_badging',
  'exterior_color',
  'wheel_type',
  'can_actuate_trunks',
] as const;

/** The useful subset of a `vehicle_data` answer; location only when it was requested. */
export function projectVehicleData(data: unknown): Obj {
  if (!isObj(data)) return { vehicle_data: data ?? null };
  const out: Obj = {};
  for (const k of ['vin', 'display_name', 'state'] as const)
    if (data[k] !== undefined) out[k] = data[k];
  const add = (name: string, v: Obj | undefined) => {
    if (v) out[name] = v;
  };
  add('charge_state', pick(data.charge_state, CHARGE));
  add('climate_state', pick(data.climate_state, CLIMATE));
  add('vehicle_state', pick(data.vehicle_state, VEHICLE));
  add('drive_state', pick(data.drive_state, DRIVE));
  const loc = pick(data.drive_state, LOCATION);
  if (loc && (loc.latitude !== undefined || loc.longitude !== undefined)) add('location', loc);
  add('gui_settings', pick(data.gui_settings, GUI));
  add('vehicle_config', pick(data.vehicle_config, CONFIG));
  return out;
}

/** A vehicle list entry or `GET /vehicles/{vin}` answer: identity and state only. */
export function projectVehicle(v: unknown): Obj {
  return (
    pick(v, ['vin', 'display_name', 'state', 'in_service', 'access_type', 'command_signing']) ?? {}
  );
}
