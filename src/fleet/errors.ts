/**
 * Typed Fleet API errors. Every non-2xx answer (or no answer) becomes a {@link FleetApiError}, a
 * {@link FleetHttpError} with a stable `code`, `retryable`, and a message that says what to do
 * next (`classify.ts` reads the answers). Messages never contain a token, a key or a URL with a
 * VIN in its query.
 *
 * Codes follow the MCP error taxonomy (`src/mcp/errors.ts`): `unauthorized`, `payment_required`,
 * `missing_scope`, `protocol_required`, `forbidden`, `not_found`, `asleep`, `not_registered`,
 * `region`, `protocol_not_supported`, `locked`, `rate_limited`, `legal`, `server_error`,
 * `unavailable`, `vehicle_error`, `unknown_outcome` (no answer to a POST), `network` (no answer
 * to a GET), `http_error`, plus the local
 * `not_logged_in`, `login_required`, `wake_budget` and `config` errors.
 *
 * @module
 */

import { cliCommand } from '../util/cli-command.js';
import { FleetHttpError, type FleetHttpErrorInit } from '../vehicle/transport.js';

export type FleetErrorCode =
  | 'unauthorized'
  | 'payment_required'
  | 'missing_scope'
  | 'protocol_required'
  | 'forbidden'
  | 'not_found'
  | 'asleep'
  | 'not_registered'
  | 'region'
  | 'protocol_not_supported'
  | 'locked'
  | 'rate_limited'
  | 'legal'
  | 'server_error'
  | 'unavailable'
  | 'vehicle_error'
  | 'unknown_outcome'
  | 'network'
  | 'http_error';

/** Why no usable answer came back: none in time, none at all, or one over the body cap. */
export type NoAnswer = 'timeout' | 'network' | 'too_large';

export interface FleetApiErrorInit extends FleetHttpErrorInit {
  code: FleetErrorCode;
  retryable?: boolean;
  /** Missing scopes named by a 403 answer or a preflight, when known. */
  scopes?: readonly string[] | undefined;
  noAnswer?: NoAnswer | undefined;
  /** For a 404: what was not found (the endpoint itself, the vehicle in the path, or an id). */
  notFound?: NotFound | undefined;
}

/** What a 404 was about: `endpoint` (no such path), `vehicle` (the VIN in the path), `id`. */
export type NotFound = 'endpoint' | 'vehicle' | 'id';

/** A Fleet API answer other than 2xx, classified. `status` 0 means no HTTP answer at all. */
export class FleetApiError extends FleetHttpError {
  readonly code: FleetErrorCode;
  readonly retryable: boolean;
  readonly scopes: readonly string[] | undefined;
  /** Set when no usable answer came back (then there is no Tesla error to pass on). */
  readonly noAnswer: NoAnswer | undefined;
  readonly notFound: NotFound | undefined;

  constructor(init: FleetApiErrorInit) {
    super(init);
    this.code = init.code;
    this.retryable = init.retryable ?? false;
    this.scopes = init.scopes;
    this.noAnswer = init.noAnswer;
    this.notFound = init.notFound;
  }
}

/** Nothing configured: no token file, no `TESLA_ACCESS_TOKEN`, no `TESLA_REFRESH_TOKEN`. */
export class NotLoggedInError extends Error {
  override readonly name = 'NotLoggedInError';
  readonly code = 'not_logged_in';
  readonly retryable = false;
  constructor() {
    super(
      `fleet: not logged in: run \`${cliCommand('login')}\` (or set TESLA_REFRESH_TOKEN / TESLA_ACCESS_TOKEN)`,
    );
  }
}

/** The refresh token was refused (single-use, revoked or expired): the user must log in again. */
export class LoginRequiredError extends Error {
  override readonly name = 'LoginRequiredError';
  readonly code = 'login_required';
  readonly retryable = false;
  constructor(reason: string) {
    super(`fleet: ${reason}: run \`${cliCommand('login')}\` to sign in again`);
  }
}

/** The token lacks a scope a call needs; raised before any billable request. */
export class ScopeError extends Error {
  override readonly name = 'ScopeError';
  readonly code = 'missing_scope';
  readonly retryable = false;
  readonly scopes: readonly string[];
  constructor(missing: readonly string[], clientId?: string) {
    const revoke = clientId
      ? ` (if Tesla does not ask again, revoke consent first at https://auth.tesla.com/user/revoke/consent?revoke_client_id=${encodeURIComponent(clientId)})`
      : '';
    super(
      `fleet: the Tesla token lacks the scope ${missing.join(', ')}: run \`${cliCommand('login')}\` and grant it${revoke}`,
    );
    this.scopes = missing;
  }
}

/** The per-vehicle wake budget (`TESLA_WAKE_BUDGET`) is spent; no request was sent. */
export class WakeBudgetError extends Error {
  override readonly name = 'WakeBudgetError';
  readonly code = 'wake_budget';
  readonly retryable = true;
  readonly retryAfterSeconds: number;
  constructor(budget: string, retryAfterSeconds: number) {
    super(
      `fleet: wake budget ${budget} spent for this vehicle: retry after ${retryAfterSeconds} s, or raise TESLA_WAKE_BUDGET (each wake costs $0.02)`,
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A setting is wrong (unknown region, http base URL off loopback, bad budget syntax...). */
export class FleetConfigError extends Error {
  override readonly name = 'FleetConfigError';
  readonly code = 'config';
  readonly retryable = false;
}

/** Removes the given secret values, JWTs and bearer credentials from a text. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let t = text;
  for (const s of secrets) if (s.length >= 8) t = t.split(s).join('[redacted]');
  return t
    .replace(/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[redacted]')
    .replace(/\b(Bearer)\s+(?!\[redacted\])\S{8,}/gi, '$1 [redacted]');
}
