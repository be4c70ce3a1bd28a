/**
 * The Fleet API endpoints grouped by area, over any {@link FleetRequester}: the one place that
 * writes their paths, builds their queries and bodies, and checks their scopes. `FleetClient`
 * exposes them as its members; the MCP tools get the same groups through `ToolDeps.api`.
 *
 * @module
 */
import { ChargingApi } from './charging.js';
import { EnergyApi } from './energy.js';
import { PartnerApi } from './partner.js';
import { SharingApi } from './sharing.js';
import { type SignTelemetryConfig, TelemetryApi } from './telemetry.js';
import type { FleetRequester } from './types.js';
import { UserApi } from './user.js';
import { VehiclesApi } from './vehicles.js';

export interface FleetEndpoints {
  readonly vehicles: VehiclesApi;
  readonly charging: ChargingApi;
  readonly energy: EnergyApi;
  readonly user: UserApi;
  readonly partner: PartnerApi;
  readonly telemetry: TelemetryApi;
  readonly sharing: SharingApi;
}

/** Every endpoint group over `api`; `sign` signs fleet-telemetry configs (the command key). */
export function fleetEndpoints(api: FleetRequester, sign?: SignTelemetryConfig): FleetEndpoints {
  return {
    vehicles: new VehiclesApi(api),
    charging: new ChargingApi(api),
    energy: new EnergyApi(api),
    user: new UserApi(api),
    partner: new PartnerApi(api),
    telemetry: new TelemetryApi(api, sign),
    sharing: new SharingApi(api),
  };
}
