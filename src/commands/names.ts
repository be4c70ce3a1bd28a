/**
 * Every Fleet command name the registry knows: the 74 names Tesla's Go proxy handles
 * (vehicle-command pkg/proxy/command.go, in its order), then the Fleet commands it does not
 * handle (signed ones our vendored protos can build, and signed ones of our extension module).
 *
 * @module
 */

/**
 * The Go proxy's 74 names (68 signed, 4 REST-only, `wake_up`, and `remote_boombox`, which it
 * answers "not implemented" and we sign with the extension module).
 */
export const PROXY_COMMAND_NAMES = [
  'adjust_volume',
  'remote_boombox',
  'media_next_fav',
  'media_prev_fav',
  'media_next_track',
  'media_prev_track',
  'media_volume_down',
  'media_volume_up',
  'media_toggle_playback',
  'auto_conditioning_start',
  'auto_conditioning_stop',
  'charge_max_range',
  'remote_seat_cooler_request',
  'remote_seat_heater_request',
  'remote_auto_seat_climate_request',
  'remote_steering_wheel_heater_request',
  'set_bioweapon_mode',
  'set_cabin_overheat_protection',
  'set_climate_keeper_mode',
  'set_cop_temp',
  'set_preconditioning_max',
  'set_temps',
  'actuate_trunk',
  'charge_port_door_open',
  'charge_port_door_close',
  'flash_lights',
  'honk_horn',
  'remote_start_drive',
  'open_tonneau',
  'close_tonneau',
  'stop_tonneau',
  'set_low_power_mode',
  'keep_accessory_power_mode',
  'charge_standard',
  'charge_start',
  'charge_stop',
  'set_charging_amps',
  'set_scheduled_charging',
  'set_charge_limit',
  'set_scheduled_departure',
  'add_charge_schedule',
  'add_precondition_schedule',
  'remove_charge_schedule',
  'remove_precondition_schedule',
  'set_managed_charge_current_request',
  'set_managed_charger_location',
  'set_managed_scheduled_charging_time',
  'wake_up',
  'set_pin_to_drive',
  'clear_pin_to_drive_admin',
  'door_lock',
  'door_unlock',
  'erase_user_data',
  'reset_pin_to_drive_pin',
  'reset_valet_pin',
  'guest_mode',
  'set_sentry_mode',
  'set_valet_mode',
  'set_vehicle_name',
  'speed_limit_activate',
  'speed_limit_deactivate',
  'speed_limit_clear_pin',
  'speed_limit_clear_pin_admin',
  'speed_limit_set_limit',
  'parental_controls_activate',
  'parental_controls_deactivate',
  'parental_controls_enable_setting',
  'parental_controls_set_speed_limit',
  'parental_controls_clear_pin_admin',
  'trigger_homelink',
  'schedule_software_update',
  'cancel_software_update',
  'navigation_request',
  'window_control',
] as const;

/** Fleet commands with a message in the vendored protos that the Go proxy does not expose. */
export const EXTRA_SIGNED_COMMAND_NAMES = [
  'sun_roof_control',
  'auto_secure_vehicle',
  'batch_remove_charge_schedules',
  'batch_remove_precondition_schedules',
] as const;

/**
 * Fleet commands with no message in Tesla's public protos, signed with our extension module
 * (`proto-ext/car_server_ext.proto`; registry rows marked `source: 'teslemetry-ext'`).
 */
export const EXTENSION_COMMAND_NAMES = [
  'remote_boombox',
  'remote_steering_wheel_heat_level_request',
  'remote_auto_steering_wheel_heat_climate_request',
  'navigation_gps_request',
  'navigation_sc_request',
  'navigation_waypoints_request',
  'take_drivenote',
  'upcoming_calendar_entries',
] as const;

export const FLEET_COMMAND_NAMES = [
  ...PROXY_COMMAND_NAMES,
  ...EXTRA_SIGNED_COMMAND_NAMES,
  ...EXTENSION_COMMAND_NAMES.filter((n) => n !== 'remote_boombox'),
] as const;

export type FleetCommandName =
  | (typeof PROXY_COMMAND_NAMES)[number]
  | (typeof EXTRA_SIGNED_COMMAND_NAMES)[number]
  | (typeof EXTENSION_COMMAND_NAMES)[number];
