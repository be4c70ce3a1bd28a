/**
 * The Fleet API over HTTP ({@link FleetHttp}, on undici 7 `request`; tests inject a `MockAgent`
 * as `dispatcher`). Every request has a timeout and a bounded body; answers are classified by
 * `classify.ts` and counted by `billing.ts`. Retries are deliberately few:
 * - a 401 triggers one token refresh (single-flight) and one retry (the request was refused, so
 *   nothing ran);
 * - a 421 naming a host under tesla.com / tesla.cn switches host for every later call, and a GET
 *   is retried once there; a POST is returned as an error carrying `baseUrl` (unless
 *   `misdirected.resendAll`: a 421 means Tesla did not process the request, and Tesla's
 *   `tesla-http-proxy` resends any method once, after a pause);
 * - 429 is returned at once with `retryAfterSeconds`, never slept through;
 * - nothing else is retried, POSTs least of all.
 *
 * A call may bring its own `bearer` token (the proxy's caller's) instead of the client's: it is
 * never refreshed, and the host a 421 names is remembered for that token only (`hosts.ts`).
 * {@link FleetHttp.passThrough} forwards any request as it came and returns the answer as bytes.
 *
 * @module
 */
import { setTimeout as delay } from 'node:timers/promises';
import { VERSION } from '../version.js';
import { PartnerCredentialsError, type TokenSource } from './auth.js';
import type { Billing } from './billing.js';
import { parseJson } from './body.js';
import { baseUrlFrom421, errorFromResponse } from './classify.js';
import type { Dispatcher } from './dispatcher.js';
import { FleetApiError } from './errors.js';
import {
  type Exchange,
  type ExchangeResponse,
  exchange,
  first,
  type HeaderMap,
  type Query,
  queryString,
  vinOf,
} from './exchange.js';
import { callerKey, HostMemory } from './hosts.js';
import {
  acceptableSwitch,
  decodeJwtClaims,
  REGIONS,
  type Region,
  regionFromClaims,
} from './regions.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type { ExchangeResponse, HeaderMap, Query } from './exchange.js';

export interface RequestOptions {
  query?: Query | undefined;
  /** JSON body; `null` sends the literal `null` (wake_up), `undefined` sends none. */
  body?: unknown;
  /** A JSON body as bytes, sent as they are (a caller's original request); wins over `body`. */
  rawBody?: Uint8Array | undefined;
  signal?: AbortSignal | undefined;
  /** Use a partner token (client-credentials) instead of the user's. */
  partner?: boolean | undefined;
  /** Send this caller's token instead of the client's own (the proxy): never refreshed. */
  bearer?: string | undefined;
  /** Send to this base URL instead of the client's (partner registration per region). */
  baseUrl?: string | undefined;
  timeoutMs?: number | undefined;
  /** Return a 2xx body as bytes (`body` is a `Uint8Array`), e.g. an invoice PDF. */
  binary?: boolean | undefined;
}

export interface FleetHttpOptions {
  /** The client's own tokens; absent when every call brings its `bearer` (the proxy). */
  tokens?: TokenSource | undefined;
  /** `TESLA_FLEET_API_URL` (already validated by `checkBaseUrl`). */
  baseUrl?: string | undefined;
  /** `TESLA_REGION`. */
  region?: Region | undefined;
  /** Resolves the token's own base URL (claims); consulted when no URL or region is set. */
  tokenBaseUrl?: (() => Promise<string | undefined>) | undefined;
  dispatcher?: Dispatcher | undefined;
  timeoutMs?: number | undefined;
  maxBodyBytes?: number | undefined;
  billing?: Billing | undefined;
  appDomain?: string | undefined;
  userAgent?: string | undefined;
  /** After a 421 naming a Tesla host: resend any method there (not only GETs), after `delayMs`. */
  misdirected?: { resendAll: boolean; delayMs: number } | undefined;
  /** Hosts learned per `bearer` token; default a new bounded memory. */
  hosts?: HostMemory | undefined;
}

export interface RawResponse {
  status: number;
  body: unknown;
  headers: HeaderMap;
}

/** A request forwarded as it came: any method and path, the caller's headers and body bytes. */
export interface PassThroughRequest {
  method: string;
  /** Path and query, e.g. `/api/1/vehicles?page=2`. */
  pathAndQuery: string;
  /** Sent as they are, except `authorization` (always `Bearer <bearer>`). */
  headers?: HeaderMap | undefined;
  body?: Uint8Array | undefined;
  bearer: string;
  signal?: AbortSignal | undefined;
}

const MUTATING = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

export class FleetHttp {
  readonly #o: FleetHttpOptions;
  readonly #hosts: HostMemory;
  #learned: string | undefined;

  constructor(o: FleetHttpOptions) {
    this.#o = o;
    this.#hosts = o.hosts ?? new HostMemory();
  }

  /** The base URL the next call goes to (with the client's own token). */
  async baseUrl(): Promise<string> {
    if (this.#learned) return this.#learned;
    if (this.#o.baseUrl) return this.#o.baseUrl;
    if (this.#o.region) return REGIONS[this.#o.region].fleetApi;
    return (await this.#o.tokenBaseUrl?.()) ?? REGIONS.na.fleetApi;
  }

  /**
   * The base URL for a call with a caller's token: a host a 421 named for this token, else the
   * configured URL or region, else the one the token's audience names, else North America.
   */
  baseUrlFor(bearer: string): string {
    const learned = this.#hosts.get(callerKey(bearer));
    if (learned) return learned;
    if (this.#o.baseUrl) return this.#o.baseUrl;
    if (this.#o.region) return REGIONS[this.#o.region].fleetApi;
    return regionFromClaims(decodeJwtClaims(bearer))?.baseUrl ?? REGIONS.na.fleetApi;
  }

  /**
   * Adopts a base URL the account names (`/api/1/users/region`); only hosts under tesla.com /
   * tesla.cn are accepted. Returns the URL in use, or undefined when refused.
   */
  adoptBaseUrl(url: string): string | undefined {
    const ok = acceptableSwitch(url);
    if (ok) this.#learned = ok;
    return ok;
  }

  /** A host learned from a 421, if any. */
  get learnedBaseUrl(): string | undefined {
    return this.#learned;
  }

  /** `METHOD path`: the full JSON body of a 2xx answer; throws {@link FleetApiError} otherwise. */
  async request(method: HttpMethod, path: string, o: RequestOptions = {}): Promise<RawResponse> {
    let token = o.bearer ?? (await this.#token(o));
    let refreshed = false;
    let switched = false;
    for (;;) {
      const base = await this.#base(o);
      const res = await this.#send(method, base, path, token, o);
      if (res.status >= 200 && res.status < 300) return res;
      if (res.status === 401 && !refreshed && !o.partner && o.bearer === undefined) {
        refreshed = true;
        const next = await this.#o.tokens?.onUnauthorized(token, o.signal);
        if (next) {
          token = next;
          continue;
        }
      }
      const err = errorFromResponse({
        status: res.status,
        body: res.body,
        text: res.text,
        headers: res.headers,
        method,
        mutating: MUTATING.has(method),
        vin: vinOf(path),
        path: path.split('?')[0],
        appDomain: this.#o.appDomain,
        secrets: [token, ...(this.#o.tokens?.secrets?.() ?? [])],
      });
      if (res.status === 421) {
        const target = err.baseUrl ? acceptableSwitch(err.baseUrl) : undefined;
        if (target && target !== base && o.baseUrl === undefined) {
          this.#learn(o.bearer, target);
          const resend = method === 'GET' || this.#o.misdirected?.resendAll === true;
          if (resend && !switched && (await this.#pause(o.signal))) {
            switched = true;
            continue;
          }
        }
        if (!target) {
          throw new FleetApiError({
            status: 421,
            code: 'region',
            error: err.error,
            description: err.description,
            message:
              'fleet: wrong region (HTTP 421) and no valid Tesla host named: set TESLA_REGION (na, eu or cn)',
          });
        }
      }
      throw err;
    }
  }

  /**
   * Forwards one request with the caller's token and returns Tesla's answer as it came, any
   * status. A 421 naming another Tesla host is remembered for the token and followed once
   * (any method: a 421 means nothing ran). Throws {@link FleetApiError} (with `noAnswer`) only
   * when no usable answer came back, or the caller's abort reason.
   */
  async passThrough(req: PassThroughRequest): Promise<ExchangeResponse> {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers ?? {})) {
      if (v !== undefined && k.toLowerCase() !== 'authorization') headers[k.toLowerCase()] = v;
    }
    headers.authorization = `Bearer ${req.bearer}`;
    headers['user-agent'] ??= this.#userAgent();
    const x = { ...req, headers, base: this.baseUrlFor(req.bearer) };
    let res = await this.#exchange(x);
    if (res.status !== 421) return res;
    const named = baseUrlFrom421(res.body.toString('utf8'), first(res.headers['alt-svc']));
    const target = named ? acceptableSwitch(named) : undefined;
    if (!target || target === x.base) return res;
    this.#learn(req.bearer, target);
    if (!(await this.#pause(req.signal))) return res;
    res = await this.#exchange({ ...x, base: target });
    return res;
  }

  #learn(bearer: string | undefined, target: string): void {
    if (bearer === undefined) this.#learned = target;
    else this.#hosts.set(callerKey(bearer), target);
  }

  /** The pause before resending after a 421; false when the caller gave up meanwhile. */
  async #pause(signal: AbortSignal | undefined): Promise<boolean> {
    const ms = this.#o.misdirected?.delayMs ?? 0;
    if (ms <= 0) return !signal?.aborted;
    try {
      await delay(ms, undefined, signal ? { signal } : {});
      return true;
    } catch {
      return false; // the 421 stands: nothing ran
    }
  }

  async #base(o: RequestOptions): Promise<string> {
    if (o.baseUrl) return o.baseUrl;
    return o.bearer === undefined ? this.baseUrl() : this.baseUrlFor(o.bearer);
  }

  #userAgent(): string {
    return this.#o.userAgent ?? `tesla-mcp/${VERSION}`;
  }

  async #token(o: RequestOptions): Promise<string> {
    const tokens = this.#o.tokens;
    if (!tokens) {
      throw new FleetApiError({
        status: 0,
        code: 'unauthorized',
        mayHaveExecuted: false,
        message: 'fleet: no token for this request (this client sends only its callers’ tokens)',
      });
    }
    if (!o.partner) return tokens.accessToken(o.signal);
    if (!tokens.partnerToken) throw new PartnerCredentialsError();
    return tokens.partnerToken(o.baseUrl ?? (await this.baseUrl()), o.signal);
  }

  async #send(
    method: HttpMethod,
    base: string,
    path: string,
    token: string,
    o: RequestOptions,
  ): Promise<RawResponse & { text: string }> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'user-agent': this.#userAgent(),
    };
    let body: string | Uint8Array | undefined;
    if (o.rawBody !== undefined) body = o.rawBody;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const pathAndQuery = `${path}${queryString(o.query)}`;
    const x = {
      method,
      base,
      pathAndQuery,
      headers,
      body,
      signal: o.signal,
      timeoutMs: o.timeoutMs,
    };
    const res = await this.#exchange(x);
    if (o.binary && res.status >= 200 && res.status < 300) {
      return { status: res.status, body: new Uint8Array(res.body), text: '', headers: res.headers };
    }
    const text = res.body.toString('utf8');
    return { status: res.status, body: parseJson(text), text, headers: res.headers };
  }

  #exchange(x: Exchange): Promise<ExchangeResponse> {
    return exchange(x, this.#o);
  }
}
