/**
 * Tesla's Fleet API OAuth scopes (Tesla's Fleet API docs, "Authentication" → "Scopes"), and the
 * sets that commands, Fleet endpoints and tools require. In a set, any one scope is enough for
 * the call. This is the only module that spells scope names; everything else imports them.
 *
 * @module
 */

/** The scopes `login` asks for by default: everything the tools use, energy included. */
export const DEFAULT_SCOPES = [
  'openid',
  'offline_access',
  'user_data',
  'vehicle_device_data',
  'vehicle_location',
  'vehicle_cmds',
  'vehicle_charging_cmds',
  'energy_device_data',
  'energy_cmds',
] as const;

/** A Tesla OAuth scope. */
export type OAuthScope = (typeof DEFAULT_SCOPES)[number];

/** Asked for so the grant includes a refresh token. */
export const OFFLINE_ACCESS: OAuthScope = 'offline_access';

/** Identity and refresh: part of every grant, checked by no endpoint. */
export const SESSION_SCOPES: readonly OAuthScope[] = ['openid', OFFLINE_ACCESS];

/** Scopes of the partner (client-credentials) token, space-separated as the token request wants. */
export const PARTNER_SCOPES = 'openid vehicle_device_data vehicle_cmds vehicle_charging_cmds';

/** Account profile, region, orders. */
export const USER_DATA: readonly OAuthScope[] = ['user_data'];
/** Vehicle state and data. */
export const DEVICE_DATA: readonly OAuthScope[] = ['vehicle_device_data'];
/** The vehicle's location (`location_data` of vehicle_data). */
export const LOCATION: readonly OAuthScope[] = ['vehicle_location'];
/** Vehicle commands. */
export const VEHICLE_CMDS: readonly OAuthScope[] = ['vehicle_cmds'];
/** Charging commands. */
export const CHARGING_CMDS: readonly OAuthScope[] = ['vehicle_charging_cmds'];
/** Charge-port commands: Tesla accepts either scope. */
export const CHARGING_OR_VEHICLE_CMDS: readonly OAuthScope[] = [
  'vehicle_charging_cmds',
  'vehicle_cmds',
];
/**
 * `POST /api/1/vehicles/{vehicle_tag}/wake_up`: Tesla's endpoint page lists `vehicle_device_data`
 * (https://developer.tesla.com/docs/fleet-api/endpoints/vehicle-endpoints#wake-up).
 */
export const WAKE: readonly OAuthScope[] = DEVICE_DATA;
/** Energy site reads. */
export const ENERGY_DATA: readonly OAuthScope[] = ['energy_device_data'];
/** Energy site settings. */
export const ENERGY_CMDS: readonly OAuthScope[] = ['energy_cmds'];
