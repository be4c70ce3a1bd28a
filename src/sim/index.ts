/**
 * The built-in simulated fleet: a local Fleet API (three kinds of vehicle and an energy site)
 * whose cars accept only correctly signed commands from enrolled keys. `startSimulator` is what
 * `tesla-mcp sim`, `serve --simulator` and `npm start` run; `SimFleet` is the same fleet in
 * process as a `FleetTransport` for fast tests. Nothing here reads or writes the CONFIG folder.
 *
 * @module
 */
import { DEFAULT_FLEET, SimFleet, type SimFleetOptions } from './fleet.js';
import { SIM_TOKEN_PATH, serveFleet } from './server.js';
import { type SimPartnerApp, simulatedAccessToken, simulatedPartnerApp } from './token.js';

export {
  DEFAULT_FLEET,
  type HttpInjection,
  SimFleet,
  type SimFleetOptions,
} from './fleet.js';
export { type BillingCategory, RATE_LIMITS, type RequestCounts } from './limits.js';
export type { SimRequest, SimResponse } from './routes.js';
export type { Driver, Invitation } from './sharing.js';
export type { VehicleKind } from './state.js';
export type { SimPartnerApp } from './token.js';
export type { CommandRecord, SimVehicle } from './vehicle.js';

export interface StartSimulatorOptions extends Omit<SimFleetOptions, 'token' | 'partner'> {
  /** TCP port on 127.0.0.1 (default 0: a free port). */
  port?: number;
  /** 65-byte public keys to enrol on the pairable cars (e.g. the server's command key). */
  pairKeys?: Uint8Array[];
}

export interface RunningSimulator {
  /** Base URL of the simulated Fleet API, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The simulated access token (a JWT) the server requires as `Authorization: Bearer`. */
  token: string;
  /** The simulator's developer app (`TESLA_CLIENT_ID` / `TESLA_CLIENT_SECRET`) for partner tokens. */
  partner: Omit<SimPartnerApp, 'token'> & { tokenUrl: string };
  vins: string[];
  fleet: SimFleet;
  close(): Promise<void>;
}

/** Starts the simulated Fleet API on 127.0.0.1. */
export async function startSimulator(o: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const { port, pairKeys, ...fleetOptions } = o;
  const now = fleetOptions.now ?? Date.now;
  const token = simulatedAccessToken(now());
  const app = simulatedPartnerApp(now());
  const fleet = new SimFleet({ ...fleetOptions, token, partner: app });
  for (const key of pairKeys ?? []) fleet.pairKey(key);
  const server = await serveFleet(fleet, port ?? 0);
  return {
    url: server.url,
    token,
    partner: {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      tokenUrl: `${server.url}${SIM_TOKEN_PATH}`,
    },
    vins: [...fleet.vehicles.keys()],
    fleet,
    close: () => server.close(),
  };
}

/** The VINs of the default fleet, by kind. */
export const SIM_VINS = {
  modern: DEFAULT_FLEET[0]?.vin ?? '',
  legacy: DEFAULT_FLEET[1]?.vin ?? '',
  unpaired: DEFAULT_FLEET[2]?.vin ?? '',
};
