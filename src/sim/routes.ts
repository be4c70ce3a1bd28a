/**
 * The simulated Fleet API's routing table: each path becomes a {@link Route} that says how it is
 * billed and rate limited, whether the car must be awake, and what it answers. `SimFleet.handle`
 * applies the common rules (auth, injected failures, 429, 408, counting) around `run`.
 *
 * @module
 */
import type { BillingCategory } from './limits.js';
import type { SimVehicle } from './vehicle.js';

export interface SimRequest {
  method: string;
  /** Path without the query string, e.g. `/api/1/vehicles/5YJ.../vehicle_data`. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body (or `null`). */
  body: unknown;
  /** The `Authorization` header value. */
  authorization?: string | undefined;
}

export interface SimResponse {
  status: number;
  /** JSON body; a string is sent as text/plain, bytes with the content type in `headers`. */
  body: unknown;
  headers?: Record<string, string>;
  /** Close the connection without answering (a lost reply). */
  drop?: boolean;
}

export interface Route {
  /** `METHOD name`, the key of the request counts (`GET vehicle_data`, `POST command/door_lock`). */
  endpoint: string;
  category: BillingCategory;
  /** Rate-limit subject: the VIN, `site:<id>` or `account`. */
  subject: string;
  vehicle?: SimVehicle | undefined;
  /** The car must be online (else 408). */
  awake?: boolean;
  run(): SimResponse;
}

/** Tesla's error envelope. */
export function errorBody(error: string, description = ''): Record<string, unknown> {
  return { response: null, error, error_description: description };
}

export function ok(response: unknown, extra: Record<string, unknown> = {}): SimResponse {
  return { status: 200, body: { response, ...extra } };
}

export function fail(status: number, error: string, description = ''): SimResponse {
  return { status, body: errorBody(error, description) };
}

export const ERR_ASLEEP = 'vehicle unavailable: vehicle is offline or asleep';
export const ERR_PROTOCOL_REQUIRED =
  'Tesla Vehicle Command Protocol required, please refer to the documentation here: https://developer.tesla.com/docs/fleet-api/endpoints/vehicle-commands';
export const ERR_PROTOCOL_UNSUPPORTED =
  'vehicle does not support the Tesla Vehicle Command Protocol; use the REST API';

export function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : {};
}
