/**
 * The Fleet API over HTTP ({@link FleetHttp}, on undici 7 `request`; tests inject a `MockAgent`
 * as `dispatcher`). Every request has a timeout and a bounded body; answers are classified by
 * `errors.ts` and counted by `billing.ts`. Retries are deliberately few:
 * - a 401 triggers one token refresh (single-flight) and one retry (the request was refused, so
 *   nothing ran);
 * - a 421 naming a host under tesla.com / tesla.cn switches host for every later call, and a GET
 *   is retried once there; a POST is returned as an error carrying `baseUrl`;
 * - 429 is returned at once with `retryAfterSeconds`, never slept through;
 * - nothing else is retried, POSTs least of all.
 *
 * @module
 */
import { type Dispatcher, request } from 'undici';
import { isVin } from '../util/vin.js';
import { VERSION } from '../version.js';
import type { TokenSource } from './auth.js';
import type { Billing } from './billing.js';
import { BodyTooLargeError, DEFAULT_MAX_BODY_BYTES, parseJson, readBoundedBytes } from './body.js';
import { errorFromResponse, FleetApiError, transportError } from './errors.js';
import { acceptableSwitch, REGIONS, type Region } from './regions.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface RequestOptions {
  query?: Query | undefined;
  /** JSON body; `null` sends the literal `null` (wake_up), `undefined` sends none. */
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Use a partner token (client-credentials) instead of the user's. */
  partner?: boolean | undefined;
  /** Send to this base URL instead of the client's (partner registration per region). */
  baseUrl?: string | undefined;
  timeoutMs?: number | undefined;
  /** Return a 2xx body as bytes (`body` is a `Uint8Array`), e.g. an invoice PDF. */
  binary?: boolean | undefined;
}

export interface FleetHttpOptions {
  tokens: TokenSource;
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
}

export interface RawResponse {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

const MUTATING = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

export class FleetHttp {
  readonly #o: FleetHttpOptions;
  #learned: string | undefined;

  constructor(o: FleetHttpOptions) {
    this.#o = o;
  }

  /** The base URL the next call goes to. */
  async baseUrl(): Promise<string> {
    if (this.#learned) return this.#learned;
    if (this.#o.baseUrl) return this.#o.baseUrl;
    if (this.#o.region) return REGIONS[this.#o.region].fleetApi;
    return (await this.#o.tokenBaseUrl?.()) ?? REGIONS.na.fleetApi;
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
    let token = await this.#token(o);
    let refreshed = false;
    let switched = false;
    for (;;) {
      const base = o.baseUrl ?? (await this.baseUrl());
      const res = await this.#send(method, base, path, token, o);
      if (res.status >= 200 && res.status < 300) return res;
      if (res.status === 401 && !refreshed && !o.partner) {
        refreshed = true;
        const next = await this.#o.tokens.onUnauthorized(token, o.signal);
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
        appDomain: this.#o.appDomain,
        secrets: [token, ...(this.#o.tokens.secrets?.() ?? [])],
      });
      if (res.status === 421) {
        const target = err.baseUrl ? acceptableSwitch(err.baseUrl) : undefined;
        if (target && target !== base && o.baseUrl === undefined) {
          this.#learned = target;
          if (method === 'GET' && !switched) {
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

  async #token(o: RequestOptions): Promise<string> {
    if (!o.partner) return this.#o.tokens.accessToken(o.signal);
    if (!this.#o.tokens.partnerToken) {
      throw new FleetApiError({
        status: 0,
        code: 'unauthorized',
        mayHaveExecuted: false,
        message: 'fleet: partner endpoints need TESLA_CLIENT_ID and TESLA_CLIENT_SECRET',
      });
    }
    return this.#o.tokens.partnerToken(o.baseUrl ?? (await this.baseUrl()), o.signal);
  }

  async #send(
    method: HttpMethod,
    base: string,
    path: string,
    token: string,
    o: RequestOptions,
  ): Promise<RawResponse & { text: string }> {
    const url = `${base}${path}${queryString(o.query)}`;
    const timeoutMs = o.timeoutMs ?? this.#o.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
    const mutating = MUTATING.has(method);
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'user-agent': this.#o.userAgent ?? `tesla-mcp/${VERSION}`,
    };
    let body: string | undefined;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] = 'application/json';
    }
    let status = 0;
    try {
      const res = await request(url, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...(this.#o.dispatcher ? { dispatcher: this.#o.dispatcher } : {}),
      });
      status = res.statusCode;
      const bytes = await readBoundedBytes(
        res.body,
        this.#o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      );
      if (o.binary && status >= 200 && status < 300) {
        return { status, body: new Uint8Array(bytes), text: '', headers: res.headers };
      }
      const text = bytes.toString('utf8');
      return { status, body: parseJson(text), text, headers: res.headers };
    } catch (err) {
      if (o.signal?.aborted) throw o.signal.reason;
      if (err instanceof BodyTooLargeError) {
        throw new FleetApiError({
          status,
          code: 'server_error',
          mayHaveExecuted: mutating,
          message: `fleet: ${err.message.replace(/^fleet: /, '')} from ${method} ${pathPattern(path)}: not read`,
        });
      }
      throw transportError(err, { mutating, timedOut: timeout.aborted });
    } finally {
      this.#o.billing?.record(method, path, status);
    }
  }
}

/** `?a=1&b=x` from a query object (arrays repeat the key; undefined values are skipped). */
export function queryString(q: Query | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, String(x));
    else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The VIN segment after `/vehicles/`, if the path has one. */
function vinOf(path: string): string | undefined {
  const segs = path.split('?')[0]?.split('/') ?? [];
  const i = segs.indexOf('vehicles');
  const s = i >= 0 ? segs[i + 1] : undefined;
  return s !== undefined && isVin(s) ? s : undefined;
}

function pathPattern(path: string): string {
  const vin = vinOf(path);
  return vin ? path.replace(`/vehicles/${vin}`, '/vehicles/{vin}') : path;
}
