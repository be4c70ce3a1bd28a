/**
 * Energy sites (Powerwall, solar) and products (Tesla Fleet API docs, "Energy Endpoints"). Reads
 * need the `energy_device_data` scope and writes `energy_cmds`; both are checked before any
 * request. Not covered: the undocumented gateway gRPC `command` endpoint.
 *
 * @module
 */
import { ENERGY_CMDS, ENERGY_DATA } from '../../commands/scopes.js';
import { asArray, type FleetRequester, idPath } from './types.js';

export type EnergyOperationMode = 'self_consumption' | 'autonomous' | 'backup';
export type ExportRule = 'pv_only' | 'battery_ok' | 'never';
export type EnergyPeriod = 'day' | 'week' | 'month' | 'year';

const READ = ENERGY_DATA;
const WRITE = ENERGY_CMDS;

function percent(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 100)
    throw new RangeError(`fleet: ${what} must be an integer 0-100`);
  return n;
}

export class EnergyApi {
  readonly #api: FleetRequester;

  constructor(api: FleetRequester) {
    this.#api = api;
  }

  /** `GET /api/1/products`: vehicles and energy sites of the account. */
  async products(signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    return asArray(await this.#api.request('GET', '/api/1/products', { signal }));
  }

  async #get(
    id: string | number,
    path: string,
    query?: Record<string, string | undefined>,
    signal?: AbortSignal,
  ) {
    await this.#api.requireScopes(READ);
    return this.#api.request('GET', `/api/1/energy_sites/${idPath(id, 'energy_site_id')}/${path}`, {
      query,
      signal,
    });
  }

  async #post(id: string | number, path: string, body: unknown, signal?: AbortSignal) {
    await this.#api.requireScopes(WRITE);
    return this.#api.request(
      'POST',
      `/api/1/energy_sites/${idPath(id, 'energy_site_id')}/${path}`,
      {
        body,
        signal,
      },
    );
  }

  async siteInfo(id: string | number, signal?: AbortSignal): Promise<unknown> {
    return this.#get(id, 'site_info', undefined, signal);
  }

  async liveStatus(id: string | number, signal?: AbortSignal): Promise<unknown> {
    return this.#get(id, 'live_status', undefined, signal);
  }

  /** `calendar_history?kind=energy|backup&period=day|week|month|year[&start_date&end_date&time_zone]`. */
  async calendarHistory(
    id: string | number,
    o: {
      kind?: 'energy' | 'backup' | undefined;
      period?: EnergyPeriod | undefined;
      startDate?: string | undefined;
      endDate?: string | undefined;
      timeZone?: string | undefined;
      signal?: AbortSignal | undefined;
    } = {},
  ): Promise<unknown> {
    return this.#get(
      id,
      'calendar_history',
      {
        kind: o.kind ?? 'energy',
        period: o.period ?? 'day',
        start_date: o.startDate,
        end_date: o.endDate,
        time_zone: o.timeZone,
      },
      o.signal,
    );
  }

  /**
   * `telemetry_history?kind=charge[&period]&start_date&end_date&time_zone` (wall connector
   * charging); `period` is sent only when given.
   */
  async telemetryHistory(
    id: string | number,
    o: {
      period?: EnergyPeriod | undefined;
      startDate?: string | undefined;
      endDate?: string | undefined;
      timeZone?: string | undefined;
      signal?: AbortSignal | undefined;
    } = {},
  ): Promise<unknown> {
    return this.#get(
      id,
      'telemetry_history',
      {
        kind: 'charge',
        period: o.period,
        start_date: o.startDate,
        end_date: o.endDate,
        time_zone: o.timeZone,
      },
      o.signal,
    );
  }

  async setBackupReserve(
    id: string | number,
    backupReservePercent: number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    return this.#post(
      id,
      'backup',
      { backup_reserve_percent: percent(backupReservePercent, 'backup_reserve_percent') },
      signal,
    );
  }

  async setOperationMode(
    id: string | number,
    mode: EnergyOperationMode,
    signal?: AbortSignal,
  ): Promise<unknown> {
    if (!['self_consumption', 'autonomous', 'backup'].includes(mode)) {
      throw new RangeError('fleet: operation mode must be self_consumption, autonomous or backup');
    }
    return this.#post(id, 'operation', { default_real_mode: mode }, signal);
  }

  async setStormMode(
    id: string | number,
    enabled: boolean,
    signal?: AbortSignal,
  ): Promise<unknown> {
    return this.#post(id, 'storm_mode', { enabled }, signal);
  }

  /** Grid charging and export rule; at least one of the two must be given. */
  async setGridImportExport(
    id: string | number,
    o: {
      disallowChargeFromGridWithSolarInstalled?: boolean | undefined;
      customerPreferredExportRule?: ExportRule | undefined;
    },
    signal?: AbortSignal,
  ): Promise<unknown> {
    const body: Record<string, unknown> = {};
    if (o.disallowChargeFromGridWithSolarInstalled !== undefined) {
      body.disallow_charge_from_grid_with_solar_installed =
        o.disallowChargeFromGridWithSolarInstalled;
    }
    if (o.customerPreferredExportRule !== undefined) {
      if (!['pv_only', 'battery_ok', 'never'].includes(o.customerPreferredExportRule)) {
        throw new RangeError('fleet: export rule must be pv_only, battery_ok or never');
      }
      body.customer_preferred_export_rule = o.customerPreferredExportRule;
    }
    if (Object.keys(body).length === 0)
      throw new RangeError('fleet: give a grid charging or export setting');
    return this.#post(id, 'grid_import_export', body, signal);
  }

  async setOffGridVehicleChargingReserve(
    id: string | number,
    reservePercent: number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    return this.#post(
      id,
      'off_grid_vehicle_charging_reserve',
      {
        off_grid_vehicle_charging_reserve_percent: percent(
          reservePercent,
          'off_grid_vehicle_charging_reserve_percent',
        ),
      },
      signal,
    );
  }

  /** `time_of_use_settings {tou_settings: {tariff_content_v2}}`. */
  async setTimeOfUseSettings(
    id: string | number,
    tariffContentV2: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<unknown> {
    return this.#post(
      id,
      'time_of_use_settings',
      { tou_settings: { tariff_content_v2: tariffContentV2 } },
      signal,
    );
  }
}
