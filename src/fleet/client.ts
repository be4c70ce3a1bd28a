/**
 * {@link FleetClient}: the Fleet API for the rest of tesla-mcp. It implements the transport seam
 * (`FleetTransport`: signed_command, REST command, wake_up, vehicle state) and the typed
 * endpoint groups of `./api` by area (`FleetEndpoints`: `client.vehicles`, `client.energy`, ...),
 * which is what the MCP tools see as `FleetApi`. It owns the billing counters, the wake budget
 * and `wakeAndWait`.
 *
 * @module
 */
import type { FleetTransport, RestCommandResult, VehicleSummary } from '../vehicle/transport.js';
import type { ChargingApi } from './api/charging.js';
import type { EnergyApi } from './api/energy.js';
import { type FleetEndpoints, fleetEndpoints } from './api/index.js';
import type { PartnerApi } from './api/partner.js';
import type { SharingApi } from './api/sharing.js';
import type { SignTelemetryConfig, TelemetryApi } from './api/telemetry.js';
import { type FleetRequester, vinPath } from './api/types.js';
import type { UserApi } from './api/user.js';
import type { VehiclesApi } from './api/vehicles.js';
import type { TokenManager, TokenSource } from './auth.js';
import { Billing, type BillingReport, type BillingSummary } from './billing.js';
import { FleetApiError } from './errors.js';
import { FleetHttp, type FleetHttpOptions, type HttpMethod, type RequestOptions } from './http.js';
import {
  defaultSleep,
  type SharedWakes,
  type Sleep,
  type WakeAndWaitOptions,
  WakeBudget,
  type WakeBudgetSpec,
  type WakeResult,
  wakeAndWait,
} from './wake.js';

export interface FleetClientOptions
  extends Omit<FleetHttpOptions, 'tokens' | 'billing' | 'tokenBaseUrl'> {
  /** The client's own tokens; absent when every call brings its caller's `bearer` (the proxy). */
  tokens?:
    | (TokenSource & Partial<Pick<TokenManager, 'requireScopes' | 'scopes' | 'tokenRegion'>>)
    | undefined;
  billing?: Billing | undefined;
  /** Parsed `TESLA_WAKE_BUDGET`; undefined = unlimited. */
  wakeBudget?: WakeBudgetSpec | undefined;
  /** The wake budget shared by every instance (`--redis`); default this process's own. */
  sharedWakes?: SharedWakes | undefined;
  /** Signs telemetry configs (`signFleetTelemetryConfig` bound to the command key). */
  signJws?: SignTelemetryConfig | undefined;
  sleep?: Sleep | undefined;
  now?: (() => number) | undefined;
}

const COMMAND_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** Per call: a caller's own token (the proxy), and a REST body to send byte for byte. */
export type CallOptions = Pick<RequestOptions, 'bearer' | 'rawBody'>;

export class FleetClient implements FleetTransport, FleetRequester, FleetEndpoints {
  readonly http: FleetHttp;
  readonly billing: Billing;
  declare readonly vehicles: VehiclesApi;
  declare readonly charging: ChargingApi;
  declare readonly energy: EnergyApi;
  declare readonly user: UserApi;
  declare readonly partner: PartnerApi;
  declare readonly telemetry: TelemetryApi;
  declare readonly sharing: SharingApi;
  readonly #o: FleetClientOptions;
  readonly #budget: WakeBudget;
  #sharedWakes: SharedWakes | undefined;

  #simulated = false;

  constructor(o: FleetClientOptions) {
    this.#o = o;
    this.billing = o.billing ?? new Billing();
    const tokens = o.tokens;
    this.http = new FleetHttp({
      ...o,
      billing: this.billing,
      tokenBaseUrl: async () => (await tokens?.tokenRegion?.())?.baseUrl,
    });
    this.#budget = new WakeBudget(o.wakeBudget, o.now);
    this.#sharedWakes = o.sharedWakes;
    // The endpoint groups come from the one list in fleet/api (fleetEndpoints).
    Object.assign(this, fleetEndpoints(this, o.signJws));
  }

  /**
   * Whether the Fleet API this client talks to has said it is a simulator (`tesla-mcp sim` marks
   * every JSON answer with `"simulated": true`), so results can say so too.
   */
  get simulated(): boolean {
    return this.#simulated;
  }

  /** `METHOD /api/1/...`: the answer's `response` member (or the whole body when it has none). */
  async request(method: HttpMethod, path: string, o: RequestOptions = {}): Promise<unknown> {
    if (!path.startsWith('/')) throw new RangeError(`fleet: path must start with '/': ${path}`);
    const res = await this.http.request(method, path, o);
    const body = res.body;
    if (body && typeof body === 'object' && (body as { simulated?: unknown }).simulated === true) {
      this.#simulated = true;
    }
    if (body && typeof body === 'object' && !(body instanceof Uint8Array) && 'response' in body) {
      return (body as { response: unknown }).response;
    }
    return body;
  }

  async requireScopes(scopes: readonly string[]): Promise<void> {
    await this.#o.tokens?.requireScopes?.(scopes);
  }

  async scopes(): Promise<readonly string[] | undefined> {
    return this.#o.tokens?.scopes?.();
  }

  /**
   * Region auto-discovery: asks `/api/1/users/region` and sends later calls to the base URL it
   * names (a Tesla host only). Returns the region and the base URL now in use.
   */
  async discoverRegion(signal?: AbortSignal): Promise<{ region: string; baseUrl: string }> {
    const r = await this.user.region(signal);
    if (r.fleet_api_base_url) this.http.adoptBaseUrl(r.fleet_api_base_url);
    return { region: r.region, baseUrl: await this.http.baseUrl() };
  }

  /** `POST /api/1/vehicles/{vin}/signed_command {"routable_message": b64}` → the reply bytes. */
  async signedCommand(
    vin: string,
    routableMessage: Uint8Array,
    signal?: AbortSignal,
    call: CallOptions = {},
  ): Promise<Uint8Array> {
    const r = await this.request('POST', `/api/1/vehicles/${vinPath(vin)}/signed_command`, {
      body: { routable_message: Buffer.from(routableMessage).toString('base64') },
      signal,
      bearer: call.bearer,
    });
    if (typeof r !== 'string' || r === '') {
      throw new FleetApiError({
        status: 200,
        code: 'unknown_outcome',
        mayHaveExecuted: true,
        message:
          'fleet: signed_command answered without a response message: the command may have run; read the vehicle state before retrying',
      });
    }
    return new Uint8Array(Buffer.from(r, 'base64'));
  }

  /**
   * `POST /api/1/vehicles/{vin}/command/{name}` with the caller's JSON body (`call.rawBody`:
   * the caller's bytes as they came).
   */
  async restCommand(
    vin: string,
    name: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
    call: CallOptions = {},
  ): Promise<RestCommandResult> {
    if (!COMMAND_NAME.test(name)) throw new RangeError(`fleet: invalid command name '${name}'`);
    const r = (await this.request('POST', `/api/1/vehicles/${vinPath(vin)}/command/${name}`, {
      body,
      signal,
      ...call,
    })) as { result?: unknown; reason?: unknown } | undefined;
    return { result: r?.result === true, reason: typeof r?.reason === 'string' ? r.reason : '' };
  }

  /** `POST /api/1/vehicles/{vin}/wake_up` (body `null`), after taking one wake from the budget. */
  async wakeUp(vin: string, signal?: AbortSignal, call: CallOptions = {}): Promise<VehicleSummary> {
    const v = vinPath(vin);
    const shared = this.#sharedWakes;
    if (shared) await this.#budget.takeShared(v, shared);
    else this.#budget.take(v);
    const r = await this.request('POST', `/api/1/vehicles/${v}/wake_up`, {
      body: null,
      signal,
      bearer: call.bearer,
    });
    return summary(v, r);
  }

  /** `GET /api/1/vehicles/{vin}`: a billed data request that never wakes the car. */
  async vehicle(
    vin: string,
    signal?: AbortSignal,
    call: CallOptions = {},
  ): Promise<VehicleSummary> {
    const v = vinPath(vin);
    const r = await this.request('GET', `/api/1/vehicles/${v}`, { signal, bearer: call.bearer });
    return summary(v, r);
  }

  /** wake_up, then poll with backoff until online or the deadline (a bounded count of polls). */
  wakeAndWait(vin: string, o: WakeAndWaitOptions): Promise<WakeResult> {
    return wakeAndWait(this, vin, o, this.#o.sleep ?? defaultSleep, this.#o.now ?? Date.now);
  }

  /** Wakes left for `vin` in the current budget window. */
  wakesRemaining(vin: string): number {
    return this.#budget.remaining(vinPath(vin));
  }

  /**
   * Takes wakes from `shared` from now on (the state store every instance uses), when the store
   * is opened after the client (the dispatcher's file store).
   */
  shareWakes(shared: SharedWakes): void {
    this.#sharedWakes = shared;
  }

  /** This process's billable calls. */
  billingSummary(): BillingSummary {
    return this.billing.summary();
  }

  /** The calls of every instance sharing the billing store (see {@link Billing.report}). */
  billingReport(): Promise<BillingReport> {
    return this.billing.report();
  }
}

function summary(vin: string, r: unknown): VehicleSummary {
  const o = (r ?? {}) as { state?: unknown; display_name?: unknown; vin?: unknown };
  const state = o.state === 'online' || o.state === 'asleep' ? o.state : 'offline';
  const out: VehicleSummary = { vin: typeof o.vin === 'string' ? o.vin : vin, state };
  if (typeof o.display_name === 'string' && o.display_name) out.displayName = o.display_name;
  return out;
}
