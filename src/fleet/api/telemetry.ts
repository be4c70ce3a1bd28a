/**
 * Fleet telemetry configuration (Tesla Fleet API docs, "Vehicle Endpoints", and
 * teslamotors/fleet-telemetry README). Creating a config goes through
 * `POST /api/1/vehicles/fleet_telemetry_config_jws {token, vins}` with a `Tesla.SS256` JWS
 * signed by the app's command key (`signFleetTelemetryConfig`), injected as `signJws` so this
 * module holds no key.
 *
 * @module
 */

import { cliCommand } from '../../util/cli-command.js';
import { asArray, type FleetRequester, vinPath } from './types.js';

export type SignTelemetryConfig = (config: Record<string, unknown>) => string;

/** Where a signed telemetry config goes (the proxy forwards its callers' configs there too). */
export const TELEMETRY_CONFIG_JWS_PATH = '/api/1/vehicles/fleet_telemetry_config_jws';

export class TelemetryApi {
  readonly #api: FleetRequester;
  readonly #sign: SignTelemetryConfig | undefined;

  constructor(api: FleetRequester, sign?: SignTelemetryConfig) {
    this.#api = api;
    this.#sign = sign;
  }

  async getConfig(vin: string, signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', `/api/1/vehicles/${vinPath(vin)}/fleet_telemetry_config`, {
      signal,
    });
  }

  async deleteConfig(vin: string, signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('DELETE', `/api/1/vehicles/${vinPath(vin)}/fleet_telemetry_config`, {
      signal,
    });
  }

  async errors(vin: string, signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', `/api/1/vehicles/${vinPath(vin)}/fleet_telemetry_errors`, {
      signal,
    });
  }

  /**
   * Signs `config` (hostname, port, ca, fields, alert_types, exp...) and sends it for `vins`.
   * Returns Tesla's answer (`updated_vehicles`, `skipped_vehicles`).
   */
  async createConfig(
    vins: readonly string[],
    config: Record<string, unknown>,
    o: { signJws?: SignTelemetryConfig; signal?: AbortSignal } = {},
  ): Promise<{ updated_vehicles?: number; skipped_vehicles?: unknown } & Record<string, unknown>> {
    const sign = o.signJws ?? this.#sign;
    if (!sign) {
      throw new RangeError(
        `fleet: creating a telemetry config needs the command key: run \`${cliCommand('keygen')}\` or set TESLA_PRIVATE_KEY_FILE`,
      );
    }
    if (vins.length === 0) throw new RangeError('fleet: give at least one VIN');
    if (typeof config.hostname !== 'string' || config.hostname === '') {
      throw new RangeError('fleet: the telemetry config needs a hostname');
    }
    const token = sign(config);
    const r = await this.#api.request('POST', TELEMETRY_CONFIG_JWS_PATH, {
      body: { token, vins: asArray<string>([...vins]).map(vinPath) },
      signal: o.signal,
    });
    return (r ?? {}) as Record<string, unknown>;
  }
}
