/**
 * A simulated energy site (Powerwall + solar): solar follows the sun over the (UTC) day, the
 * house load wanders, the Powerwall covers the difference within its reserve, and the grid takes
 * the rest. Field names follow the Fleet API's `site_info` and `live_status` responses.
 *
 * @module
 */

export type OperationMode = 'self_consumption' | 'autonomous' | 'backup';

export class SimEnergySite {
  readonly id: number;
  readonly siteName: string;
  readonly capacityWh = 13_500;
  backupReservePercent = 20;
  operationMode: OperationMode = 'self_consumption';
  stormModeEnabled = false;
  offGridVehicleChargingReserve = 0;
  gridExport: 'battery_ok' | 'pv_only' | 'never' = 'pv_only';
  disallowChargeFromGrid = false;
  percentCharged = 62;
  readonly #now: () => number;
  #last: number;

  constructor(id: number, now: () => number, name = 'Sim Home') {
    this.id = id;
    this.siteName = name;
    this.#now = now;
    this.#last = now();
  }

  /** Instantaneous power flows in W at time `t` (positive battery = discharging). */
  flows(t = this.#now()): { solar: number; load: number; battery: number; grid: number } {
    const dayFraction = (t % 86_400_000) / 86_400_000;
    const sun = Math.max(0, Math.sin((dayFraction - 0.25) * 2 * Math.PI));
    const solar = Math.round(7_600 * sun);
    const load = Math.round(900 + 400 * Math.sin(t / 600_000) + 250 * Math.sin(t / 97_000));
    const net = load - solar; // > 0: the house needs power
    const reserve = this.operationMode === 'backup' ? 100 : this.backupReservePercent;
    let battery = 0;
    if (net > 0 && this.percentCharged > reserve) battery = Math.min(net, 5_000);
    if (net < 0 && this.percentCharged < 100) battery = Math.max(net, -5_000);
    return { solar, load, battery, grid: net - battery };
  }

  /** Integrates the battery's charge up to now. */
  sync(): void {
    const now = this.#now();
    const ms = now - this.#last;
    this.#last = now;
    if (ms <= 0) return;
    const { battery } = this.flows(now);
    const wh = (battery * ms) / 3_600_000;
    this.percentCharged = Math.min(
      100,
      Math.max(0, this.percentCharged - (wh / this.capacityWh) * 100),
    );
  }

  liveStatus(): Record<string, unknown> {
    this.sync();
    const f = this.flows();
    return {
      solar_power: f.solar,
      energy_left: Math.round((this.percentCharged / 100) * this.capacityWh),
      total_pack_energy: this.capacityWh,
      percentage_charged: Math.round(this.percentCharged * 10) / 10,
      backup_capable: true,
      battery_power: f.battery,
      load_power: f.load,
      grid_status: 'Active',
      grid_services_active: false,
      grid_power: f.grid,
      grid_services_power: 0,
      generator_power: 0,
      island_status: 'on_grid',
      storm_mode_active: false,
      timestamp: new Date(this.#now()).toISOString(),
      wall_connectors: [],
    };
  }

  siteInfo(): Record<string, unknown> {
    return {
      id: String(this.id),
      site_name: this.siteName,
      backup_reserve_percent: this.backupReservePercent,
      default_real_mode: this.operationMode,
      installation_date: '2023-04-18T10:00:00-07:00',
      user_settings: { storm_mode_enabled: this.stormModeEnabled },
      components: {
        solar: true,
        solar_type: 'pv_panel',
        battery: true,
        grid: true,
        backup: true,
        gateway: 'teg',
        load_meter: true,
        storm_mode_capable: true,
        off_grid_vehicle_charging_reserve_supported: true,
        customer_preferred_export_rule: this.gridExport,
        disallow_charge_from_grid_with_solar_installed: this.disallowChargeFromGrid,
      },
      version: '24.36.2',
      battery_count: 1,
      nameplate_power: 5_000,
      nameplate_energy: this.capacityWh,
      installation_time_zone: 'America/Los_Angeles',
      off_grid_vehicle_charging_reserve_percent: this.offGridVehicleChargingReserve,
    };
  }

  /** `calendar_history` for kind=energy: one entry per hour of the last day. */
  history(kind: string, period: string): Record<string, unknown> {
    const now = this.#now();
    const hourMs = 3_600_000;
    const end = now - (now % hourMs);
    const series = Array.from({ length: 24 }, (_, i) => {
      const t = end - (23 - i) * hourMs;
      const f = this.flows(t);
      return {
        timestamp: new Date(t).toISOString(),
        solar_energy_exported: Math.max(0, f.solar),
        grid_energy_imported: Math.max(0, f.grid),
        grid_energy_exported_from_solar: Math.max(0, -f.grid),
        battery_energy_exported: Math.max(0, f.battery),
        battery_energy_imported_from_solar: Math.max(0, -f.battery),
        consumer_energy_imported_from_grid: Math.max(0, f.grid),
        consumer_energy_imported_from_solar: Math.min(f.load, f.solar),
        consumer_energy_imported_from_battery: Math.max(0, f.battery),
      };
    });
    return { serial_number: `SIM${this.id}`, period, kind, time_series: series };
  }
}
