/**
 * The Fleet API client: {@link createFleetClient} wires a {@link FleetClient} from the
 * environment names of the README's "Environment" table
 * (`TESLA_ACCESS_TOKEN`, `TESLA_TOKEN_FILE`, `TESLA_REFRESH_TOKEN`, `TESLA_CLIENT_ID`,
 * `TESLA_CLIENT_SECRET`, `TESLA_REGION`, `TESLA_FLEET_API_URL`, `TESLA_WAKE_BUDGET`,
 * `TESLA_DOMAIN`).
 *
 * @module
 */

import { configPaths, type Env } from '../config/paths.js';
import type { SignTelemetryConfig } from './api/telemetry.js';
import { TokenManager } from './auth.js';
import { FleetClient } from './client.js';
import type { Dispatcher } from './dispatcher.js';
import { checkBaseUrl, parseRegion, type Region } from './regions.js';
import { TokenStore } from './token-store.js';
import { parseWakeBudget, type SharedWakes } from './wake.js';

export { DEFAULT_SCOPES } from '../commands/scopes.js';
export { checkDomain, PartnerApi, publicKeyUrl } from './api/partner.js';
export { type SignTelemetryConfig, TelemetryApi } from './api/telemetry.js';
export { DEFAULT_VEHICLE_DATA, VEHICLE_DATA_ENDPOINTS, VehiclesApi } from './api/vehicles.js';
export { TokenManager, type TokenSource } from './auth.js';
export {
  Billing,
  type BillingReport,
  type BillingSummary,
  categorize,
  PRICES,
  type SharedBillingCounters,
} from './billing.js';
export { FleetClient, type FleetClientOptions } from './client.js';
export {
  FleetApiError,
  FleetConfigError,
  type FleetErrorCode,
  LoginRequiredError,
  NotLoggedInError,
  ScopeError,
  WakeBudgetError,
} from './errors.js';
export { FleetHttp, type HttpMethod, type RequestOptions } from './http.js';
export { decodeJwtClaims, REGIONS, type Region, regionFromClaims } from './regions.js';
export { type StoredTokens, TokenStore } from './token-store.js';
export { parseWakeBudget, WakeBudget, type WakeResult } from './wake.js';

export interface CreateFleetClientOptions {
  dispatcher?: Dispatcher | undefined;
  signJws?: SignTelemetryConfig | undefined;
  timeoutMs?: number | undefined;
  /** Tesla's token endpoint (tests: a fake authorization server). */
  tokenUrl?: string | undefined;
  /** Where the tokens live (default the token file; several instances: the shared store). */
  tokenStore?: TokenStore | undefined;
  /** The wake budget shared by every instance (`--redis`). */
  sharedWakes?: SharedWakes | undefined;
}

/** The region named by `TESLA_REGION` (validated), or undefined to use the token's. */
export function regionFromEnv(env: Env): Region | undefined {
  return env.TESLA_REGION ? parseRegion(env.TESLA_REGION) : undefined;
}

/** Token manager from the environment (fixed token, token file, refresh seed, app credentials). */
export function tokenManagerFromEnv(
  env: Env,
  dispatcher?: Dispatcher,
  tokenUrl?: string,
  store?: TokenStore,
): TokenManager {
  const region = regionFromEnv(env);
  return new TokenManager({
    store: store ?? new TokenStore(configPaths(env).tokens),
    fixedToken: env.TESLA_ACCESS_TOKEN || undefined,
    seedRefreshToken: env.TESLA_REFRESH_TOKEN || undefined,
    clientId: env.TESLA_CLIENT_ID || undefined,
    clientSecret: env.TESLA_CLIENT_SECRET || undefined,
    region,
    dispatcher,
    ...(tokenUrl ? { tokenUrl } : {}),
  });
}

/** A {@link FleetClient} configured from the environment; throws `FleetConfigError` on bad values. */
export function createFleetClient(
  env: Env = process.env,
  o: CreateFleetClientOptions = {},
): { client: FleetClient; tokens: TokenManager } {
  const tokens = tokenManagerFromEnv(env, o.dispatcher, o.tokenUrl, o.tokenStore);
  const client = new FleetClient({
    tokens,
    baseUrl: env.TESLA_FLEET_API_URL ? checkBaseUrl(env.TESLA_FLEET_API_URL) : undefined,
    region: regionFromEnv(env),
    wakeBudget: parseWakeBudget(env.TESLA_WAKE_BUDGET),
    sharedWakes: o.sharedWakes,
    appDomain: env.TESLA_DOMAIN || undefined,
    dispatcher: o.dispatcher,
    signJws: o.signJws,
    timeoutMs: o.timeoutMs,
  });
  return { client, tokens };
}
