/**
 * The Fleet API's JSON shapes for a simulated vehicle: the vehicle summary of
 * `GET /api/1/vehicles[/{vin}]` and the sections of `vehicle_data`. Location fields appear only
 * when `location_data` is asked for, as on firmware 2023.38 and later.
 *
 * @module
 */
import { DEFAULT_VEHICLE_DATA } from '../fleet/api/vehicles.js';
import { chargePowerKw, round } from './state.js';
import type { SimVehicle } from './vehicle.js';

export function vehicleSummary(v: SimVehicle): Record<string, unknown> {
  return {
    id: v.id,
    vehicle_id: v.id + 1_000,
    vin: v.vin,
    color: null,
    access_type: 'OWNER',
    display_name: v.state.displayName,
    option_codes: null,
    granular_access: { hide_private: false },
    tokens: null,
    state: v.status,
    in_service: false,
    id_s: String(v.id),
    calendar_enabled: true,
    api_version: 81,
    backseat_token: null,
    backseat_token_updated_at: null,
    ble_autopair_enrolled: false,
    command_signing: v.kind === 'legacy' ? 'off' : 'required',
  };
}

function chargeState(v: SimVehicle, now: number): Record<string, unknown> {
  const s = v.state;
  const charging = s.chargingState === 'Charging';
  const kw = charging ? chargePowerKw(s) : 0;
  const level = Math.floor(s.batteryLevel);
  const hoursToFull =
    charging && kw > 0 ? (((s.chargeLimit - s.batteryLevel) / 100) * s.capacityKwh) / kw : 0;
  return {
    battery_level: level,
    usable_battery_level: level,
    battery_range: round(s.batteryLevel * (s.capacityKwh / 25), 2),
    est_battery_range: round(s.batteryLevel * (s.capacityKwh / 28), 2),
    ideal_battery_range: round(s.batteryLevel * (s.capacityKwh / 24), 2),
    charge_limit_soc: s.chargeLimit,
    charge_limit_soc_std: 90,
    charge_limit_soc_min: 50,
    charge_limit_soc_max: 100,
    charge_current_request: s.chargeAmps,
    charge_current_request_max: s.chargeAmpsMax,
    charge_amps: s.chargeAmps,
    charging_state: s.chargingState,
    charger_power: Math.round(kw),
    charger_voltage: s.chargingState === 'Disconnected' ? 0 : s.chargerVoltage,
    charger_actual_current: charging ? Math.round((kw * 1000) / s.chargerVoltage) : 0,
    charger_phases: charging ? 1 : null,
    charge_rate: charging ? round(kw * 4.2, 1) : 0,
    charge_energy_added: s.chargeEnergyAdded,
    time_to_full_charge: round(hoursToFull, 2),
    minutes_to_full_charge: Math.round(hoursToFull * 60),
    charge_port_door_open: s.chargePortOpen,
    charge_port_latch: s.chargingState === 'Disconnected' ? 'Disengaged' : 'Engaged',
    conn_charge_cable: s.chargingState === 'Disconnected' ? '<invalid>' : 'SAE',
    fast_charger_present: false,
    scheduled_charging_mode: s.scheduledCharging.enabled ? 'StartAt' : 'Off',
    scheduled_charging_pending: s.scheduledCharging.enabled,
    scheduled_charging_start_time_minutes: s.scheduledCharging.minutes,
    timestamp: now,
  };
}

function climateState(v: SimVehicle, now: number): Record<string, unknown> {
  const s = v.state;
  const seat = (i: number) => s.seatHeaters[i] ?? 0;
  return {
    inside_temp: round(s.insideTemp),
    outside_temp: s.outsideTemp,
    driver_temp_setting: s.driverTemp,
    passenger_temp_setting: s.passengerTemp,
    is_climate_on: s.climateOn,
    is_auto_conditioning_on: s.climateOn,
    is_preconditioning: s.climateOn,
    is_front_defroster_on: s.defrost,
    is_rear_defroster_on: s.defrost,
    defrost_mode: s.defrost ? 2 : 0,
    fan_status: s.climateOn ? 4 : 0,
    seat_heater_left: seat(0),
    seat_heater_right: seat(1),
    seat_heater_rear_left: seat(2),
    seat_heater_rear_center: seat(4),
    seat_heater_rear_right: seat(5),
    steering_wheel_heater: s.steeringWheelHeater,
    steering_wheel_heat_level: s.steeringWheelHeatLevel,
    auto_steering_wheel_heat: s.autoSteeringWheelHeat,
    climate_keeper_mode: s.climateKeeperMode,
    bioweapon_mode: s.bioweaponMode,
    cabin_overheat_protection: s.cabinOverheatProtection,
    cop_activation_temperature: ['Unspecified', 'Low', 'Medium', 'High'][s.copTemp] ?? 'High',
    min_avail_temp: 15,
    max_avail_temp: 28,
    timestamp: now,
  };
}

function vehicleState(v: SimVehicle, now: number): Record<string, unknown> {
  const s = v.state;
  return {
    api_version: 81,
    car_version: s.carVersion,
    locked: s.locked,
    odometer: s.odometer,
    sentry_mode: s.sentryMode,
    sentry_mode_available: true,
    valet_mode: s.valetMode,
    valet_pin_needed: s.valetPinSet,
    remote_start: s.remoteStart,
    remote_start_enabled: true,
    is_user_present: false,
    vehicle_name: s.displayName,
    df: s.doors.df,
    dr: s.doors.dr,
    pf: s.doors.pf,
    pr: s.doors.pr,
    ft: s.frunkOpen ? 1 : 0,
    rt: s.trunkOpen ? 1 : 0,
    fd_window: s.windowsVented ? 1 : 0,
    fp_window: s.windowsVented ? 1 : 0,
    rd_window: s.windowsVented ? 1 : 0,
    rp_window: s.windowsVented ? 1 : 0,
    tonneau_state: s.tonneau,
    media_state: { remote_control_enabled: true },
    media_info: {
      audio_volume: s.volume,
      audio_volume_max: 10.333,
      media_playback_status: s.playing ? 'Playing' : 'Stopped',
      now_playing_source: 'Spotify',
    },
    guest_mode_enabled: s.guestMode,
    software_update: {
      status: s.update.status,
      version: s.update.version || ' ',
      scheduled_time_ms: s.update.status === 'scheduled' ? s.update.at : 0,
      expected_duration_sec: 2700,
      download_perc: s.update.status ? 100 : 0,
      install_perc: s.update.status === 'installing' ? 30 : 1,
    },
    speed_limit_mode: {
      active: s.speedLimit.active,
      current_limit_mph: s.speedLimit.limitMph,
      max_limit_mph: 120,
      min_limit_mph: 50,
      pin_code_set: s.speedLimit.pinSet,
    },
    timestamp: now,
  };
}

function driveState(v: SimVehicle, now: number, location: boolean): Record<string, unknown> {
  const s = v.state;
  const out: Record<string, unknown> = {
    shift_state: null,
    speed: null,
    power: 0,
    timestamp: now,
  };
  if (location) {
    Object.assign(out, {
      latitude: s.latitude,
      longitude: s.longitude,
      heading: s.heading,
      gps_as_of: Math.floor(now / 1000),
      native_latitude: s.latitude,
      native_longitude: s.longitude,
      native_type: 'wgs',
    });
    if (s.route) {
      out.active_route_latitude = s.route.latitude;
      out.active_route_longitude = s.route.longitude;
    }
  }
  return out;
}

/** The `response` of `GET /api/1/vehicles/{vin}/vehicle_data?endpoints=...`. */
export function vehicleData(
  v: SimVehicle,
  endpoints: string[],
  now: number,
): Record<string, unknown> {
  const want = new Set<string>(endpoints.length ? endpoints : DEFAULT_VEHICLE_DATA);
  const s = v.state;
  const out: Record<string, unknown> = { ...vehicleSummary(v), user_id: 800_001 };
  if (want.has('charge_state')) out.charge_state = chargeState(v, now);
  if (want.has('climate_state')) out.climate_state = climateState(v, now);
  if (want.has('drive_state') || want.has('location_data')) {
    out.drive_state = driveState(v, now, want.has('location_data'));
  }
  if (want.has('gui_settings')) {
    out.gui_settings = {
      gui_distance_units: 'mi/hr',
      gui_temperature_units: 'C',
      gui_charge_rate_units: 'kW',
      gui_24_hour_time: true,
      gui_range_display: 'Rated',
      timestamp: now,
    };
  }
  if (want.has('vehicle_config')) {
    out.vehicle_config = {
      car_type: s.carType,
      trim_badging: s.trimBadging,
      exterior_color: 'MidnightSilver',
      wheel_type: 'Pinwheel18',
      can_actuate_trunks: true,
      has_seat_cooling: false,
      plg: true,
      timestamp: now,
    };
  }
  if (want.has('vehicle_state')) out.vehicle_state = vehicleState(v, now);
  if (want.has('closures_state')) {
    out.closures_state = { ...s.doors, ft: s.frunkOpen ? 1 : 0, rt: s.trunkOpen ? 1 : 0 };
  }
  return out;
}
