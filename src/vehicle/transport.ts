/**
 * The transport seam: what the vehicle layer needs from the outside world.
 *
 * Declared here once; the Fleet API client (`src/fleet`) implements it over HTTP and the
 * simulator (`src/sim`) implements it in process. What each Fleet answer means is the table on
 * {@link FleetHttpError}.
 *
 * @module
 */

/** A vehicle as `GET /api/1/vehicles/{vin}` and `POST .../wake_up` describe it. */
export interface VehicleSummary {
  vin: string;
  state: 'online' | 'asleep' | 'offline';
  displayName?: string;
}

/** The answer of the REST `command/{name}` endpoint. */
export interface RestCommandResult {
  result: boolean;
  reason: string;
}

/** The Fleet API as the vehicle layer sees it. Every method may throw {@link FleetHttpError}. */
export interface FleetTransport {
  /** POST /api/1/vehicles/{vin}/signed_command: RoutableMessage bytes in, RoutableMessage bytes out. */
  signedCommand(
    vin: string,
    routableMessage: Uint8Array,
    signal?: AbortSignal,
  ): Promise<Uint8Array>;
  /** POST /api/1/vehicles/{vin}/command/{name} with the caller's original JSON body. */
  restCommand(
    vin: string,
    name: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<RestCommandResult>;
  /** POST /api/1/vehicles/{vin}/wake_up (body null). */
  wakeUp(vin: string, signal?: AbortSignal): Promise<VehicleSummary>;
  /** GET /api/1/vehicles/{vin}: a data request (billable); never wakes the car. */
  vehicle(vin: string, signal?: AbortSignal): Promise<VehicleSummary>;
}

export interface FleetHttpErrorInit {
  status: number;
  error?: string | undefined;
  description?: string | undefined;
  retryAfterSeconds?: number | undefined;
  baseUrl?: string | undefined;
  mayHaveExecuted?: boolean | undefined;
  message?: string | undefined;
}

/**
 * A Fleet API answer other than 2xx (or a failure to get one), with what the caller needs to
 * decide. `status` 0 means no HTTP answer at all (timeout, dropped connection).
 *
 * | answer on signed_command | meaning | mayHaveExecuted |
 * |---|---|---|
 * | 408, or 503 "vehicle unavailable" | asleep or offline: nothing ran | false |
 * | 422 | the car does not support the protocol: use REST with the original body | false |
 * | 421 | wrong region: `baseUrl` names the right host | false |
 * | 429 | rate limited: `retryAfterSeconds` | false |
 * | 401 / 403 / 412 | token expired, scope missing / protocol required, app not registered | false |
 * | other 5xx, a timeout or a dropped connection after sending | unknown outcome | true |
 */
export class FleetHttpError extends Error {
  override readonly name = 'FleetHttpError';
  readonly status: number;
  readonly error: string | undefined;
  readonly description: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly baseUrl: string | undefined;
  readonly mayHaveExecuted: boolean;

  constructor(init: FleetHttpErrorInit) {
    super(
      init.message ??
        `fleet: HTTP ${init.status}${init.error ? ` ${init.error}` : ''}${
          init.description ? `: ${init.description}` : ''
        }`,
    );
    this.status = init.status;
    this.error = init.error;
    this.description = init.description;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.baseUrl = init.baseUrl;
    this.mayHaveExecuted = init.mayHaveExecuted ?? defaultMayHaveExecuted(init.status, init.error);
  }
}

/** The default outcome rule of the table above: only 5xx other than 503 (or no answer) is unknown. */
export function defaultMayHaveExecuted(status: number, error?: string): boolean {
  if (status === 0) return true;
  if (status === 503) return false;
  if (status >= 500) return !/vehicle (is )?(unavailable|not available|offline)/i.test(error ?? '');
  return false;
}
