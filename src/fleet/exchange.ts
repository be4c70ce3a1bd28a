/**
 * One HTTP exchange with the Fleet API, shared by every request the client makes: a deadline,
 * a bounded body (10 MB, like Tesla's proxy), billing, and no-answer failures as typed
 * {@link FleetApiError}s (a caller's abort is passed through as its reason).
 *
 * @module
 */
import { request, type Dispatcher as UndiciDispatcher } from 'undici';
import { isVin } from '../util/vin.js';
import type { Billing } from './billing.js';
import { BodyTooLargeError, DEFAULT_MAX_BODY_BYTES, readBoundedBytes } from './body.js';
import { transportError } from './classify.js';
import type { Dispatcher } from './dispatcher.js';
import { FleetApiError } from './errors.js';

export type HeaderMap = Record<string, string | string[] | undefined>;
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface Exchange {
  method: string;
  base: string;
  /** Path and query, e.g. `/api/1/vehicles?page=2`. */
  pathAndQuery: string;
  headers: Record<string, string | string[]>;
  body?: string | Uint8Array | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

export interface ExchangeOptions {
  dispatcher?: Dispatcher | undefined;
  timeoutMs?: number | undefined;
  maxBodyBytes?: number | undefined;
  billing?: Billing | undefined;
}

/** Tesla's answer, whatever its status, with the body as bytes. */
export interface ExchangeResponse {
  status: number;
  headers: HeaderMap;
  body: Buffer;
}

const MUTATING = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/** One HTTP exchange: deadline, bounded body, billing; no answer → {@link FleetApiError}. */
export async function exchange(x: Exchange, o: ExchangeOptions): Promise<ExchangeResponse> {
  const timeoutMs = x.timeoutMs ?? o.timeoutMs ?? 30_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = x.signal ? AbortSignal.any([x.signal, timeout]) : timeout;
  const mutating = MUTATING.has(x.method.toUpperCase());
  const path = x.pathAndQuery.split('?')[0] ?? x.pathAndQuery;
  let status = 0;
  try {
    const res = await request(`${x.base}${x.pathAndQuery}`, {
      method: x.method as 'GET',
      headers: x.headers,
      ...(x.body !== undefined ? { body: x.body } : {}),
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(o.dispatcher ? { dispatcher: o.dispatcher as UndiciDispatcher } : {}),
    });
    status = res.statusCode;
    const body = await readBoundedBytes(res.body, o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    return { status, headers: res.headers, body };
  } catch (err) {
    if (x.signal?.aborted) throw x.signal.reason;
    if (err instanceof BodyTooLargeError) {
      throw new FleetApiError({
        status,
        code: 'server_error',
        mayHaveExecuted: mutating,
        noAnswer: 'too_large',
        message: `fleet: ${err.message.replace(/^fleet: /, '')} from ${x.method} ${pathPattern(path)}: not read`,
      });
    }
    throw transportError(err, { mutating, timedOut: timeout.aborted });
  } finally {
    o.billing?.record(x.method, path, status);
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

export function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The VIN segment after `/vehicles/`, if the path has one. */
export function vinOf(path: string): string | undefined {
  const segs = path.split('?')[0]?.split('/') ?? [];
  const i = segs.indexOf('vehicles');
  const s = i >= 0 ? segs[i + 1] : undefined;
  return s !== undefined && isVin(s) ? s : undefined;
}

function pathPattern(path: string): string {
  const vin = vinOf(path);
  return vin ? path.replace(`/vehicles/${vin}`, '/vehicles/{vin}') : path;
}
