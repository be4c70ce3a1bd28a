/**
 * `SimFleet`: the simulated Fleet API in process. It owns the vehicles, the energy site, the
 * enrolled client keys, rate limits, request counts and the fault-injection queue, answers
 * `handle(request)` exactly as the HTTP server relays it, and implements the vehicle layer's
 * {@link FleetTransport} over the same `handle`, so in-process tests and HTTP see one behaviour.
 *
 * @module
 */
import { baseUrlFrom421, retryAfterFrom } from '../fleet/classify.js';
import { FLEET_TELEMETRY_AUDIENCE, verifyJws } from '../signing/jws.js';
import { safeEqual } from '../util/safe-equal.js';
import {
  FleetHttpError,
  type FleetTransport,
  type RestCommandResult,
  type VehicleSummary,
} from '../vehicle/transport.js';
import { SimEnergySite } from './energy.js';
import { type BillingCategory, RateLimiter, RequestCounter } from './limits.js';
import {
  asRecord,
  ERR_ASLEEP,
  fail,
  type Route,
  type SimRequest,
  type SimResponse,
} from './routes.js';
import { accountRoute } from './routes-account.js';
import { CONTROL_PREFIX, controlRoute } from './routes-control.js';
import { vehicleRoute } from './routes-vehicle.js';
import { SimSharing } from './sharing.js';
import type { VehicleKind } from './state.js';
import type { SimPartnerApp } from './token.js';
import { type DomainNumber, SimVehicle } from './vehicle.js';

/** Endpoints that take the app's partner token instead of the user's (`Route.endpoint`). */
const PARTNER_ENDPOINTS = new Set(['GET specs']);

export interface SimFleetOptions {
  /** Clock in ms (default `Date.now`); tests pass a fake one. */
  now?: () => number;
  /** The bearer token `handle` requires; `undefined` accepts any caller (in-process use). */
  token?: string;
  /** The developer app whose partner token `specs` requires (Tesla Fleet API docs, "specs"). */
  partner?: SimPartnerApp;
  /** Which vehicles to create (default: the three kinds of {@link DEFAULT_FLEET}). */
  vehicles?: { vin: string; kind: VehicleKind; name: string; asleep?: boolean }[];
  sleepAfterMs?: number;
  wakeDelayMs?: number;
  rateLimits?: Partial<Record<BillingCategory, number>>;
  /** Verifies a fleet telemetry config JWS (default: the signing library's `verifyJws`). */
  verifyJws?: (token: string) => { claims: Record<string, unknown>; publicKey: Uint8Array };
}

export const DEFAULT_FLEET: NonNullable<SimFleetOptions['vehicles']> = [
  { vin: '5YJ3E1EA1PF000001', kind: 'modern', name: 'Sim Model 3' },
  { vin: '5YJSA1E26JF000002', kind: 'legacy', name: 'Sim Model S 2018', asleep: true },
  { vin: '7SAYGDEE1PF000003', kind: 'unpaired', name: 'Sim Model Y (key not paired)' },
];

/** The most cars `simulatedCars` makes (`tesla-mcp sim --cars N`). */
export const MAX_SIM_CARS = 1000;

const VIN_VALUES: Record<string, number> = Object.fromEntries(
  [...'ABCDEFGHJKLMNPRSTUVWXYZ'].map((c, i) => [
    c,
    [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9][i] ?? 0,
  ]),
);
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** `vin` with its check digit (position 9, ISO 3779 / 49 CFR 565.15) computed. */
export function withCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = vin[i] ?? '0';
    sum += (/\d/.test(c) ? Number(c) : (VIN_VALUES[c] ?? 0)) * (VIN_WEIGHTS[i] ?? 0);
  }
  const r = sum % 11;
  return `${vin.slice(0, 8)}${r === 10 ? 'X' : String(r)}${vin.slice(9)}`;
}

/**
 * `n` paired, online Model 3s with valid VINs (check digit included), for load tests: serials
 * 100001 upwards, so they never clash with {@link DEFAULT_FLEET}.
 */
export function simulatedCars(n: number): NonNullable<SimFleetOptions['vehicles']> {
  if (!(Number.isInteger(n) && n >= 1 && n <= MAX_SIM_CARS)) {
    throw new RangeError(`sim: the number of cars must be 1-${MAX_SIM_CARS}, got ${n}`);
  }
  return Array.from({ length: n }, (_, i) => ({
    vin: withCheckDigit(`5YJ3E1EA0PF${String(100_001 + i)}`),
    kind: 'modern' as const,
    name: `Sim Model 3 #${i + 1}`,
  }));
}

/** A one-shot failure for the next matching call (fault injection). */
export interface HttpInjection {
  /** HTTP status to answer; 0 drops the connection without an answer. */
  status: number;
  error?: string;
  description?: string;
  retryAfterSeconds?: number;
  /** For 421: the base URL to name. */
  baseUrl?: string;
  /** Only calls for this VIN (default any). */
  vin?: string;
  /** Only this endpoint, e.g. `signed_command` (default any). */
  endpoint?: string;
  /** Run the request first, then lose/replace the answer (a command that may have executed). */
  execute?: boolean;
}

export class SimFleet implements FleetTransport {
  readonly vehicles = new Map<string, SimVehicle>();
  readonly site: SimEnergySite;
  readonly limiter: RateLimiter;
  readonly counter = new RequestCounter();
  readonly telemetryConfigs = new Map<string, Record<string, unknown>>();
  readonly sharing: SimSharing;
  readonly verifyJws: NonNullable<SimFleetOptions['verifyJws']>;
  readonly now: () => number;
  /** The base URL clients should use (set by the HTTP server). */
  baseUrl = 'http://127.0.0.1';
  readonly #token: string | undefined;
  readonly #partner: SimPartnerApp | undefined;
  readonly #injections: HttpInjection[] = [];

  constructor(o: SimFleetOptions = {}) {
    this.now = o.now ?? Date.now;
    this.#token = o.token;
    this.#partner = o.partner;
    this.verifyJws =
      o.verifyJws ??
      ((token) => verifyJws(token, { audience: FLEET_TELEMETRY_AUDIENCE, now: this.now() }));
    this.limiter = new RateLimiter(this.now, o.rateLimits);
    this.site = new SimEnergySite(1_689_000_111, this.now);
    this.sharing = new SimSharing(this.now);
    (o.vehicles ?? DEFAULT_FLEET).forEach((v, i) => {
      const car = new SimVehicle({
        ...v,
        id: 3_744_000_000 + i,
        now: this.now,
        ...(o.sleepAfterMs === undefined ? {} : { sleepAfterMs: o.sleepAfterMs }),
        ...(o.wakeDelayMs === undefined ? {} : { wakeDelayMs: o.wakeDelayMs }),
      });
      this.vehicles.set(v.vin, car);
    });
  }

  async vehicle(vin: string, signal?: AbortSignal): Promise<VehicleSummary> {
    const r = await this.#call('GET', `/api/1/vehicles/${vin}`, null, signal);
    return summary(r);
  }

  /** The simulated car itself (throws for an unknown VIN). */
  car(vin: string): SimVehicle {
    const v = this.vehicles.get(vin);
    if (!v) throw new Error(`sim: no vehicle ${vin}`);
    return v;
  }

  /** VINs of the cars whose key can be paired (all but the "not paired" kind). */
  get pairableVins(): string[] {
    return [...this.vehicles.values()].filter((v) => v.kind !== 'unpaired').map((v) => v.vin);
  }

  /** Enrols a client public key (65 bytes) on the given cars (default: every pairable car). */
  pairKey(publicKey: Uint8Array, vins = this.pairableVins): void {
    for (const vin of vins) this.car(vin).pair(publicKey);
  }

  // ---- fault injection -------------------------------------------------------------------

  /**
   * The next verified signed command to `vin` (to `o.domain` only, when given) is answered with
   * MessageFault `fault`, with tagged session info when `o.sessionInfo`.
   */
  injectFault(
    vin: string,
    fault: number,
    o: { domain?: DomainNumber; sessionInfo?: boolean } = {},
  ): void {
    this.car(vin).pendingFault = { fault, ...o };
  }

  /** A vehicle reboot: new epochs, counters and clocks restart (both domains by default). */
  reboot(vin: string, domain?: DomainNumber): void {
    const car = this.car(vin);
    for (const d of domain ? [domain] : ([2, 3] as const)) car.verifiers[d].reboot();
  }

  /** Moves the car's protocol clock by `seconds` (both domains by default). */
  skewClock(vin: string, seconds: number, domain?: DomainNumber): void {
    const car = this.car(vin);
    for (const d of domain ? [domain] : ([2, 3] as const)) car.verifiers[d].skewClock(seconds);
  }

  /** Replaces the car's vehicle key(s): cached client sessions stop verifying. */
  changeVehicleKey(vin: string, domain?: DomainNumber): void {
    this.car(vin).rotateKey(domain);
  }

  /** The next matching call answers `status` (5xx, 408, 421, 429, or 0 for no answer). */
  injectHttp(i: HttpInjection): void {
    this.#injections.push(i);
  }

  /** The next call to `vin` runs, and its reply is lost (no answer, or `status` 504). */
  dropNextReply(vin: string, status: 0 | 504 = 0, endpoint = 'signed_command'): void {
    this.#injections.push({ status, vin, endpoint, execute: true });
  }

  // ---- the API -----------------------------------------------------------------------------

  /** Whose token `header` carries: the user's, the app's partner token, or neither. */
  #caller(header: string | undefined): 'user' | 'partner' | undefined {
    if (this.#token === undefined) return 'user';
    const m = /^Bearer (.+)$/.exec(header ?? '');
    if (!m?.[1]) return undefined;
    if (safeEqual(m[1], this.#token)) return 'user';
    if (this.#partner && safeEqual(m[1], this.#partner.token)) return 'partner';
    return undefined;
  }

  /**
   * `POST /oauth2/v3/token` with a form body: the `client_credentials` grant of the simulator's
   * app for this Fleet API (`audience`), as Tesla's token endpoint answers it.
   */
  issuePartnerToken(form: URLSearchParams): SimResponse {
    const p = this.#partner;
    const bad = (status: number, error: string, description: string): SimResponse => ({
      status,
      body: { error, error_description: description, simulated: true },
    });
    if (!p) return bad(404, 'not_found', 'this simulator has no developer app');
    if (form.get('grant_type') !== 'client_credentials') {
      return bad(400, 'unsupported_grant_type', 'the simulator issues partner tokens only');
    }
    if (
      !safeEqual(form.get('client_id') ?? '', p.clientId) ||
      !safeEqual(form.get('client_secret') ?? '', p.clientSecret)
    ) {
      return bad(401, 'invalid_client', 'client_id or client_secret is not the simulator app');
    }
    if (form.get('audience') !== this.baseUrl) {
      return bad(400, 'invalid_request', `audience must be this Fleet API, ${this.baseUrl}`);
    }
    return {
      status: 200,
      body: { access_token: p.token, token_type: 'Bearer', expires_in: 8 * 3600, simulated: true },
    };
  }

  #route(req: SimRequest): Route | undefined {
    const parts = req.path.split('/').filter(Boolean);
    if (parts[0] !== 'api' || parts[1] !== '1') return undefined;
    let rest: string[];
    try {
      rest = parts.slice(2).map((p) => decodeURIComponent(p));
    } catch {
      return undefined; // a malformed %-escape: 404
    }
    return vehicleRoute(this, req, rest) ?? accountRoute(this, req, rest);
  }

  #takeInjection(route: Route): HttpInjection | undefined {
    const name = route.endpoint.split(' ')[1] ?? '';
    const i = this.#injections.findIndex(
      (x) =>
        (x.vin === undefined || x.vin === route.vehicle?.vin) &&
        (x.endpoint === undefined || x.endpoint === name),
    );
    return i < 0 ? undefined : this.#injections.splice(i, 1)[0];
  }

  /** Answers one Fleet API request, with Tesla's statuses and bodies. */
  handle(req: SimRequest): SimResponse {
    const caller = this.#caller(req.authorization);
    if (!caller) {
      return markSimulated(
        fail(401, 'invalid bearer token', "the token is missing or not this simulator's"),
      );
    }
    // Simulator controls: authenticated like the rest, but neither billed nor rate limited.
    if (req.path.startsWith(CONTROL_PREFIX)) return markSimulated(controlRoute(this, req));
    const route = this.#route(req);
    if (!route) {
      return markSimulated(fail(404, 'not_found', `no such endpoint: ${req.method} ${req.path}`));
    }
    // `specs` takes the app's partner token, and a partner token reads no user's data.
    const partnerOnly = PARTNER_ENDPOINTS.has(route.endpoint);
    if (this.#token !== undefined && partnerOnly !== (caller === 'partner')) {
      return markSimulated(
        partnerOnly
          ? fail(401, 'unauthorized', `${route.endpoint} needs the app's partner token`)
          : fail(401, 'unauthorized', 'a partner token does not read account or vehicle data'),
      );
    }
    const res = this.#run(route);
    this.counter.record(route.endpoint, route.category, res.drop ? 0 : res.status);
    return markSimulated(res);
  }

  #run(route: Route): SimResponse {
    const inj = this.#takeInjection(route);
    if (inj && !inj.execute) return injected(inj);
    const limit = this.limiter.take(route.subject, route.category);
    if (!limit.ok) {
      return {
        ...fail(429, 'Too Many Requests', `rate limit exceeded: retry in ${limit.retryAfter} s`),
        headers: { 'Retry-After': String(limit.retryAfter) },
      };
    }
    if (route.awake && route.vehicle && !route.vehicle.online) return fail(408, ERR_ASLEEP);
    const res = route.run();
    return inj ? injected(inj) : res;
  }

  async #call(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    signal?.throwIfAborted();
    const res = this.handle({
      method,
      path,
      query: new URLSearchParams(),
      body,
      authorization: this.#token === undefined ? undefined : `Bearer ${this.#token}`,
    });
    if (res.drop) {
      throw new FleetHttpError({ status: 0, message: 'fleet: no answer (connection dropped)' });
    }
    if (res.status >= 200 && res.status < 300) return asRecord(res.body).response;
    const b = asRecord(res.body);
    const text = typeof b.error === 'string' ? b.error : undefined;
    throw new FleetHttpError({
      status: res.status,
      error: text,
      description: typeof b.error_description === 'string' ? b.error_description : undefined,
      retryAfterSeconds: retryAfterFrom(res.headers ?? {}),
      baseUrl: baseUrlFrom421(text ?? ''),
    });
  }

  // ---- FleetTransport ------------------------------------------------------------------------

  async signedCommand(vin: string, msg: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const b64 = Buffer.from(msg).toString('base64');
    const path = `/api/1/vehicles/${vin}/signed_command`;
    const r = await this.#call('POST', path, { routable_message: b64 }, signal);
    if (typeof r !== 'string') throw new FleetHttpError({ status: 200, error: 'no response' });
    return Uint8Array.from(Buffer.from(r, 'base64'));
  }

  async restCommand(
    vin: string,
    name: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<RestCommandResult> {
    const r = asRecord(
      await this.#call('POST', `/api/1/vehicles/${vin}/command/${name}`, body, signal),
    );
    return { result: r.result === true, reason: typeof r.reason === 'string' ? r.reason : '' };
  }

  async wakeUp(vin: string, signal?: AbortSignal): Promise<VehicleSummary> {
    return summary(await this.#call('POST', `/api/1/vehicles/${vin}/wake_up`, null, signal));
  }
}

/** Every JSON body the simulator sends says so at its top level. */
function markSimulated(res: SimResponse): SimResponse {
  const b = res.body;
  if (typeof b === 'object' && b !== null && !Array.isArray(b) && !(b instanceof Uint8Array)) {
    return { ...res, body: { ...b, simulated: true } };
  }
  return res;
}

function injected(i: HttpInjection): SimResponse {
  if (i.status === 0) return { status: 0, body: null, drop: true };
  const error =
    i.error ??
    (i.status === 421 && i.baseUrl
      ? `user out of region, use base URL: ${i.baseUrl}`
      : i.status === 408
        ? ERR_ASLEEP
        : i.status === 429
          ? 'Too Many Requests'
          : i.status === 503
            ? 'vehicle unavailable'
            : 'internal server error');
  const res = fail(i.status, error, i.description ?? '');
  if (i.retryAfterSeconds !== undefined)
    res.headers = { 'Retry-After': String(i.retryAfterSeconds) };
  return res;
}

function summary(r: unknown): VehicleSummary {
  const b = asRecord(r);
  const state = b.state === 'online' || b.state === 'asleep' ? b.state : 'offline';
  return {
    vin: String(b.vin),
    state,
    ...(typeof b.display_name === 'string' ? { displayName: b.display_name } : {}),
  };
}
