/**
 * What the endpoint groups (`src/fleet/api/*.ts`) need from the client: a request that returns
 * the answer's `response` member, and the scope preflight.
 *
 * @module
 */
import { normalizeVin } from '../../util/vin.js';
import type { HttpMethod, RequestOptions } from '../http.js';

export interface FleetRequester {
  /** `METHOD path`: the JSON body's `response` member (or the whole body when it has none). */
  request(method: HttpMethod, path: string, o?: RequestOptions): Promise<unknown>;
  /** Throws `ScopeError` before any billable call when the token lacks one of `scopes`. */
  requireScopes(scopes: readonly string[]): Promise<void>;
  /** The token's scopes, or undefined when it does not state them. */
  scopes(): Promise<readonly string[] | undefined>;
}

/** An object Tesla returns, with the fields we name typed and the rest kept. */
export type Loose<T> = T & Record<string, unknown>;

/** Validates a VIN (`src/util/vin.ts`; the check keeps paths safe) and returns it upper-cased. */
export function vinPath(vin: string): string {
  const v = normalizeVin(vin);
  if (v === undefined) {
    throw new RangeError(
      `fleet: expected a 17-character VIN (digits and letters except I, O, Q), got '${vin.slice(0, 20)}'`,
    );
  }
  return v;
}

/** Validates a numeric or opaque id used in a path. */
export function idPath(id: string | number, what = 'id'): string {
  const s = String(id).trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(s)) {
    throw new RangeError(`fleet: expected ${what} to be 1-64 letters, digits, '-' or '_'`);
  }
  return encodeURIComponent(s);
}

export function asArray<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}
