/**
 * Vehicle endpoints (Tesla Fleet API docs, "Vehicle Endpoints"): list, one vehicle, vehicle data
 * with `endpoints` selection (`location_data` only when the token has `vehicle_location`),
 * options, release notes, service data, alerts, fleet status, warranty, eligibility, specs,
 * mobile access, nearby charging sites, and the enterprise payer/roles endpoints.
 *
 * @module
 */
import { DEVICE_DATA, LOCATION, type OAuthScope } from '../../commands/scopes.js';
import { asArray, type FleetRequester, type Loose, vinPath } from './types.js';

export const VEHICLE_DATA_ENDPOINTS = [
  'charge_state',
  'climate_state',
  'closures_state',
  'drive_state',
  'gui_settings',
  'location_data',
  'charge_schedule_data',
  'preconditioning_schedule_data',
  'vehicle_config',
  'vehicle_state',
  'vehicle_data_combo',
] as const;
export type VehicleDataEndpoint = (typeof VEHICLE_DATA_ENDPOINTS)[number];

/**
 * The default selection, without `location_data` (added only when the scope is granted): what
 * Tesla answers when `endpoints` is not given.
 */
export const DEFAULT_VEHICLE_DATA = [
  'charge_state',
  'climate_state',
  'drive_state',
  'gui_settings',
  'vehicle_config',
  'vehicle_state',
] as const satisfies readonly VehicleDataEndpoint[];

export type VehicleListItem = Loose<{
  id?: number;
  vehicle_id?: number;
  vin: string;
  display_name?: string | null;
  state: 'online' | 'asleep' | 'offline';
  access_type?: string;
}>;

export type FleetStatus = Loose<{
  key_paired_vins: string[];
  unpaired_vins: string[];
  vehicle_info: Record<
    string,
    Loose<{ vehicle_command_protocol_required?: boolean; firmware_version?: string }>
  >;
}>;

export class VehiclesApi {
  readonly #api: FleetRequester;

  constructor(api: FleetRequester) {
    this.#api = api;
  }

  /** `GET /api/1/vehicles` with optional paging. */
  async list(
    o: {
      page?: number | undefined;
      perPage?: number | undefined;
      signal?: AbortSignal | undefined;
    } = {},
  ): Promise<VehicleListItem[]> {
    const r = await this.#api.request('GET', '/api/1/vehicles', {
      query: { page: o.page, per_page: o.perPage },
      signal: o.signal,
    });
    return asArray<VehicleListItem>(r);
  }

  /** `GET /api/1/vehicles/{vin}`: state online / asleep / offline; never wakes the car. */
  async get(vin: string, signal?: AbortSignal): Promise<VehicleListItem> {
    return (await this.#api.request('GET', `/api/1/vehicles/${vinPath(vin)}`, {
      signal,
    })) as VehicleListItem;
  }

  /**
   * `GET /api/1/vehicles/{vin}/vehicle_data?endpoints=a;b`. May return cached data when the car
   * is offline; 408 when it is asleep. Never wakes the car. Asking for `location_data` without
   * the `vehicle_location` scope fails before any request.
   */
  async data(
    vin: string,
    o: { endpoints?: readonly VehicleDataEndpoint[]; signal?: AbortSignal | undefined } = {},
  ): Promise<Loose<Record<string, unknown>>> {
    let endpoints: readonly VehicleDataEndpoint[] | undefined = o.endpoints;
    if (endpoints) {
      for (const e of endpoints) {
        if (!(VEHICLE_DATA_ENDPOINTS as readonly string[]).includes(e)) {
          throw new RangeError(
            `fleet: unknown vehicle_data endpoint '${e}': expected one of ${VEHICLE_DATA_ENDPOINTS.join(', ')}`,
          );
        }
      }
      if (endpoints.includes('location_data')) await this.#api.requireScopes(LOCATION);
    } else {
      const scopes = await this.#api.scopes();
      endpoints = scopes?.some((s) => LOCATION.includes(s as OAuthScope))
        ? [...DEFAULT_VEHICLE_DATA, 'location_data']
        : DEFAULT_VEHICLE_DATA;
    }
    await this.#api.requireScopes(DEVICE_DATA);
    return (await this.#api.request('GET', `/api/1/vehicles/${vinPath(vin)}/vehicle_data`, {
      query: { endpoints: endpoints.join(';') },
      signal: o.signal,
    })) as Loose<Record<string, unknown>>;
  }

  async mobileEnabled(vin: string, signal?: AbortSignal): Promise<boolean> {
    const r = await this.#api.request('GET', `/api/1/vehicles/${vinPath(vin)}/mobile_enabled`, {
      signal,
    });
    return (
      r === true ||
      (typeof r === 'object' && r !== null && (r as { result?: unknown }).result === true)
    );
  }

  /** Nearby Superchargers and destination chargers; `count`, `radius` (miles), `detail`. */
  async nearbyChargingSites(
    vin: string,
    o: {
      count?: number | undefined;
      radius?: number | undefined;
      detail?: boolean | undefined;
      signal?: AbortSignal | undefined;
    } = {},
  ): Promise<unknown> {
    return this.#api.request('GET', `/api/1/vehicles/${vinPath(vin)}/nearby_charging_sites`, {
      query: { count: o.count, radius: o.radius, detail: o.detail },
      signal: o.signal,
    });
  }

  /** `GET /api/1/dx/vehicles/options?vin=`. */
  async options(vin: string, signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', '/api/1/dx/vehicles/options', {
      query: { vin: vinPath(vin) },
      signal,
    });
  }

  async releaseNotes(
    vin: string,
    o: {
      staged?: boolean | undefined;
      language?: string | undefined;
      signal?: AbortSignal | undefined;
    } = {},
  ): Promise<unknown> {
    return this.#api.request('GET', `/api/1/vehicles/${vinPath(vin)}/release_notes`, {
      query: { staged: o.staged, language: o.language },
      signal: o.signal,
    });
  }

  async serviceData(vin: string, signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', `/api/1/vehicles/${vinPath(vin)}/service_data`, { signal });
  }

  async recentAlerts(vin: string, signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', `/api/1/vehicles/${vinPath(vin)}/recent_alerts`, { signal });
  }

  /** `POST /api/1/vehicles/fleet_status {"vins":[...]}`: key pairing and protocol requirement. */
  async fleetStatus(vins: readonly string[], signal?: AbortSignal): Promise<FleetStatus> {
    if (vins.length === 0 || vins.length > 100) {
      throw new RangeError('fleet: fleet_status takes 1 to 100 VINs');
    }
    const r = (await this.#api.request('POST', '/api/1/vehicles/fleet_status', {
      body: { vins: vins.map(vinPath) },
      signal,
    })) as Partial<FleetStatus> | undefined;
    return {
      ...r,
      key_paired_vins: asArray<string>(r?.key_paired_vins),
      unpaired_vins: asArray<string>(r?.unpaired_vins),
      vehicle_info: (r?.vehicle_info ?? {}) as FleetStatus['vehicle_info'],
    };
  }

  /** `GET /api/1/dx/warranty/details[?vin=]`. */
  async warrantyDetails(vin?: string, signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', '/api/1/dx/warranty/details', {
      query: { vin: vin === undefined ? undefined : vinPath(vin) },
      signal,
    });
  }

  async eligibleSubscriptions(vin: string, signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', '/api/1/dx/vehicles/subscriptions/eligibility', {
      query: { vin: vinPath(vin) },
      signal,
    });
  }

  async eligibleUpgrades(vin: string, signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', '/api/1/dx/vehicles/upgrades/eligibility', {
      query: { vin: vinPath(vin) },
      signal,
    });
  }

  /**
   * `GET /api/1/vehicles/{vin}/specs`, sent with a **partner** token: Fleet API clients that call
   * it describe it as partner-token only and priced per result (Tesla Fleet API docs, "Vehicle
   * Endpoints"). Without the app's credentials it fails before any request, naming
   * TESLA_CLIENT_ID / TESLA_CLIENT_SECRET.
   */
  async specs(vin: string, signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', `/api/1/vehicles/${vinPath(vin)}/specs`, {
      signal,
      partner: true,
    });
  }

  /** Enterprise accounts only: `POST /api/1/dx/enterprise/v1/{vin}/payer`. */
  async enterprisePayer(
    vin: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<unknown> {
    return this.#api.request('POST', `/api/1/dx/enterprise/v1/${vinPath(vin)}/payer`, {
      body,
      signal,
    });
  }

  /** Enterprise accounts only: `GET /api/1/dx/enterprise/v1/{vin}/roles`. */
  async enterpriseRoles(vin: string, signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', `/api/1/dx/enterprise/v1/${vinPath(vin)}/roles`, { signal });
  }
}
